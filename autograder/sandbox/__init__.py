"""Run student code in a child process the grader can always kill, and say what was enforced.

One job per module, each with its invariants in its docstring:

    choose.py     pick the strongest mechanism that works here; describe what it enforces
    limits.py     the limits, turned into both their settings and their description
    command.py    build the child's command line and the packages it may import
    supervise.py  drive the child: send inputs, keep the clocks, judge mutation, kill it
    channel.py    parse what the child sends (bounded, flat frames, .npy headers checked)
    cleanup.py    delete whatever a child left, iteratively, never following a link

The child's side of the protocol is autograder/runner.py.
"""

from autograder.sandbox.choose import MECHANISMS, detect
from autograder.sandbox.command import Sandbox, uid_range
from autograder.sandbox.limits import Limits
from autograder.sandbox.supervise import ProbeRun, run_probes

__all__ = ["MECHANISMS", "Limits", "ProbeRun", "Sandbox", "detect", "run_probes", "uid_range"]
