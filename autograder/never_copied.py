"""What no copier of the kit ever copies: caches, build outputs, downloaded data, grading
databases, editor and OS litter.  The one definition used by the release, its leak check, the
Gradescope zip and upload layout, nbgrader's CourseDirectory.ignore and the test submissions.
"""

import shutil
from pathlib import PurePath

PARTS = frozenset({"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache", "build",
                   "__MACOSX", ".git", "cifar-10-batches-py"})
PART_SUFFIXES = (".egg-info",)
SUFFIXES = frozenset({".pyc", ".pyo", ".so", ".pyd", ".dll", ".dylib", ".o", ".c", ".html",
                      ".gz", ".tar", ".zip", ".jpg", ".jpeg", ".png", ".pkl", ".npz", ".npy",
                      ".db"})


def never_copied(relative: PurePath) -> bool:
    """Whether the file or folder at `relative` (below the tree being copied) stays behind."""
    parts = PurePath(relative).parts
    return (any(part in PARTS or part.endswith(PART_SUFFIXES) for part in parts)
            or PurePath(relative).suffix.lower() in SUFFIXES)


def glob_patterns(*extra: str) -> list[str]:
    """The same rule as shell globs (nbgrader's CourseDirectory.ignore), plus `extra`."""
    return [*sorted(PARTS), *(f"*{s}" for s in PART_SUFFIXES), *(f"*{s}" for s in
                                                                  sorted(SUFFIXES)), *extra]


def ignore_patterns(*extra: str):
    """The same rule for shutil.copytree, plus `extra` names or globs."""
    return shutil.ignore_patterns(*glob_patterns(*extra))
