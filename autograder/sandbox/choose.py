"""Choose the strongest sandbox mechanism that works on this machine, and say what it enforces.

Mechanisms, strongest first ($CS231N_SANDBOX=bwrap|unshare|plain forces a weaker one, e.g. to
test the fallbacks):

bwrap    bubblewrap: PID, network, IPC and UTS namespaces; a file system holding only /usr, the
         Python installation with every package folder hidden, the job, the submission and the
         allowed packages (read-only), and a size-capped tmpfs /tmp.  As root the child then
         drops to its own unprivileged uid (setpriv); without root bwrap uses a user namespace.
unshare  util-linux unshare (root only): PID, network, IPC, UTS and mount namespaces, capped
         tmpfs over /tmp, /var/tmp and /dev/shm, an unprivileged uid; host files stay readable.
plain    a new session and rlimits only.

A trial run decides: the mechanism must start the real interpreter and import numpy.
"""

import os
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from autograder.sandbox.cleanup import remove_tree
from autograder.sandbox.command import (
    Sandbox,
    build_command,
    child_env,
    is_root,
    link_site,
    next_uid,
    real_packages,
    tools_missing,
)
from autograder.sandbox.limits import Limits

MECHANISMS = ("bwrap", "unshare", "plain")


@lru_cache(maxsize=1)
def detect(forced: str | None = None) -> Sandbox:
    """The strongest mechanism that works here."""
    forced = forced or os.environ.get("CS231N_SANDBOX") or None
    if forced and forced not in MECHANISMS:
        raise ValueError(f"CS231N_SANDBOX={forced!r}: expected one of {MECHANISMS}")
    order = MECHANISMS[MECHANISMS.index(forced):] if forced else MECHANISMS
    candidates = []
    for mechanism in order:
        candidates.append((mechanism, is_root()))
        if mechanism == "bwrap" and is_root():
            candidates.append(("bwrap", False))  # e.g. when high uids are not mapped
    candidates.append(("plain", False))
    reasons = []
    for mechanism, drop_uid in candidates:
        problem = _unavailable(mechanism, drop_uid)
        if problem is None:
            return describe(mechanism, drop_uid, reasons)
        reasons.append(f"{mechanism}{' with a uid of its own' if drop_uid else ''} "
                       f"unavailable: {problem}")
    raise AssertionError("plain is always available")


def _unavailable(mechanism: str, drop_uid: bool) -> str | None:
    if mechanism == "plain" and not drop_uid:
        return None
    if mechanism == "unshare" and not is_root():
        return "needs root"
    missing = tools_missing(mechanism, drop_uid)
    if missing:
        return f"{', '.join(missing)} not installed"
    workdir = Path(tempfile.mkdtemp(prefix="ag-probe-"))
    try:
        (workdir / "job").mkdir()
        (workdir / "empty").mkdir()
        site = {k: v for k, v in real_packages().items() if k.startswith("numpy")}
        if mechanism != "bwrap":
            link_site(workdir / "site", site)
        os.chmod(workdir, 0o711)
        sandbox = Sandbox(mechanism, drop_uid=drop_uid)
        inside = "/sandbox/site" if mechanism == "bwrap" else str(workdir / "site")
        command = build_command(sandbox, workdir, workdir / "empty", site, [
            "-c", f"import sys; sys.path.insert(0, {inside!r}); import numpy"], next_uid())
        done = subprocess.run(command, capture_output=True, timeout=60, env=child_env(),
                              cwd=workdir, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    finally:
        remove_tree(workdir)
    if done.returncode != 0:
        return done.stderr.decode(errors="replace").strip()[:300] or f"exit {done.returncode}"
    return None


def describe(mechanism: str, drop_uid: bool, reasons: list[str]) -> Sandbox:
    """The Sandbox with what it enforces and what it does not, in words."""
    limits = Limits()
    scratch = {"bwrap": f"a {limits.scratch_bytes >> 20} MiB tmpfs /tmp only",
               "unshare": (f"{limits.scratch_bytes >> 20} MiB tmpfs over /tmp, /var/tmp and "
                           "/dev/shm; elsewhere what its uid may write"),
               "plain": "whatever the grader's user may write"}[mechanism]
    enforced = [
        "student code runs in a separate child process, never in the grader",
        *limits.describe(scratch),
        ("clocks kept by the grader: each probe's inputs are sent when its clock starts; the "
         "child's process group is killed at the probe's or the function's limit"),
        "inputs the function must not modify are checked by the grader in shared memory",
        "sys.path: the standard library, the submission and the packages the function may use",
    ]
    missing = list(reasons)
    if mechanism in ("bwrap", "unshare"):
        enforced += ["PID namespace: every process the submission started dies with it",
                     "no network (network namespace)"]
    if mechanism == "bwrap":
        enforced.append("file system: only /usr, Python (package folders hidden), the "
                        "submission, the inputs and the allowed packages are visible; the "
                        "reference, hidden cases, other submissions and results are not")
        if drop_uid:
            enforced.append("unprivileged uid of its own, no capabilities, no_new_privs")
        else:
            enforced.append("user namespace (runs as the grader's own uid outside it)")
            missing.append("the child keeps the grader's uid outside its user namespace"
                           + (" (root: the process limit does not apply)" if is_root() else ""))
    elif mechanism == "unshare":
        enforced.append("unprivileged uid of its own (cannot write the grader's files)")
        missing.append("file system not hidden: world-readable files (the reference solution "
                       "too) can be read, and other installed packages imported by adding "
                       "paths; install bubblewrap")
    else:
        enforced.append("own session (process group killed afterwards)")
        missing += ["no PID namespace: a process that leaves its session may survive",
                    "network not blocked",
                    "file system not hidden or write-protected beyond the user's permissions",
                    ("import policy not enforced: other installed packages can be imported by "
                     "adding paths")]
        if drop_uid:
            enforced.append("unprivileged uid of its own")
        else:
            missing.append("runs as the grader's own user" + (" (root!)" if is_root() else ""))
    return Sandbox(mechanism, tuple(enforced), tuple(missing), limits, drop_uid)
