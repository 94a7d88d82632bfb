"""Which hints a function's results get: each must name one cause.

Three sources, applied after the cases are scored (grader.grade_function):

- a case's ``matches``: the student's output equals what a known bug returns for the same inputs
  (``autograder/cases/_alternatives.py``), so the bug is named with certainty;
- a case's ``nonfinite_hint`` when it is a function of the outputs (softmax: NaN from an exp
  that overflowed vs inf from the log of a probability that underflowed), added to the
  message as a plain ``nonfinite_hint`` is;
- a ``Hint``'s pattern of passes and failures.

A case that failed because the call raised, crashed or timed out gets its exception and the
student's frames, plus advice when the error message itself is recognisable
(``autograder/explain.py``), never a hint about the maths: a pattern hint applies to it only
when the hint's ``when`` says so (the pattern then identifies the cause whatever the error).
"""

import numpy as np

from autograder import explain


def _close(actual, other) -> bool:
    if not isinstance(other, np.ndarray):
        other = np.asarray(other, dtype=np.float64)
    if actual.shape != other.shape:
        return False
    if actual.size == 0:
        return True
    if not np.all(np.isfinite(actual)):
        return False
    scale = max(float(np.max(np.abs(other))), 1e-8)
    return float(np.max(np.abs(actual.astype(np.float64) - other))) / scale < 1e-6


def crashed(case, runs, ids) -> bool:
    """True when none of the case's probes returned (raised, crashed, timed out, not run)."""
    return all(runs.get(ids[p.key]) is None or runs[ids[p.key]].status != "ok"
               for p in case.probes)


def matched(case, runs, expected, drawn, ids) -> list[str]:
    """Messages of the known bugs whose output the student's output equals."""
    found: list[str] = []
    if case.output is None:
        return found
    for probe in case.probes:
        probe_id = ids[probe.key]
        run = runs.get(probe_id)
        if run is None or run.status != "ok" or case.output not in run.outputs:
            continue
        actual = run.outputs[case.output]
        inputs = drawn[probe_id].get("forward", drawn[probe_id])  # see cases/_build.py
        for message, alternative in case.matches:
            if message not in found and _close(actual, alternative(inputs, expected[probe_id])):
                found.append(message)
        if found:
            break
    return found


def nonfinite(case, runs, drawn, ids) -> str | None:
    """The case's nonfinite_hint, when it is a function of the outputs and the output of the
    first probe that returned holds NaN or inf."""
    if not callable(case.nonfinite_hint):
        return None
    for probe in case.probes:
        run = runs.get(ids[probe.key])
        if run is not None and run.status == "ok" and case.output in run.outputs:
            if np.all(np.isfinite(run.outputs[case.output])):
                return None
            return case.nonfinite_hint(run.outputs, drawn[ids[probe.key]])
    return None


def apply(tests, results, passed, runs, expected, drawn, ids) -> None:
    """Add hints to the failed results of one function (in place)."""
    did_crash = {case.key: crashed(case, runs, ids) for case in tests.cases}
    _explain_failures(tests, results, did_crash, runs, expected, drawn, ids)
    _pattern_hints(tests, results, passed, did_crash)


def _explain_failures(tests, results, did_crash, runs, expected, drawn, ids) -> None:
    """Per failed case: advice for a recognised error, or the bug its output matches."""
    advised: set[str] = set()  # each piece of advice once per function, on its first failure
    for result, case in zip(results, tests.cases, strict=True):
        if result.passed or case.check == "unmodified":
            continue
        if did_crash[case.key]:
            said = explain.advice(result.message)
            if said and said not in advised:
                advised.add(said)
                result.hints.append(said)
            continue
        result.hints += matched(case, runs, expected, drawn, ids)
        said = nonfinite(case, runs, drawn, ids)
        if said:  # in the message, as a plain nonfinite_hint is (grader._compare)
            result.message += f"; hint: {said}"


def _pattern_hints(tests, results, passed, did_crash) -> None:
    """The hints whose pattern of passes and failures matches, on the failing cases."""
    for hint in tests.hints:
        if not (all(not passed[k] for k in hint.failing) and all(passed[k] for k in hint.passing)):
            continue
        crashes = [did_crash[k] for k in hint.failing]
        if (hint.when == "wrong" and any(crashes)) or (hint.when == "crash" and not all(crashes)):
            continue
        for result, case in zip(results, tests.cases, strict=True):
            if case.key in hint.failing and hint.message not in result.hints:
                result.hints.append(hint.message)
