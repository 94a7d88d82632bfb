"""Fail the release if anything a student must not see is in it.

Kinds of leak, each reported with the file (and line where there is one):

- ``solution-marker``: a ``BEGIN SOLUTION`` / ``END SOLUTION`` line survived;
- ``hidden-test-marker``: a ``BEGIN HIDDEN TESTS`` / ``END HIDDEN TESTS`` line survived;
- ``reference-line``: a line of a reference solution region or of a hidden test appears
  (only lines that occur nowhere outside those regions in the sources count, so provided code
  shared with a solution is not flagged);
- ``autograder-import``: code importing the instructor's ``autograder`` package;
- ``cache-or-binary``: ``__pycache__``, ``.ipynb_checkpoints``, compiled or generated files
  (``.pyc``, ``.so``, ``.c``, ...), build folders, or any file holding NUL bytes (data, images);
- ``notebook-output``: a notebook cell with outputs or an execution count;
- ``instructor-file``: the gradebook, nbgrader's config, or the kit's instructor folders.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from autograder.never_copied import PART_SUFFIXES, PARTS, never_copied

from .markers import BEGIN_HIDDEN_TESTS, BEGIN_SOLUTION, END_HIDDEN_TESTS, END_SOLUTION
from .regions import find_regions, solution_lines

SOLUTION_MARKERS = (BEGIN_SOLUTION, END_SOLUTION)
HIDDEN_MARKERS = (BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS)
AUTOGRADER_IMPORT = re.compile(r"^\s*(from\s+autograder(\.|\s)|import\s+autograder\b)")
INSTRUCTOR_NAMES = {"nbgrader_config.py", "gradebook.db", "autograder", "kit", "tests",
                    "source_notebooks", "autograded", "submitted", "feedback"}
# Shorter lines ("pass", "return dx") are too common to call a leak.
MIN_REFERENCE_CHARS = 12


@dataclass(frozen=True)
class Leak:
    kind: str
    path: str
    line: int | None
    detail: str

    def __str__(self):
        if self.line is None:
            where = self.path
        elif self.path.endswith(".ipynb"):
            where = f"{self.path} cell {self.line}"
        else:
            where = f"{self.path}:{self.line}"
        return f"{self.kind}: {where}: {self.detail}"


class LeakError(RuntimeError):
    """The release holds instructor material; ``leaks`` lists every finding."""

    def __init__(self, leaks):
        self.leaks = list(leaks)
        super().__init__("release leak check failed:\n" + "\n".join(f"  {x}" for x in leaks))


def _notebook_lines(path):
    """(cell number, line) pairs of a notebook's cell sources."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        for line in source.splitlines():
            yield number, line


def _hidden_lines(notebook_path):
    """Stripped lines inside the hidden-test regions of a source notebook, and outside."""
    inside, outside, hidden = [], [], False
    for _, line in _notebook_lines(notebook_path):
        if any(m in line for m in HIDDEN_MARKERS):
            hidden = HIDDEN_MARKERS[0] in line
        elif line.strip():
            (inside if hidden else outside).append(line.strip())
    return inside, outside


def reference_lines(package_dir, notebook_dir, provided_dirs=()):
    """Lines only the instructor has: solution-region lines of the reference package and
    hidden-test lines of the source notebooks, minus short ones and minus any line that also
    occurs in provided code (outside those regions, or in ``provided_dirs``' Python files)."""
    secret, public = set(), set()
    for folder in provided_dirs:
        for path in sorted(Path(folder).rglob("*.py*")):
            if path.suffix in (".py", ".pyx", ".pxd", ".h"):
                public.update(line.strip() for line in path.read_text("utf-8").splitlines())
    for path in sorted(Path(package_dir).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        covered = set()
        for region in find_regions(text, path):
            covered.update(range(region.begin - 1, region.end))
        public.update(line.strip() for i, line in enumerate(lines) if i not in covered)
        secret.update(solution_lines(text, path))
    for path in sorted(Path(notebook_dir).glob("*.ipynb")):
        inside, outside = _hidden_lines(path)
        secret.update(inside)
        public.update(outside)
    return {line for line in secret - public
            if len(line) >= MIN_REFERENCE_CHARS and not line.startswith("#")}


def _text_lines(path):
    """(line number or cell number, line) pairs of a text file or notebook."""
    if path.suffix == ".ipynb":
        return list(_notebook_lines(path))
    return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))


def _notebook_outputs(path, shown):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            yield Leak("notebook-output", shown, number,
                       f"cell {number} has outputs or an execution count")


def find_leaks(release_dir, secret_lines=frozenset()):
    """Every leak in ``release_dir`` (a list, empty when the release is clean).

    Parameters
    ----------
    release_dir : str or os.PathLike
        The built student folder.
    secret_lines : set of str
        Stripped lines only the instructor has (see ``reference_lines``).
    """
    release_dir = Path(release_dir)
    leaks = []
    for path in sorted(release_dir.rglob("*")):
        shown = path.relative_to(release_dir).as_posix()
        parts = path.relative_to(release_dir).parts
        if parts[-1] in INSTRUCTOR_NAMES:
            leaks.append(Leak("instructor-file", shown, None, "instructor-only file or folder"))
            continue
        if never_copied(Path(*parts)):
            if path.is_file() or parts[-1] in PARTS or parts[-1].endswith(PART_SUFFIXES):
                leaks.append(Leak("cache-or-binary", shown, None, "cache or build output"))
            continue
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data:
            leaks.append(Leak("cache-or-binary", shown, None, "binary file"))
            continue
        try:
            lines = _text_lines(path)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            leaks.append(Leak("cache-or-binary", shown, None, f"unreadable text: {err}"))
            continue
        if path.suffix == ".ipynb":
            leaks.extend(_notebook_outputs(path, shown))
        for number, line in lines:
            if any(m in line for m in SOLUTION_MARKERS):
                leaks.append(Leak("solution-marker", shown, number, line.strip()))
            elif any(m in line for m in HIDDEN_MARKERS):
                leaks.append(Leak("hidden-test-marker", shown, number, line.strip()))
            elif AUTOGRADER_IMPORT.match(line):
                leaks.append(Leak("autograder-import", shown, number, line.strip()))
            elif line.strip() in secret_lines:
                leaks.append(Leak("reference-line", shown, number, line.strip()))
    return leaks


def leak_check(layout):
    """Pipeline step: raise ``LeakError`` listing every leak in the staging folder."""
    secret = reference_lines(layout.package, layout.source_notebooks, [layout.fast])
    leaks = find_leaks(layout.staging, secret)
    if leaks:
        raise LeakError(leaks)
