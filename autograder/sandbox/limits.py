"""The resource limits of one sandboxed child, and the one place that turns them into both the
settings that enforce them and the sentences that describe them.

Invariant: every number a report states about a limit is read from the same `Limits` value
that `rlimits()` and the command builder (autograder/sandbox/command.py) apply.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 3 << 30  # address space (numpy and OpenMP reserve more than they use)
    processes: int = 64
    file_bytes: int = 64 << 20  # largest file the child may write
    open_files: int = 256
    scratch_bytes: int = 64 << 20  # the child's only writable place: a tmpfs /tmp
    output_bytes: int = 64 << 10  # kept of each of stdout and stderr
    result_bytes: int = 32 << 20  # all arrays one child may send back, together
    result_frames: int = 10_000  # frames one child may send back

    def rlimits(self, cpu_seconds: int) -> dict[str, int]:
        """The rlimits the runner sets on itself before importing student code."""
        return {"RLIMIT_AS": self.memory_bytes, "RLIMIT_NPROC": self.processes,
                "RLIMIT_FSIZE": self.file_bytes, "RLIMIT_NOFILE": self.open_files,
                "RLIMIT_CPU": int(cpu_seconds), "RLIMIT_CORE": 0}

    def describe(self, scratch: str) -> list[str]:
        """What these limits enforce, in words; `scratch` says where the child may write."""
        mib = 1 << 20
        return [
            (f"rlimits: {self.memory_bytes // mib} MiB address space, {self.processes} "
             f"processes, {self.file_bytes // mib} MiB per written file, {self.open_files} open "
             "files, CPU seconds (the function's time budget), no core dumps"),
            f"writable space: {scratch}",
            (f"results: only .npy arrays of plain numeric dtypes come back through a pipe, at "
             f"most {self.result_bytes // mib} MiB and {self.result_frames} frames per child; "
             "comparisons happen in the grader"),
            f"stdout/stderr truncated to {self.output_bytes >> 10} KiB each",
        ]
