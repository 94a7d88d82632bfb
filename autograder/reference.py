"""The trusted reference package, imported in the grader's process (never in the sandbox).

It lives at ``assignment/`` beside this package (override with $CS231N_REFERENCE_DIR).  The grader
refuses to run if ``import cs231n`` would pick up anything else, e.g. a student's package.
"""

import importlib
import os
import sys
from pathlib import Path

from autograder.seeding import GraderFault

REFERENCE_DIR = Path(os.environ.get("CS231N_REFERENCE_DIR")
                     or Path(__file__).resolve().parents[1] / "assignment").resolve()


def use_reference() -> Path:
    """Make ``import cs231n`` load the reference: its folder first on sys.path.  The one way the
    kit makes the reference importable (grader, showcase, benchmarks, the tests' conftest)."""
    if str(REFERENCE_DIR) not in sys.path:
        sys.path.insert(0, str(REFERENCE_DIR))
    return REFERENCE_DIR


def load_reference(modules=("cs231n.layers", "cs231n.classifiers.cnn")):
    """Import the reference modules; raise GraderFault when they are missing or not ours."""
    if not (REFERENCE_DIR / "cs231n" / "__init__.py").is_file():
        raise GraderFault(f"reference package not found at {REFERENCE_DIR}/cs231n "
                          "(set CS231N_REFERENCE_DIR)")
    use_reference()
    loaded = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except Exception as error:
            raise GraderFault(f"cannot import the reference {name} from {REFERENCE_DIR}: "
                              f"{type(error).__name__}: {error}") from error
        origin = Path(module.__file__).resolve()
        if REFERENCE_DIR not in origin.parents:
            raise GraderFault(f"'import {name}' found {origin}, not the reference under "
                              f"{REFERENCE_DIR}: run the grader outside submission folders")
        loaded.append(module)
    return loaded
