"""Run student code in a child process the grader can always kill, and say what was enforced.

Mechanisms, strongest first (chosen once per grader process; $CS231N_SANDBOX=bwrap|unshare|plain
can force a weaker one, e.g. to test the fallbacks):

bwrap    bubblewrap: new PID, network, IPC and UTS namespaces; a file system holding only the
         Python installation, the submission's copy (read-only), the job folder (read-only), an
         output folder and a size-capped tmpfs scratch.  As root the child then drops to its own
         unprivileged uid (setpriv: no capabilities, no_new_privs); without root bwrap uses a
         user namespace.
unshare  util-linux unshare (root only): PID and network namespaces and an unprivileged uid, but
         the host file system stays visible (world-readable files can be read).
plain    a new session and rlimits only.

Every mechanism applies the rlimits (address space, processes, file size, open files, CPU, no
core dumps) in the child before student code is imported, kills the child's process group (and
with it the PID namespace) on timeout or when done, and keeps only the first bytes of stdout and
stderr.
"""

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np

RUNNER = Path(__file__).with_name("runner.py")
INSIDE = Path("/sandbox")
MECHANISMS = ("bwrap", "unshare", "plain")
_uid_counter = itertools.count()


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 3 << 30  # address space (numpy and OpenMP reserve more than they use)
    processes: int = 64
    file_bytes: int = 64 << 20
    open_files: int = 256
    scratch_bytes: int = 64 << 20  # tmpfs /tmp in the bwrap sandbox
    output_bytes: int = 64 << 10  # kept of each of stdout and stderr


@dataclass
class ProbeRun:
    """What happened to one probe in the child."""

    status: str  # "ok" | "error" | "timeout" | "crashed" | "import_error" | "not_run"
    message: str = ""
    outputs: dict = field(default_factory=dict)
    modified: list = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class Sandbox:
    mechanism: str
    enforced: tuple[str, ...]
    not_enforced: tuple[str, ...]
    limits: Limits = Limits()
    drop_uid: bool = False  # as root: run the child under an unprivileged uid of its own

    def describe(self) -> dict:
        return {"mechanism": self.mechanism, "enforced": list(self.enforced),
                "not_enforced": list(self.not_enforced)}


# ---------------------------------------------------------------------------------------------
# Choosing the mechanism

def _python_roots() -> list[Path]:
    """Folders the child's Python needs: the installation, the venv, numpy's site-packages."""
    roots = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(),
             Path(np.__file__).resolve().parents[1]}
    executable = Path(sys.executable)
    roots.add(executable.parent.resolve())
    roots.add(executable.resolve().parent)
    # Drop folders inside other listed folders.
    return sorted(r for r in roots if not any(o != r and o in r.parents for o in roots))


def _fast_package() -> Path | None:
    spec = find_spec("cs231n_fast")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def _secret_paths() -> list[Path]:
    """Things the child must never see even if they sit inside a folder it needs."""
    from autograder.reference import REFERENCE_DIR
    return [REFERENCE_DIR, Path(__file__).resolve().parent]


def _is_root() -> bool:
    return os.geteuid() == 0


@lru_cache(maxsize=1)
def detect(forced: str | None = None) -> Sandbox:
    """The strongest mechanism that works here (a quick trial run decides)."""
    forced = forced or os.environ.get("CS231N_SANDBOX") or None
    if forced and forced not in MECHANISMS:
        raise ValueError(f"CS231N_SANDBOX={forced!r}: expected one of {MECHANISMS}")
    order = MECHANISMS[MECHANISMS.index(forced):] if forced else MECHANISMS
    candidates = []
    for mechanism in order:
        candidates.append((mechanism, _is_root()))
        if mechanism == "bwrap" and _is_root():
            candidates.append(("bwrap", False))  # e.g. when high uids are not mapped
    candidates.append(("plain", False))
    reasons = []
    for mechanism, drop_uid in candidates:
        problem = _unavailable(mechanism, drop_uid)
        if problem is None:
            return _describe(mechanism, drop_uid, reasons)
        reasons.append(f"{mechanism}{' with a uid of its own' if drop_uid else ''} "
                       f"unavailable: {problem}")
    raise AssertionError("plain is always available")


def _unavailable(mechanism: str, drop_uid: bool) -> str | None:
    if mechanism == "plain" and not drop_uid:
        return None
    if mechanism == "unshare" and not _is_root():
        return "needs root"
    tools = {"bwrap": ["bwrap"], "unshare": ["unshare"], "plain": []}[mechanism]
    if drop_uid:
        tools.append("setpriv")
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        return f"{', '.join(missing)} not installed"
    with _scratch_dirs() as (job, out):
        command = _command(Sandbox(mechanism, (), (), drop_uid=drop_uid), job, out, Path(job),
                           ["-c", "import numpy"], uid=_next_uid())
        try:
            done = subprocess.run(command, capture_output=True, timeout=60, env=_child_env(),
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            return str(error)
    if done.returncode != 0:
        return done.stderr.decode(errors="replace").strip()[:300] or f"exit {done.returncode}"
    return None


class _scratch_dirs:
    def __enter__(self):
        import tempfile
        self.root = Path(tempfile.mkdtemp(prefix="ag-probe-"))
        job, out = self.root / "job", self.root / "out"
        job.mkdir()
        out.mkdir()
        prepare_dirs(self.root, job, out, None)
        return str(job), str(out)

    def __exit__(self, *exc):
        shutil.rmtree(self.root, ignore_errors=True)


def _describe(mechanism: str, drop_uid: bool, reasons: list[str]) -> Sandbox:
    limits = Limits()
    common = [
        "student code runs in a separate child process, never in the grader",
        "only numeric arrays come back (npz, allow_pickle=False); comparisons happen in the grader",
        (f"rlimits: {limits.memory_bytes >> 20} MiB address space, {limits.processes} processes, "
        f"{limits.file_bytes >> 20} MiB per written file, {limits.open_files} open files, CPU "
        "seconds, no core dumps"),
        "wall-clock timeout per probe and per function; the child's process group is killed",
        f"stdout/stderr truncated to {limits.output_bytes >> 10} KiB each",
    ]
    missing = list(reasons)
    if mechanism == "bwrap":
        enforced = common + [
            "PID namespace: every process the submission started dies with it",
            "no network (network namespace)",
            ("file system: only Python, the submission (read-only), the inputs and a "
            f"{limits.scratch_bytes >> 20} MiB scratch tmpfs are visible; reference, hidden "
            "cases, other submissions and results are not"),
        ]
        if drop_uid:
            enforced.append("unprivileged uid of its own, no capabilities, no_new_privs")
        else:
            enforced.append("user namespace (runs as the grader's own uid outside it)")
            missing.append("the child keeps the grader's uid outside its user namespace"
                           + (" (root: the process limit does not apply)" if _is_root() else ""))
    elif mechanism == "unshare":
        enforced = common + ["PID namespace: every process the submission started dies with it",
                             "no network (network namespace)",
                             "unprivileged uid of its own (cannot write the grader's files)"]
        missing.append("file system not hidden: world-readable files (the reference solution "
                       "too) can be read; install bubblewrap")
    else:
        enforced = common + ["own session (process group killed afterwards)"]
        missing += ["no PID namespace: a process that leaves its session may survive",
                    "network not blocked", ("file system not hidden or write-protected beyond "
                    "the user's permissions")]
        if drop_uid:
            enforced.append("unprivileged uid of its own")
        else:
            missing.append("runs as the grader's own user" + (" (root!)" if _is_root() else ""))
    return Sandbox(mechanism, tuple(enforced), tuple(missing), limits, drop_uid)


# ---------------------------------------------------------------------------------------------
# Building the command

def uid_range() -> range:
    """The uids this grader process gives its children (as root)."""
    base = 200_000 + (os.getpid() % 50_000) * 16
    return range(base, base + 16)


def _next_uid() -> int:
    """A uid per child (as root), so one child's process limit is not shared with another's."""
    return uid_range()[next(_uid_counter) % 16]


def _child_env() -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "USER": "student",
            "LOGNAME": "student", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg"}


def _bwrap_dirs(path: Path) -> list[str]:
    """bwrap creates missing parents with mode 0700; make them traversable by the child."""
    args = []
    for parent in reversed(path.parents):
        if parent != Path("/"):
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def _bwrap(job: str, out: str, submission: Path | None, uid: int, drop_uid: bool) -> list[str]:
    command = ["bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net",
               "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--clearenv",
               "--ro-bind", "/usr", "/usr"]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / link
        if target.is_symlink():
            command += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            command += ["--ro-bind", str(target), str(target)]
    if Path("/etc/ld.so.cache").exists():
        command += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    command += ["--proc", "/proc", "--dev", "/dev",
                "--perms", "1777", "--size", str(Limits.scratch_bytes), "--tmpfs", "/tmp"]
    for root in _python_roots():
        if not str(root).startswith("/usr/"):
            command += _bwrap_dirs(root) + ["--ro-bind", str(root), str(root)]
    for hidden in _secret_paths():
        if any(root in hidden.parents for root in _python_roots()) and hidden.exists():
            command += ["--tmpfs", str(hidden)]  # e.g. a non-editable install of the grader
    command += ["--perms", "0755", "--dir", str(INSIDE),
                "--ro-bind", job, str(INSIDE / "job"), "--bind", out, str(INSIDE / "out")]
    if submission is not None:
        command += ["--ro-bind", str(submission), str(INSIDE / "submission")]
    fast = _fast_package()
    if fast is not None:
        command += ["--perms", "0755", "--dir", str(INSIDE / "lib"),
                    "--ro-bind", str(fast), str(INSIDE / "lib" / "cs231n_fast")]
    command += ["--chdir", "/tmp"]
    if drop_uid:
        command += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--", *_setpriv(uid)]
    else:
        command += ["--unshare-user", "--"]
    return command


def _setpriv(uid: int) -> list[str]:
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]


def _command(sandbox, job, out, submission, python_args, uid) -> list[str]:
    if sandbox.mechanism == "bwrap":
        return (_bwrap(job, out, submission, uid, sandbox.drop_uid)
                + [sys.executable, "-I", *python_args])
    prefix = []
    if sandbox.mechanism == "unshare":
        prefix = ["unshare", "--pid", "--fork", "--kill-child", "--net", "--ipc", "--uts",
                  "--mount-proc", "--"]
    if sandbox.drop_uid:
        prefix += _setpriv(uid)
    return prefix + [sys.executable, "-I", *python_args]


def paths_inside(mechanism: str, job: Path, out: Path, submission: Path) -> dict[str, str]:
    """Where the child sees the job, output and submission folders and what to add to sys.path."""
    if mechanism == "bwrap":
        extra = [str(INSIDE / "lib")] if _fast_package() else []
        return {"job": str(INSIDE / "job"), "out": str(INSIDE / "out"),
                "submission": str(INSIDE / "submission"), "sys_path": extra}
    fast = _fast_package()
    return {"job": str(job), "out": str(out), "submission": str(submission),
            "sys_path": [str(fast.parent)] if fast else []}


def prepare_dirs(workdir: Path, job: Path, out: Path, uid: int | None) -> None:
    """Readable job folder, an output folder only the child's uid can write."""
    os.chmod(workdir, 0o711)
    os.chmod(job, 0o755)
    for path in job.iterdir():
        os.chmod(path, 0o644)
    os.chmod(out, 0o700)
    if uid is not None and _is_root():
        os.chown(out, uid, uid)  # harmless when the child keeps root's uid


# ---------------------------------------------------------------------------------------------
# Running one function's probes

class _Capture(threading.Thread):
    """Drain a pipe, keeping the first `limit` bytes and counting the rest."""

    def __init__(self, stream, limit):
        super().__init__(daemon=True)
        self.stream, self.limit, self.kept, self.total = stream, limit, bytearray(), 0
        self.start()

    def run(self):
        read = getattr(self.stream, "read1", self.stream.read)
        while chunk := read(65536):
            self.total += len(chunk)
            room = self.limit - len(self.kept)
            if room > 0:
                self.kept += chunk[:room]

    def text(self) -> str:
        text = self.kept.decode("utf-8", errors="replace")
        if self.total > len(self.kept):
            text += f"\n[... {self.total - len(self.kept)} more bytes not shown]"
        return text


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _exit_text(code: int) -> str:
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


def _read_json(path: Path, limit=1 << 20):
    """A small JSON object written by the child, or None (it may be malformed on purpose)."""
    try:
        if path.stat().st_size > limit:
            return None
        data = json.loads(path.read_text())
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def load_outputs(path: Path, max_bytes=256 << 20) -> tuple[dict, str | None]:
    """The arrays of a result file: plain numeric ndarrays only, loaded without pickle."""
    try:
        if path.stat().st_size > max_bytes:
            return {}, "the result file is too large"
        with np.load(path, allow_pickle=False) as data:
            outputs = {}
            for name in data.files[:64]:
                array = data[name]
                if type(array) is not np.ndarray or array.dtype.kind not in "biuf":
                    return {}, f"{name} is not a real numeric array"
                outputs[name] = array
            return outputs, None
    except (OSError, ValueError, EOFError) as error:
        return {}, f"the result could not be read ({type(error).__name__})"


def run_probes(sandbox: Sandbox, workdir: Path, submission: Path | None, spec: dict,
               arrays: dict, timeouts: dict[str, float], import_timeout: float,
               budget: float) -> tuple[dict[str, ProbeRun], str]:
    """Run `spec`'s probes in order, restarting the child after a crash or a timeout so one
    runaway probe costs only itself.  Returns per-probe results and the captured output."""
    job = workdir / "job"
    job.mkdir(exist_ok=True)
    shutil.copy(RUNNER, job / "runner.py")
    np.savez(job / "inputs.npz", **arrays)
    inside = paths_inside(sandbox.mechanism, job, workdir / "out-0", submission or workdir)
    spec = dict(spec, submission=inside["submission"], sys_path=inside["sys_path"])
    (job / "spec.json").write_text(json.dumps(spec))

    results: dict[str, ProbeRun] = {}
    pending = [p["id"] for p in spec["probes"]]
    output_parts: list[str] = []
    deadline = time.monotonic() + budget
    for attempt in itertools.count():
        if not pending:
            break
        if time.monotonic() >= deadline:
            for probe_id in pending:
                results[probe_id] = ProbeRun("not_run", "not run: the function's time budget "
                                             "was used up by earlier probes")
            break
        out = workdir / f"out-{attempt}"
        out.mkdir()
        uid = _next_uid()
        prepare_dirs(workdir, job, out, uid if sandbox.drop_uid else None)
        inside = paths_inside(sandbox.mechanism, job, out, submission or workdir)
        command = _command(sandbox, str(job), str(out), submission,
                           [f"{inside['job']}/runner.py", inside["job"], inside["out"],
                            *pending], uid)
        pending = _attempt(command, out, pending, results, timeouts, import_timeout, deadline,
                           output_parts, sandbox.limits)
    output = "\n".join(part for part in output_parts if part.strip())
    return results, output


def _attempt(command, out, pending, results, timeouts, import_timeout, deadline, output_parts,
             limits) -> list[str]:
    """One child run; returns the probes still to run in a fresh child."""
    start = time.monotonic()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True, env=_child_env())
    captures = [_Capture(process.stdout, limits.output_bytes),
                _Capture(process.stderr, limits.output_bytes)]
    started_at: dict[str, float] = {}
    remaining = list(pending)
    verdict = None  # (probe id or None, ProbeRun) for the probe that stopped this child
    while True:
        exited = process.poll() is not None
        now = time.monotonic()
        _collect(out, remaining, results)
        ready = (out / "ready").exists()
        if not ready and (out / "import.json").exists():
            info = _read_json(out / "import.json") or {}
            message = "importing your code failed: " + str(info.get("error", "unknown error"))
            verdict = (None, ProbeRun("import_error", message[:2000]))
            break
        if not remaining:
            break
        current = remaining[0]
        if current not in started_at and (out / f"started_{current}").exists():
            started_at[current] = now
        if exited:
            code = process.returncode
            if not ready:
                verdict = (None, ProbeRun("import_error",
                                          f"the child {_exit_text(code)} while importing your "
                                          "code"))
            elif current in started_at:
                verdict = (current, ProbeRun("crashed", f"the child process {_exit_text(code)} "
                                             "during this call"))
            else:
                verdict = (current, ProbeRun("crashed", f"the child process {_exit_text(code)} "
                                             "before this call"))
            break
        if not ready and now - start > import_timeout:
            verdict = (None, ProbeRun("import_error", f"importing your code took more than "
                                      f"{import_timeout:.0f} s (an infinite loop at import?)"))
            break
        if current in started_at and now - started_at[current] > timeouts[current]:
            verdict = (current, ProbeRun("timeout", f"timed out after {timeouts[current]:.1f} s "
                                         "(an infinite loop?)", seconds=timeouts[current]))
            break
        if now > deadline:
            verdict = (current, ProbeRun("timeout", "timed out: the function's time budget is "
                                         "used up"))
            break
        time.sleep(0.005 if now - start < 1 else 0.02)
    _kill(process)
    for capture in captures:
        capture.join(timeout=2)
    _collect(out, remaining, results)
    text = "".join(f"[{label}]\n{capture.text()}\n" for label, capture
                   in zip(("stdout", "stderr"), captures) if capture.total)
    output_parts.append(text)
    if verdict is None:
        return []
    probe_id, run = verdict
    if probe_id is None:  # nothing can run when the import fails
        for remaining_id in remaining:
            results[remaining_id] = run
        return []
    results[probe_id] = run
    return [p for p in remaining if p != probe_id]


def _collect(out: Path, remaining: list[str], results: dict[str, ProbeRun]) -> None:
    """Move finished probes (done_<id>.json present) from `remaining` to `results`."""
    while remaining and (out / f"done_{remaining[0]}.json").exists():
        probe_id = remaining.pop(0)
        done = _read_json(out / f"done_{probe_id}.json") or {}
        seconds = done.get("seconds") if isinstance(done.get("seconds"), (int, float)) else 0.0
        modified = [str(m)[:80] for m in done.get("modified", [])][:20] if isinstance(
            done.get("modified"), list) else []
        if done.get("ok") is True:
            outputs, problem = load_outputs(out / f"result_{probe_id}.npz")
            if problem:
                results[probe_id] = ProbeRun("error", problem, seconds=seconds)
            else:
                results[probe_id] = ProbeRun("ok", "", outputs, modified, seconds)
        else:
            error = str(done.get("error", "the call failed"))[:2000]
            results[probe_id] = ProbeRun("error", error, seconds=seconds)
