"""Copy what a student needs besides the package and notebooks.

- ``cs231n_fast/``: the Cython kernels' sources (``*.pyx``, ``*.pxd``, ``*.h``) and Python
  files, never the generated ``.c`` or compiled ``.so``;
- ``setup.py`` from the kit root (the same Cython build) and ``pyproject.toml`` from
  ``templates/`` (the root one also packages the instructor's ``autograder`` and ``kit``);
- ``README.md`` and ``collect_submission.py`` from ``templates/``.
"""

import shutil
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
FAST_SUFFIXES = {".py", ".pyx", ".pxd", ".h"}
STUDENT_FILES = ("pyproject.toml", "README.md", "collect_submission.py")


def fast_sources(folder):
    """The sorted source files of the kernels' package ``folder`` (also bundled by
    ``kit.gradescope``); ``FileNotFoundError`` when it has no ``__init__.py`` or no ``*.pyx``."""
    fast = sorted(p for p in folder.glob("*") if p.is_file() and p.suffix in FAST_SUFFIXES)
    if not any(p.suffix == ".pyx" for p in fast) or not (folder / "__init__.py").is_file():
        raise FileNotFoundError(f"{folder} has no __init__.py or no *.pyx kernels")
    return fast


def copy_build_files(layout):
    """Fill ``<staging>`` with ``cs231n_fast/``, ``setup.py`` and the student templates."""
    target = layout.staging / "cs231n_fast"
    target.mkdir(parents=True, exist_ok=True)
    for path in fast_sources(layout.fast):
        _copy(path, target / path.name)
    _copy(layout.root / "setup.py", layout.staging / "setup.py")
    for name in STUDENT_FILES:
        _copy(TEMPLATES / name, layout.staging / name)


def _copy(source, destination):
    shutil.copyfile(source, destination)
    destination.chmod(0o644)
