"""Turn whatever a student uploaded to Gradescope into an ``assignment2`` folder the grader reads.

Gradescope puts the upload in ``/autograder/submission``.  Two shapes are accepted:

- a tree: somewhere in the upload (the shallowest one wins) there is a ``cs231n/`` folder, e.g.
  ``cs231n/layers.py`` and ``cs231n/classifiers/cnn.py``, or ``assignment2/cs231n/...`` from a
  zipped assignment folder.  Every ``.py`` file under it is used, at its relative path.
- flat files: ``layers.py``, ``cnn.py``, ... uploaded on their own.  Each is placed at the one
  path of the student view with that file name (``cnn.py`` -> ``cs231n/classifiers/cnn.py``);
  names that are not unique there (``__init__.py``) or unknown are skipped and reported.

Notebooks (``*.ipynb``) go to the top of the folder in both cases.  Symlinks are never followed
(a link to a grader file would otherwise be copied in as the student's own); links and
non-regular files are named in the summary.  Files the student did not upload keep the
student-view (stub) version, so a missing file costs the points of its functions and nothing
crashes.
"""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from autograder.never_copied import PARTS as NEVER_COPIED
from autograder.never_copied import ignore_patterns


@dataclass
class Assembly:
    """What was taken from the upload, and what was left out (shown to the student)."""

    layout: str = "empty"  # "tree", "flat" or "empty"
    used: list = field(default_factory=list)  # paths inside the assignment folder
    skipped: list = field(default_factory=list)  # upload paths that were not used, with why

    def summary(self):
        lines = [f"Submission layout: {self.layout}; files used: {', '.join(self.used) or 'none'}"]
        lines += [f"  not used: {item}" for item in self.skipped]
        return "\n".join(lines)


MAX_DEPTH = 12
MAX_ENTRIES = 20_000


def _walk(root):
    """(path, kind) for every entry under ``root``, shallowest first; kind is "dir", "file",
    "link" or "other".  Iterative and bounded, never through a link, no editor or OS litter."""
    queue, seen = [(Path(root), 0)], 0
    while queue:
        folder, depth = queue.pop(0)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_ENTRIES or entry.name in NEVER_COPIED:
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                yield path, "link"
            elif entry.is_dir(follow_symlinks=False):
                yield path, "dir"
                if depth + 1 < MAX_DEPTH:
                    queue.append((path, depth + 1))
            else:
                yield path, "file" if entry.is_file(follow_symlinks=False) else "other"


def _files(root, suffix, skipped=None, upload=None):
    """Regular files under ``root`` ending in ``suffix``, shallowest first (so they win over
    nested copies); links and odd files of that name are reported in ``skipped``."""
    found = []
    for path, kind in _walk(root):
        if not path.name.endswith(suffix):
            continue
        if kind == "file":
            found.append(path)
        elif skipped is not None:
            why = "symbolic link: not followed" if kind == "link" else "not a regular file"
            skipped.append(f"{path.relative_to(upload or root).as_posix()} ({why})")
    return sorted(found, key=lambda p: (len(p.parts), str(p)))


def _find_package_dir(upload, skipped):
    candidates = []
    for path, kind in _walk(upload):
        if path.name == "cs231n" and kind == "dir":
            candidates.append(path)
        elif path.name == "cs231n" and kind == "link":
            skipped.append(f"{path.relative_to(upload).as_posix()} (symbolic link: not "
                           "followed; upload the files themselves)")
    return min(candidates, key=lambda p: (len(p.parts), str(p)), default=None)


def assemble(upload_dir, student_view, out_dir):
    """Copy ``student_view`` to ``out_dir`` and lay the upload's files over it.

    Parameters
    ----------
    upload_dir : path
        What the student uploaded (Gradescope's ``/autograder/submission``).
    student_view : path
        The released ``assignment2`` folder (notebooks and the stubbed ``cs231n``).
    out_dir : path
        Where to build the folder to grade; replaced if it exists.

    Returns
    -------
    Assembly
    """
    upload, view, out = Path(upload_dir), Path(student_view), Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(view, out, ignore=ignore_patterns())
    result = Assembly()
    if not upload.is_dir():
        result.skipped.append(f"{upload} (no upload folder)")
        return result

    package = _find_package_dir(upload, result.skipped)
    _copy_notebooks(package.parent if package is not None else upload, upload, out, result)
    if package is not None:
        _copy_tree(package, upload, out, result)
    else:
        _copy_flat(upload, view, out, result)
    return result


def _copy_notebooks(root, upload, out, result):
    """Notebooks under ``root`` go to the top of ``out``, shallowest first, one per name."""
    for notebook in _files(root, ".ipynb"):
        if notebook.name in result.used:
            result.skipped.append(f"{notebook.relative_to(upload).as_posix()} (duplicate name)")
            continue
        shutil.copy2(notebook, out / notebook.name)
        result.used.append(notebook.name)


def _copy_tree(package, upload, out, result):
    """Every .py file under the upload's ``cs231n/`` at its relative path."""
    result.layout = "tree"
    for source in _files(package, ".py", result.skipped, upload):
        relative = Path("cs231n") / source.relative_to(package)
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, out / relative)
        result.used.append(relative.as_posix())


def _copy_flat(upload, view, out, result):
    """Loose .py files, each at the one path of the student view with its name."""
    by_name = {}
    for known in _files(view / "cs231n", ".py"):
        by_name.setdefault(known.name, []).append(known.relative_to(view))
    for source in _files(upload, ".py", result.skipped, upload):
        matches = by_name.get(source.name, [])
        where = source.relative_to(upload).as_posix()
        if len(matches) != 1 or matches[0].as_posix() in result.used:
            why = ("not a file of the assignment" if not matches else
                   "name is ambiguous" if len(matches) > 1 else "duplicate name")
            result.skipped.append(f"{where} ({why})")
            continue
        shutil.copy2(source, out / matches[0])
        result.used.append(matches[0].as_posix())
    if result.used:
        result.layout = "flat"
