"""Run one function's probes in sandboxed children, keeping the clocks and judging mutation here.

Invariants (what the design gives, and no more):
- Clocks are the grader's own.  The grader writes probe k's inputs into shared memory and sends
  "run k" itself; probe k's time runs from that moment until the grader receives k's last
  frame.  The child never learns an input before its probe is sent, so no work can be moved
  into the import or an earlier probe, and no marker the child writes starts or stops a clock.
- Mutation is judged here: the arrays a function must not modify are handed to student code as
  views of a memfd the grader filled, and after the call the grader compares that memory with
  its own copy.  Code that arranges to be handed copies instead is, by construction, code that
  leaves the caller's arrays alone, which is what the check asks.  The memfd is sealed against
  growing or shrinking.
- Everything the child sends is parsed by autograder/sandbox/channel.py with bounds; nothing
  the child writes to a file is read.  Malformed frames cost the probe, never the grader.
- After each child, its process group is killed (and with it the PID namespace), and its
  folder is removed by autograder/sandbox/cleanup.py.
"""

import contextlib
import fcntl
import json
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograder.runner import RUN
from autograder.sandbox.channel import EventReader, clean_text, parse_npy
from autograder.sandbox.cleanup import remove_tree
from autograder.sandbox.command import (
    Sandbox,
    build_command,
    child_env,
    child_paths,
    link_site,
    next_uid,
    site_packages,
)

RUNNER = Path(__file__).resolve().parents[1] / "runner.py"
ALIGN = 64
MAX_ARRAYS_PER_PROBE = 64


@dataclass
class ProbeRun:
    """What happened to one probe in the child."""

    status: str  # "ok" | "error" | "timeout" | "crashed" | "import_error" | "not_run"
    message: str = ""
    outputs: dict = field(default_factory=dict)
    modified: list = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Inputs:
    """Each probe's arrays laid out in one memfd: {probe: {name: (offset, dtype, shape, end)}}."""

    layouts: dict
    data: dict  # probe -> bytes to write at offset 0
    shared: dict  # probe -> {array name: label} of the arrays the function must not modify
    size: int

    @classmethod
    def build(cls, arrays: dict, probes: list[dict], shared_labels: dict) -> "Inputs":
        layouts, data, size = {}, {}, 1
        for probe in probes:
            probe_id, offset, layout, chunks = probe["id"], 0, {}, []
            for name in sorted(n for n in arrays if n.startswith(probe_id + "_")):
                array = np.ascontiguousarray(arrays[name])
                pad = -offset % ALIGN
                chunks.append(b"\0" * pad)
                offset += pad
                layout[name] = (offset, array.dtype.str, list(array.shape),
                                offset + array.nbytes)
                chunks.append(array.tobytes())
                offset += array.nbytes
            layouts[probe_id], data[probe_id] = layout, b"".join(chunks)
            size = max(size, offset)
        return cls(layouts, data, shared_labels, size)

    def modified(self, probe_id: str, memory: bytes) -> list[str]:
        """Labels of the probe's protected arrays whose bytes differ from what was written."""
        original = self.data[probe_id]
        changed = []
        for name, label in self.shared.get(probe_id, {}).items():
            start, _, _, end = self.layouts[probe_id][name]
            if memory[start:end] != original[start:end]:
                changed.append(label)
        return changed


def _memfd(size: int) -> int:
    fd = os.memfd_create("probe-inputs", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    os.ftruncate(fd, size)
    fcntl.fcntl(fd, fcntl.F_ADD_SEALS,
                fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL)
    return fd


class _Capture(threading.Thread):
    """Drain a pipe, keeping the first `limit` bytes and counting the rest."""

    def __init__(self, stream, limit):
        super().__init__(daemon=True)
        self.stream, self.limit, self.kept, self.total = stream, limit, bytearray(), 0
        self.start()

    def run(self):
        try:
            while chunk := self.stream.read1(65536):
                self.total += len(chunk)
                self.kept += chunk[:max(0, self.limit - len(self.kept))]
        except (OSError, ValueError):
            pass

    def text(self) -> str:
        text = clean_text(bytes(self.kept), self.limit).replace("\x1b", "?")
        if self.total > len(self.kept):
            text += f"\n[... {self.total - len(self.kept)} more bytes not shown]"
        return text


def _exit_text(code: int | None) -> str:
    if code is None:
        return "stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        extra = {"SIGKILL": " (killed: out of memory or CPU time?)",
                 "SIGXCPU": " (CPU time limit)", "SIGXFSZ": " (file size limit)",
                 "SIGSEGV": " (segmentation fault)"}.get(name, "")
        return f"killed by {name}{extra}"
    return f"exited with code {code}"


def _kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()
    process.wait()


@dataclass
class Job:
    """One function's probes, ready to run in as many children as it takes."""

    sandbox: Sandbox
    workdir: Path
    submission: Path
    spec: dict  # module, probes, limits (the runner's spec.json without paths)
    inputs: Inputs
    timeouts: dict  # probe id -> seconds
    import_timeout: float
    deadline: float  # monotonic
    site: dict


def run_probes(sandbox: Sandbox, workdir: Path, submission: Path, spec: dict, arrays: dict,
               shared_labels: dict, timeouts: dict[str, float], import_timeout: float,
               budget: float, function: str, may_use: tuple[str, ...]
               ) -> tuple[dict[str, ProbeRun], str]:
    """Run `spec`'s probes in order, restarting the child after a crash or a timeout so one
    runaway probe costs only itself.  Returns per-probe results and the captured output."""
    job_dir = workdir / "job"
    job_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(RUNNER, job_dir / "runner.py")
    site = site_packages(job_dir, function, may_use)
    if sandbox.mechanism != "bwrap":
        link_site(workdir / "site", site)
    inputs = Inputs.build(arrays, spec["probes"], shared_labels)
    paths = child_paths(sandbox.mechanism, workdir, submission)
    (job_dir / "spec.json").write_text(json.dumps(dict(
        spec, layouts=inputs.layouts, submission=paths.submission)))
    _make_readable(workdir)
    job = Job(sandbox, workdir, submission, spec, inputs, timeouts, import_timeout,
              time.monotonic() + budget, site)
    results: dict[str, ProbeRun] = {}
    pending = [p["id"] for p in spec["probes"]]
    output_parts: list[str] = []
    while pending:
        if time.monotonic() >= job.deadline:
            for probe_id in pending:
                results[probe_id] = ProbeRun("not_run", "not run: the function's time budget "
                                             "was used up by earlier probes")
            break
        pending = _Child(job, paths).run(pending, results, output_parts)
    return results, "\n".join(part for part in output_parts if part.strip())


def _make_readable(workdir: Path) -> None:
    """The child (its own uid) may enter the work folder and read the job, nothing more."""
    os.chmod(workdir, 0o711)
    for folder, _, files in os.walk(workdir / "job"):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


class _Child:
    """One child process and the state machine that drives it."""

    def __init__(self, job: Job, paths):
        self.job, self.paths = job, paths
        self.events: queue.Queue = queue.Queue()

    def run(self, pending: list[str], results: dict, output_parts: list) -> list[str]:
        """Run probes in order until one crashes or times out; return those still to run."""
        job = self.job
        memfd = _memfd(job.inputs.size)
        commands_r, commands_w = os.pipe()
        events_r, events_w = os.pipe()
        scratch = job.workdir / "scratch"
        scratch.mkdir(exist_ok=True)
        os.chmod(scratch, 0o777 if job.sandbox.drop_uid else 0o700)
        runner_args = [f"{self.paths.job}/runner.py", f"{self.paths.job}/spec.json",
                       self.paths.site, str(commands_r), str(memfd), str(events_w)]
        command = build_command(job.sandbox, job.workdir, job.submission, job.site,
                                runner_args, next_uid())
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, start_new_session=True, env=child_env(),
                cwd=scratch, pass_fds=(commands_r, memfd, events_w))
        finally:
            os.close(commands_r)
            os.close(events_w)
        commands = os.fdopen(commands_w, "wb", buffering=0)
        reader = EventReader(os.fdopen(events_r, "rb"), job.sandbox.limits.result_bytes,
                             self.events.put, job.sandbox.limits.result_frames)
        captures = [_Capture(process.stdout, job.sandbox.limits.output_bytes),
                    _Capture(process.stderr, job.sandbox.limits.output_bytes)]
        try:
            remaining = self._drive(process, commands, memfd, list(pending), results)
        finally:
            _kill(process)
            with contextlib.suppress(OSError):
                commands.close()
            reader.join(timeout=2)
            for capture in captures:
                capture.join(timeout=2)
            os.close(memfd)
            remove_tree(scratch)
        output_parts.append("".join(f"[{label}]\n{capture.text()}\n" for label, capture
                                    in zip(("stdout", "stderr"), captures, strict=True)
                                    if capture.total))
        return remaining

    def _next(self, until: float):
        """The next event, or None at `until` (monotonic)."""
        try:
            return self.events.get(timeout=max(0.0, min(until, self.job.deadline)
                                               - time.monotonic()))
        except queue.Empty:
            return None

    def _drive(self, process, commands, memfd, remaining, results) -> list[str]:
        job = self.job
        event = self._next(time.monotonic() + job.import_timeout)
        failure = self._import_failure(event, process)
        if failure is not None:
            for probe_id in remaining:
                results[probe_id] = failure
            return []
        while remaining:
            probe_id = remaining.pop(0)
            os.pwrite(memfd, job.inputs.data[probe_id], 0)
            started = time.monotonic()
            with contextlib.suppress(OSError):  # the child is gone: its exit is reported below
                commands.write(RUN + b" " + probe_id.encode() + b"\n")
            run = self._collect(probe_id, started, process)
            run.modified = job.inputs.modified(probe_id, os.pread(memfd, job.inputs.size, 0))
            results[probe_id] = run
            if run.status in ("timeout", "crashed"):
                return remaining
        return []

    def _import_failure(self, event, process) -> ProbeRun | None:
        if event is not None and event[0] != "eof" and event[1] == "ready":
            return None
        if event is None:
            message = (f"importing your code took more than {self.job.import_timeout:.0f} s "
                       "(an infinite loop at import?)")
        elif event[0] == "eof":
            code = _wait(process)
            message = f"the child {_exit_text(code)} while importing your code"
        elif event[1] == "import":
            message = "importing your code failed: " + clean_text(event[4])
            if "No module named" in message:
                message += ("\n(the grader runs your code with NumPy, the standard library and "
                            "your cs231n package only: remove imports of anything else)")
        else:
            message = "the child sent something unexpected while importing your code"
        return ProbeRun("import_error", message[:2000])

    def _collect(self, probe_id: str, started: float, process) -> ProbeRun:
        """Events of one probe until it is done, fails, crashes or runs out of time."""
        timeout = self.job.timeouts[probe_id]
        arrays = _Arrays()
        while True:
            event = self._next(started + timeout)
            elapsed = time.monotonic() - started
            if event is None:
                if time.monotonic() >= self.job.deadline:
                    return ProbeRun("timeout", "timed out: the function's time budget is "
                                    "used up", seconds=elapsed)
                return ProbeRun("timeout", f"timed out after {timeout:.1f} s (an infinite "
                                "loop?)", seconds=timeout)
            if event[0] == "eof":
                return ProbeRun("crashed", f"the child process {_exit_text(_wait(process))} "
                                "during this call", seconds=elapsed)
            run = arrays.take(event, probe_id)
            if run is not None:
                run.seconds = elapsed
                return run


class _Arrays:
    """The arrays one probe sent so far; `take` turns each event into the probe's result, or
    None while the probe is still running."""

    def __init__(self):
        self.outputs: dict = {}
        self.problem: str | None = None

    def take(self, event, probe_id: str) -> ProbeRun | None:
        _, kind, event_probe, name, payload = event
        if kind == "protocol":
            return ProbeRun("crashed", "the grader stopped reading your code's output: "
                            + clean_text(payload))
        if event_probe != probe_id:
            return ProbeRun("crashed", "your code wrote to the grader's channel out of turn")
        if kind == "error":
            return ProbeRun("error", clean_text(payload, 2000))
        if kind == "done":
            if self.problem:
                return ProbeRun("error", f"the result could not be read: {self.problem}")
            return ProbeRun("ok", "", self.outputs)
        if len(self.outputs) >= MAX_ARRAYS_PER_PROBE or name in self.outputs:
            self.problem = self.problem or f"too many or repeated outputs ({name})"
            return None
        try:
            self.outputs[name] = parse_npy(payload)
        except ValueError as error:
            self.problem = self.problem or f"{name} could not be read: {error}"
        return None


def _wait(process, seconds: float = 2.0) -> int | None:
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return None
