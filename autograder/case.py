"""Test cases as data: what to run (a Probe), what to compare (a Case), what to say (a Hint).

A probe is one call into the student's code, run in the sandbox; its inputs are drawn from the
submission's seed, so two probes with the same key see the same arrays.  Several cases may read
different outputs of one probe (dx, dw and db of one backward call earn separate points).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# A builder draws a probe's inputs: rng -> {"args": [...], and per kind "dout", "X", ...}.
Builder = Callable[[np.random.Generator], dict[str, Any]]


@dataclass(frozen=True)
class Probe:
    """One call into the student's code (see autograder/runner.py for the kinds)."""

    key: str
    kind: str  # "call" | "forward_backward" | "convnet_init" | "convnet_loss"
    target: str  # "cs231n.layers:conv_forward_naive"
    build: Builder
    returns: tuple[str, ...]
    backward: str | None = None  # forward_backward: the backward function's target
    report: tuple[tuple[str, int, str], ...] = ()  # (output, argument index, dict key)
    grads: tuple[str, ...] = ()  # convnet_loss: which gradients to return
    numpy_seed: int = 0  # convnet_init: np.random.seed before the constructor
    seed_key: str = ""  # probes sharing a seed_key draw the same inputs (default: key)


# Every comparison: max |actual - expected| / max |expected| at most this (autograder.grader).
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Case:
    """One graded check.  Its full name is f"{function}: {name}"."""

    function: str
    key: str
    name: str
    points: float
    probes: tuple[Probe, ...]  # the first that passes counts (e.g. our cache, then theirs)
    output: str | None = None  # which output to compare ("allclose" and "shape" checks)
    check: str = "allclose"  # "allclose" | "unmodified" | "shapes" | "init_scale"
    # Said when the output holds NaN or inf: a message, or (outputs, drawn) -> message or None
    nonfinite_hint: str | Callable[[dict, dict], str | None] | None = None
    # Recognisable bugs: (message, (drawn inputs, reference outputs) -> what the bug returns);
    # the message is said when the student's output equals that array (autograder/hints.py).
    matches: tuple[tuple[str, Callable[[dict, dict], np.ndarray]], ...] = ()

    @property
    def title(self) -> str:
        return f"{self.function}: {self.name}"


@dataclass(frozen=True)
class Hint:
    """Said when every case in `failing` failed and every case in `passing` passed.

    `when` says which failures of the `failing` cases it explains: "wrong" values (the
    default: a case that raised, crashed or timed out gets its exception, not a maths hint),
    "crash" only, or "any" (the pattern must then identify the cause whatever the error)."""

    message: str
    failing: tuple[str, ...]
    passing: tuple[str, ...] = ()
    when: str = "wrong"


@dataclass(frozen=True)
class FunctionTests:
    function: str
    cases: tuple[Case, ...]
    hints: tuple[Hint, ...] = field(default=())

    def probes(self) -> list[Probe]:
        seen: dict[str, Probe] = {}
        for case in self.cases:
            for probe in case.probes:
                if seen.setdefault(probe.key, probe) is not probe:
                    raise ValueError(f"{self.function}: two probes share the key {probe.key!r}")
        return list(seen.values())
