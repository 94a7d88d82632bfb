"""``make release``: build the student view ``release/assignment2`` from the source of truth.

The steps, in order, are listed in ``pipeline.STEPS``; run them with ``python -m kit.release``.
"""

from .leak_check import Leak, LeakError, find_leaks
from .pipeline import STEPS, build_release
from .regions import MarkerError, strip_solutions

__all__ = ["STEPS", "Leak", "LeakError", "MarkerError", "build_release", "find_leaks",
           "strip_solutions"]
