"""Build submissions for tests, demos and the samples: the reference or the student stubs, with
source appended to chosen modules.

Two ways to change a submission, for two jobs: ``make_submission`` appends any source to a module
(a redefinition replaces one function; hostile tests append import-time code), while a sample's
bug file replaces functions in place with ``samples/patch.py`` and fails if it stops applying.
Both start from ``copy_reference_or_stubs``.
"""

import os
import shutil
import textwrap
from pathlib import Path

from autograder.never_copied import ignore_patterns
from autograder.reference import REFERENCE_DIR

REFERENCE_PACKAGE = REFERENCE_DIR / "cs231n"
# $CS231N_RELEASE_DIR points at another student view (e.g. a release built elsewhere).
RELEASE_DIR = Path(os.environ.get("CS231N_RELEASE_DIR")
                   or REFERENCE_DIR.parent / "release" / "assignment2")
# Never copied into a submission: what no copier copies, and the datasets folder.
IGNORE = ignore_patterns("datasets")


def copy_reference_or_stubs(package: str | Path, stub: bool = False,
                            release_dir: str | Path = RELEASE_DIR,
                            reference_dir: str | Path = REFERENCE_PACKAGE) -> Path:
    """Copy the reference ``cs231n`` package (or, with stub=True, the release's) to ``package``."""
    source = Path(release_dir) / "cs231n" if stub else Path(reference_dir)
    if not (source / "__init__.py").is_file():
        hint = "; run `make release` first" if stub else ""
        raise FileNotFoundError(f"no cs231n package at {source}{hint}")
    shutil.copytree(source, package, ignore=IGNORE)
    return Path(package)


def make_submission(destination: str | Path, overrides: dict[str, str] | None = None,
                    stub: bool = False) -> Path:
    """Write a submission folder holding a cs231n package and return it.

    overrides maps a module path inside cs231n (e.g. "layers.py") to source appended to it.
    stub=True starts from the student view (release/assignment2) instead of the reference.
    """
    destination = Path(destination)
    package = copy_reference_or_stubs(destination / "cs231n", stub)
    for module, source in (overrides or {}).items():
        path = package / module
        path.write_text(path.read_text() + "\n\n" + textwrap.dedent(source).strip() + "\n")
    return destination
