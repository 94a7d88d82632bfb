"""Find a student's cs231n package and copy its Python files for grading: files, never links.

Invariants:
- Nothing is read through a symbolic link.  A link at the submission folder, at any folder
  between it and cs231n/ (an nbgrader or Gradescope sub-folder such as assignment2/), or at
  cs231n/ itself refuses the whole package with a message naming it; a link below cs231n/ is
  skipped with a message naming it.
- Every file is opened with O_NOFOLLOW | O_NONBLOCK and checked with fstat to be a regular
  file before a byte is read; a folder, FIFO, socket or device named *.py is skipped with a
  message.  Reads are bounded per file and for the whole package.
- The walk is iterative and bounded in depth and in entries, so no tree can exhaust the grader.
"""

import hashlib
import json
import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 1 << 20
MAX_PACKAGE_BYTES = 16 << 20
MAX_DEPTH = 6
MAX_ENTRIES = 2000
SKIPPED_FOLDERS = ("__pycache__", "datasets")


ASSIGNMENT = "assignment2"
NBGRADER_STEPS = ("submitted", "autograded")


def student_id(folder: Path, metadata: Path | None = None) -> str | None:
    """The one rule for a student's id, in every layout the grader meets:

    - Gradescope: the first submitter's id (else email, else name) in `metadata`
      (submission_metadata.json); "gradescope-submission" when it cannot be read;
    - nbgrader: <course>/{submitted,autograded}/<id>/<assignment>/ gives <id>;
    - a folder of submissions: <id>/ itself, or <id>/assignment2/.
    None when `folder` is an nbgrader-style assignment folder outside a course (a student's own
    assignment2/ with no id in its path)."""
    if metadata is not None:
        try:
            user = json.loads(Path(metadata).read_text())["users"][0]
            return str(user.get("id") or user.get("email") or user["name"])
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
            return "gradescope-submission"
    folder = Path(os.path.abspath(folder))
    if folder.parent.parent.name in NBGRADER_STEPS or (
            folder.name == ASSIGNMENT and folder.parent.name):
        return folder.parent.name
    return folder.name


class Refused(ValueError):
    """The submission cannot be graded as it is; the message says why (shown to the student)."""


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def find_package_root(folder: Path) -> Path:
    """The folder holding cs231n/: `folder` itself or its one sub-folder that holds it (e.g.
    assignment2/).  Raises Refused when a link stands anywhere on the way."""
    folder = Path(folder)
    if _is_link(folder):
        raise Refused(f"{folder.name} is a symbolic link; submit the files themselves")
    if not folder.is_dir():
        return folder
    if (folder / "cs231n").exists() or _is_link(folder / "cs231n"):
        return folder
    inner = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name)[:MAX_ENTRIES]:
        path = Path(entry.path)
        if entry.is_symlink() and (path / "cs231n").exists():
            raise Refused(f"{entry.name} is a symbolic link; submit the files themselves")
        if entry.is_dir(follow_symlinks=False) and (
                (path / "cs231n").exists() or _is_link(path / "cs231n")):
            inner.append(path)
    return inner[0] if len(inner) == 1 else folder


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, never through a link, at most `limit`; OSError otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(f"{path.name} is not a regular file")
        if info.st_size > limit:
            raise OSError(f"too large ({info.st_size} bytes)")
        data = os.read(fd, limit + 1)
        if len(data) > limit:
            raise OSError("too large")
        return data
    finally:
        os.close(fd)


def read_package(submission: Path) -> tuple[dict[Path, bytes], list[str]]:
    """{path inside cs231n/: bytes} of the package's .py files, and what was skipped.

    Raises Refused when cs231n/ is missing, not a folder, or a link."""
    submission = Path(submission)
    source = submission / "cs231n"
    if _is_link(submission):
        raise Refused(f"{submission.name} is a symbolic link; submit the files themselves")
    if _is_link(source):
        raise Refused("cs231n is a symbolic link; submit the package's files")
    if not source.is_dir() or not _regular_init(source):
        raise Refused(f"no cs231n package (cs231n/__init__.py) in the submission folder "
                      f"{submission.name}")
    files, problems, total = {}, [], 0
    for name, entry in _walk(source, problems):
        skip = _skip(entry, name)
        if skip is not None:
            problems += [skip] if skip else []
            continue
        try:
            data = read_regular(Path(entry.path), MAX_FILE_BYTES)
        except OSError as error:
            problems.append(f"skipped {name}: {error.strerror or error}")
            continue
        if total + len(data) > MAX_PACKAGE_BYTES:
            problems.append(f"skipped {name}: the package is larger than "
                            f"{MAX_PACKAGE_BYTES >> 20} MiB")
            continue
        total += len(data)
        files[name] = data
    return files, problems


def _walk(source: Path, problems: list[str]):
    """(path inside the package, entry) of every entry, iteratively, bounded in depth and
    count; sub-folders are entered only when they are real folders (never links)."""
    stack, seen = [(source, Path(), 0)], 0
    while stack:
        folder, relative, depth = stack.pop()
        try:
            listing = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            problems.append(f"skipped folder {relative or '.'}: {error.strerror}")
            continue
        for entry in listing:
            seen += 1
            if seen > MAX_ENTRIES:
                problems.append(f"stopped after {MAX_ENTRIES} entries in the package")
                return
            name = relative / entry.name
            yield name, entry
            if (entry.is_dir(follow_symlinks=False) and not entry.name.endswith(".py")
                    and depth + 1 < MAX_DEPTH and entry.name not in SKIPPED_FOLDERS):
                stack.append((Path(entry.path), name, depth + 1))


def _skip(entry: os.DirEntry, name: Path) -> str | None:
    """None: read this file; "": ignore the entry quietly; else the message saying why not."""
    python = entry.name.endswith(".py")
    if entry.is_symlink():
        return f"skipped symlink {name}" if python or entry.is_dir() else ""
    if entry.is_dir(follow_symlinks=False):
        return f"skipped {name}: a folder, not a Python file" if python else ""
    return None if python else ""


def package_digest(files: dict[Path, bytes]) -> str:
    """SHA-256 over the package's paths and contents: what a grade depends on."""
    digest = hashlib.sha256()
    for name in sorted(files, key=lambda p: p.as_posix()):
        digest.update(name.as_posix().encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def copy_student_package(submission: Path, destination: Path) -> tuple[list[str], str]:
    """Copy submission/cs231n's .py files into destination/cs231n; return (what was skipped,
    the package digest).  Raises Refused as read_package does."""
    files, problems = read_package(submission)
    for name, data in files.items():
        target = Path(destination) / "cs231n" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for path in [Path(destination), *Path(destination).rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return problems, package_digest(files)


def _regular_init(source: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(source / "__init__.py").st_mode)
    except OSError:
        return False
