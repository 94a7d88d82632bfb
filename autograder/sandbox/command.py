"""Build the command line of one sandboxed child, and the folder of packages it may import.

Invariants:
- The child's Python starts with -I -S (no environment variables, no user or system
  site-packages); its sys.path is the standard library plus exactly [submission, site], where
  site holds only the packages the graded function may use (autograder.points.MAY_USE): numpy,
  and cs231n_fast either for real or as a stub whose every call raises PermissionError.
- bwrap: the child's file system is /usr and the Python installation (read-only, every
  site-packages and dist-packages folder in them hidden by an empty tmpfs, so nothing else the
  grader's machine holds is importable even by adding paths), the job folder, the submission
  copy and the site packages (read-only), and a size-capped tmpfs /tmp, its only writable place.
  The grader's venv, the reference and the autograder are not there.
- unshare: new PID, network, IPC, UTS and mount namespaces; size-capped tmpfs mounted over
  /tmp, /var/tmp and /dev/shm; the host's files stay readable (sys.path is set, not enforced).
- Every mechanism dies with the grader: bwrap --die-with-parent; setpriv --pdeathsig for unshare.
"""

import itertools
import os
import shutil
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from autograder.sandbox.limits import Limits

INSIDE = Path("/sandbox")
_uid_counter = itertools.count()

STUB = '''"""cs231n_fast is not available to {function}: {reason}"""

MESSAGE = "cs231n_fast is not allowed in {function}: {reason}"


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)

    def not_allowed(*args, **kwargs):
        raise PermissionError(MESSAGE)

    not_allowed.__name__ = name
    return not_allowed
'''


@dataclass(frozen=True)
class Sandbox:
    mechanism: str  # "bwrap" | "unshare" | "plain"
    enforced: tuple[str, ...] = ()
    not_enforced: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    drop_uid: bool = False  # as root: run the child under an unprivileged uid of its own

    def describe(self) -> dict:
        return {"mechanism": self.mechanism, "enforced": list(self.enforced),
                "not_enforced": list(self.not_enforced)}


def is_root() -> bool:
    return os.geteuid() == 0


def uid_range() -> range:
    """The uids this grader process gives its children (as root)."""
    base = 200_000 + (os.getpid() % 50_000) * 16
    return range(base, base + 16)


def next_uid() -> int:
    """A uid per child (as root), so one child's process limit is not shared with another's."""
    return uid_range()[next(_uid_counter) % 16]


def child_env() -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "USER": "student",
            "LOGNAME": "student", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg"}


def python_executable() -> str:
    """The real interpreter behind the grader's (a venv's python is a link to it)."""
    return os.path.realpath(sys.executable)


@lru_cache(maxsize=1)
def python_roots() -> tuple[Path, ...]:
    """Folders the child's interpreter needs: its installation, outside /usr."""
    roots = {Path(sys.base_prefix).resolve(), Path(python_executable()).parent}
    roots = {r for r in roots if not (r == Path("/usr") or Path("/usr") in r.parents)}
    return tuple(sorted(r for r in roots if not any(o != r and o in r.parents for o in roots)))


@lru_cache(maxsize=1)
def hidden_package_folders() -> tuple[Path, ...]:
    """Every site-packages or dist-packages folder of /usr and the Python installation."""
    found = set()
    for root in (Path("/usr"), *python_roots()):
        for pattern in ("lib/python3*/*-packages", "lib/python3/dist-packages",
                        "local/lib/python3*/*-packages"):
            found.update(p.resolve() for p in root.glob(pattern) if p.is_dir())
    return tuple(sorted(found))


@lru_cache(maxsize=1)
def real_packages() -> dict[str, Path]:
    """Host folders of the packages student code may be given."""
    packages = {"numpy": Path(np.__file__).resolve().parent}
    libs = packages["numpy"].parent / "numpy.libs"  # a wheel's bundled OpenBLAS
    if libs.is_dir():
        packages["numpy.libs"] = libs
    spec = find_spec("cs231n_fast")
    if spec is not None and spec.submodule_search_locations:
        packages["cs231n_fast"] = Path(next(iter(spec.submodule_search_locations))).resolve()
    return packages


def site_packages(job: Path, function: str, may_use: tuple[str, ...]) -> dict[str, Path]:
    """{name in the child's site folder: host path} for what `function` may use."""
    real = real_packages()
    site = {name: path for name, path in real.items() if name.startswith("numpy")}
    if "cs231n_fast" in may_use and "cs231n_fast" in real:
        site["cs231n_fast"] = real["cs231n_fast"]
    else:
        stub = job / "stub" / "cs231n_fast"
        stub.mkdir(parents=True, exist_ok=True)
        reason = ("the naive layers may use NumPy and the standard library only"
                  if "cs231n_fast" not in may_use else "it is not built on the grader")
        (stub / "__init__.py").write_text(STUB.format(function=function, reason=reason))
        site["cs231n_fast"] = stub
    return site


def link_site(folder: Path, site: dict[str, Path]) -> None:
    """Without bwrap the child sees the host: its site folder is a folder of links."""
    folder.mkdir(exist_ok=True)
    for name, path in site.items():
        (folder / name).symlink_to(path)


@dataclass(frozen=True)
class ChildPaths:
    """Where the child finds things, as it sees them."""

    job: str
    submission: str
    site: str


def child_paths(mechanism: str, workdir: Path, submission: Path) -> ChildPaths:
    if mechanism == "bwrap":
        return ChildPaths(str(INSIDE / "job"), str(INSIDE / "submission"), str(INSIDE / "site"))
    return ChildPaths(str(workdir / "job"), str(submission), str(workdir / "site"))


def _bwrap_dirs(path: Path) -> list[str]:
    """bwrap creates missing parents with mode 0700; make them traversable by the child."""
    args = []
    for parent in reversed(path.parents):
        if parent != Path("/"):
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def _bwrap(sandbox: Sandbox, workdir: Path, submission: Path, site: dict[str, Path],
           uid: int) -> list[str]:
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
    command += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777",
                "--size", str(sandbox.limits.scratch_bytes), "--tmpfs", "/tmp"]
    for root in python_roots():
        command += _bwrap_dirs(root) + ["--ro-bind", str(root), str(root)]
    for hidden in hidden_package_folders():
        command += ["--tmpfs", str(hidden)]
    command += ["--perms", "0755", "--dir", str(INSIDE), "--perms", "0755",
                "--dir", str(INSIDE / "site"),
                "--ro-bind", str(workdir / "job"), str(INSIDE / "job"),
                "--ro-bind", str(submission), str(INSIDE / "submission")]
    for name, path in site.items():
        command += ["--ro-bind", str(path), str(INSIDE / "site" / name)]
    command += ["--chdir", "/tmp"]
    if sandbox.drop_uid:
        return command + ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--",
                          *_setpriv(uid)]
    return command + ["--unshare-user", "--"]


def _setpriv(uid: int) -> list[str]:
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]


def _unshare(sandbox: Sandbox, uid: int, keep: Path) -> list[str]:
    """unshare's namespaces, then capped tmpfs over the world-writable places; `keep` (the
    folder holding the job and the submission) is bound back in case a tmpfs covered it."""
    size = sandbox.limits.scratch_bytes
    mounts = " && ".join(f"mount -t tmpfs -o size={size},mode=1777,nosuid,nodev tmpfs {place}"
                         for place in ("/tmp", "/var/tmp", "/dev/shm") if Path(place).is_dir())
    # The kept folder is held as the shell's working directory (no descriptor of our own: the
    # child's inherited descriptors keep their numbers) and bound back from /proc/self/cwd.
    script = (f'cd "$1" && {mounts} && mkdir -p "$1" && '
              'mount --no-canonicalize --bind /proc/self/cwd "$1" && '
              'cd /tmp && shift && exec "$@"')
    inner = _setpriv(uid) if sandbox.drop_uid else []
    return ["setpriv", "--pdeathsig", "KILL", "--", "unshare", "--pid", "--fork",
            "--kill-child", "--net", "--ipc", "--uts", "--mount", "--mount-proc", "--",
            "sh", "-c", script, "sandbox", str(keep), *inner]


def build_command(sandbox: Sandbox, workdir: Path, submission: Path, site: dict[str, Path],
                  python_args: list[str], uid: int) -> list[str]:
    """The full command: mechanism prefix, then the real interpreter in isolated mode."""
    python = [python_executable(), "-I", "-S", *python_args]
    if sandbox.mechanism == "bwrap":
        return _bwrap(sandbox, workdir, submission, site, uid) + python
    if sandbox.mechanism == "unshare":
        keep = Path(os.path.commonpath([workdir, submission]))
        return _unshare(sandbox, uid, keep) + python
    # plain: no namespace to die with, so the child asks to be killed when the grader dies.
    dies_with_grader = ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []
    return dies_with_grader + (_setpriv(uid) if sandbox.drop_uid else []) + python


def tools_missing(mechanism: str, drop_uid: bool) -> list[str]:
    tools = {"bwrap": ["bwrap"], "unshare": ["unshare", "setpriv", "sh"], "plain": []}[mechanism]
    if drop_uid:
        tools.append("setpriv")
    return [t for t in tools if shutil.which(t) is None]
