"""Build submissions for tests and demos: the reference, the student stubs, or the reference with
one function replaced (a redefinition appended to its module, so only that function changes)."""

import re
import shutil
import textwrap
from pathlib import Path

from autograder.reference import REFERENCE_DIR

RELEASE_DIR = REFERENCE_DIR.parent / "release" / "assignment2"
_REGION = re.compile(r"^([ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*\n",
                     re.MULTILINE | re.DOTALL)
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "datasets", "*.so", "*.c")


def strip_solutions(text: str) -> str:
    """What a student starts from: every solution region becomes a NotImplementedError."""
    return _REGION.sub(lambda m: f'{m.group(1)}raise NotImplementedError("not implemented")\n',
                       text)


def make_submission(destination: str | Path, overrides: dict[str, str] | None = None,
                    stub: bool = False) -> Path:
    """Write a submission folder holding a cs231n package and return it.

    overrides maps a module path inside cs231n (e.g. "layers.py") to source appended to it.
    stub=True starts from release/assignment2 when it exists, else strips the reference.
    """
    destination = Path(destination)
    package = destination / "cs231n"
    released = RELEASE_DIR / "cs231n"
    if stub and (released / "layers.py").is_file():
        shutil.copytree(released, package, ignore=_IGNORE)
    else:
        shutil.copytree(REFERENCE_DIR / "cs231n", package, ignore=_IGNORE)
        if stub:
            for path in package.rglob("*.py"):
                path.write_text(strip_solutions(path.read_text()))
    for module, source in (overrides or {}).items():
        path = package / module
        path.write_text(path.read_text() + "\n\n" + textwrap.dedent(source).strip() + "\n")
    return destination
