"""Grade one submission: draw inputs from its seed, ask the reference, ask the sandbox, compare.

The steps per graded function, in order:
    1. build each probe's inputs from the submission's seed        (autograder.seeding)
    2. run the probes on the reference, in this process             (autograder.reference)
    3. run the same probes on the student's code in the sandbox     (autograder.sandbox)
    4. score every case from the two sets of plain arrays           (check_case below)
    5. add the hints whose pattern of passes and failures matches   (Hint)
Expected values never leave this process; the child only ever sees inputs.
"""

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograder import __version__, runner, substitute
from autograder import hints as hint_rules
from autograder.case import TOLERANCE, Case, FunctionTests, Probe
from autograder.cases import TESTS
from autograder.points import MAY_USE, MODULE_OF, POINTS
from autograder.reference import load_reference
from autograder.sandbox import ProbeRun, Sandbox, detect, run_probes
from autograder.sandbox.cleanup import remove_tree
from autograder.seeding import GraderFault, Secret, probe_rng, student_seed
from autograder.submission import Refused, copy_student_package, find_package_root

FUNCTION_OUTPUT_CHARS = 2000


@dataclass
class TestResult:
    function: str
    name: str  # full name, "conv_forward_naive: out, stride 2"
    score: float
    max_score: float
    passed: bool
    message: str
    hints: list[str] = field(default_factory=list)


@dataclass
class FunctionResult:
    function: str
    score: float
    max_score: float
    tests: list[TestResult]
    output: str  # what the student's code printed (truncated)
    seconds: float
    incidents: dict = field(default_factory=dict)  # kind -> probes (see incidents_of)
    note: str = ""  # said once for the function (e.g. which run counted: autograder/substitute.py)
    substituted: str = ""  # reference functions graded in place of the student's ("": none)


@dataclass
class SubmissionResult:
    student_id: str
    seed: int
    secret: str
    sandbox: dict
    functions: list[FunctionResult]
    seconds: float
    grader_version: str = __version__
    problems: list[str] = field(default_factory=list)  # about the submission as a whole
    secret_fingerprint: str = ""
    submission_digest: str = ""  # autograder.submission.package_digest of what was graded

    @property
    def score(self) -> float:
        return round(sum(f.score for f in self.functions), 4)

    @property
    def max_score(self) -> float:
        return sum(f.max_score for f in self.functions)

    @property
    def tests(self) -> list[TestResult]:
        return [t for f in self.functions for t in f.tests]


@dataclass(frozen=True)
class Settings:
    timeout_scale: float = 1.0
    probe_timeout_floor: float = 2.0  # seconds, before scaling
    reference_factor: float = 10.0  # timeout = floor + factor * reference time
    import_timeout: float = 20.0
    function_budget: float = 30.0  # on top of the probes' own timeouts


# ---------------------------------------------------------------------------------------------
# Inputs: drawn per probe, encoded for the child

def _encode(value, arrays: dict, prefix: str, counter: list, shared: dict | None = None,
            label: str = ""):
    """JSON for the runner; arrays go to `arrays` by name.  With `shared`, arrays at this level
    (and inside a tuple at this level) are the caller's arrays the function must not modify:
    recorded as {name: label} and handed to student code as shared memory."""
    if isinstance(value, np.ndarray):
        name = f"{prefix}_{len(counter)}"
        counter.append(name)
        arrays[name] = np.ascontiguousarray(value)
        if shared is not None:
            shared[name] = label
            return {"shared": name}
        return {"array": name}
    if isinstance(value, (tuple, list)):
        items = [_encode(v, arrays, prefix, counter,
                         shared if shared is not None and not label.count(" item ") else None,
                         f"{label} item {i + 1}") for i, v in enumerate(value)]
        return {"tuple": items}
    if isinstance(value, dict):
        return {"dict": {k: _encode(v, arrays, prefix, counter) for k, v in value.items()}}
    if isinstance(value, type) and issubclass(value, np.generic):
        return {"dtype": np.dtype(value).name}
    if isinstance(value, (np.integer, np.floating)):
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"value": value}
    raise TypeError(f"cannot encode {type(value).__name__} for the sandbox")


def build_probe(probe: Probe, probe_id: str, function: str, seed: int, arrays: dict,
                shared: dict | None = None):
    """Draw the probe's inputs and return (drawn inputs, the JSON spec for the runner); the
    arrays the function must not modify are added to `shared` as {name: label}."""
    drawn = probe.build(probe_rng(seed, function, probe.seed_key or probe.key))
    shared = {} if shared is None else shared
    counter: list = []
    spec = {"id": probe_id, "kind": probe.kind, "target": probe.target,
            "returns": list(probe.returns), "report": [list(r) for r in probe.report],
            "grads": list(probe.grads), "numpy_seed": probe.numpy_seed}
    if probe.backward:
        spec["backward"] = probe.backward
    spec["args"] = [_encode(a, arrays, probe_id, counter, shared, f"argument {i + 1}")
                    for i, a in enumerate(drawn.get("args", []))]
    for key in ("dout", "kwargs", "params", "X", "y"):
        if key in drawn:
            watched = shared if key in ("dout", "X") else None
            spec[key] = _encode(drawn[key], arrays, probe_id, counter, watched, key)
    return drawn, spec


# ---------------------------------------------------------------------------------------------
# Checks

def relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    """max |actual - expected| / max |expected| (normwise, so near-zero entries do not dominate)."""
    scale = max(float(np.max(np.abs(expected))) if expected.size else 0.0, 1e-8)
    if actual.size == 0:
        return 0.0
    return float(np.max(np.abs(actual.astype(np.float64) - expected))) / scale


def _shape(array) -> str:
    return str(tuple(array.shape))


def _compare(case: Case, actual, expected) -> tuple[bool, str]:
    if actual is None:
        name = case.output.removeprefix("grad_")
        where = {"running_mean": "bn_param['running_mean'] was not set",
                 "running_var": "bn_param['running_var'] was not set"}
        if case.output.startswith("grad_"):
            return False, f"the grads dict has no {name!r}"
        return False, where.get(case.output, f"no {name} came back from your code")
    if actual.shape != expected.shape:
        if actual.size == expected.size and np.squeeze(actual).shape == np.squeeze(
                expected).shape:
            actual = actual.reshape(expected.shape)
        else:
            return False, (f"{case.output} has shape {_shape(actual)}, expected "
                           f"{_shape(expected)}")
    if not np.all(np.isfinite(actual)):
        message = f"{case.output} contains NaN or inf"
        hint = case.nonfinite_hint if isinstance(case.nonfinite_hint, str) else None
        return False, message + (f"; hint: {hint}" if hint else "")
    error = relative_error(actual, expected)
    if error <= TOLERANCE:
        return True, f"relative error {error:.1e} (tolerance {TOLERANCE:.0e})"
    return False, f"{case.output}: relative error {error:.1e} (tolerance {TOLERANCE:.0e})"


def _run_failure(run: ProbeRun | None) -> str:
    if run is None:
        return "not run"
    return run.message or run.status


def check_case(case: Case, runs: dict[str, ProbeRun], expected: dict[str, dict],
               drawn: dict[str, dict], ids: dict[str, str]) -> tuple[bool, str]:
    """Pass/fail and a message; the first of the case's probes that passes counts."""
    outcomes = []
    for probe in case.probes:
        probe_id = ids[probe.key]
        run = runs.get(probe_id)
        if run is None or run.status != "ok":
            outcomes.append((False, _run_failure(run), False))
            continue
        if case.check == "unmodified":
            ok = not run.modified
            message = "inputs unchanged" if ok else (
                f"your function modified {', '.join(run.modified)}: work on a copy")
        elif case.check == "shapes":
            ok, message = _check_shapes(run.outputs, expected[probe_id])
        elif case.check == "init_scale":
            ok, message = _check_init_scale(run.outputs, drawn[probe_id], expected[probe_id])
        else:
            ok, message = _compare(case, run.outputs.get(case.output), expected[probe_id][
                case.output])
        outcomes.append((ok, message, True))
        if ok:
            return True, message
    # Prefer explaining a wrong value over an exception from an alternative cache layout.
    ran = [o for o in outcomes if o[2]]
    ok, message, _ = (ran or outcomes)[0]
    return False, message


def _check_shapes(outputs: dict, expected: dict) -> tuple[bool, str]:
    """Exactly the parameters the reference has, each with its shape."""
    names = [name for name in expected if name != "num_params"]
    wrong = [f"{name} has shape {_shape(outputs[name])}, expected {_shape(expected[name])}"
             if name in outputs else f"{name} is missing"
             for name in names
             if name not in outputs or outputs[name].shape != expected[name].shape]
    count = outputs.get("num_params")
    if not wrong and (count is None or count.shape != () or int(count) != len(names)):
        entries = int(count) if count is not None and count.size == 1 else "?"
        wrong.append(f"model.params has {entries} entries; expected exactly {', '.join(names)}")
    return (not wrong), "; ".join(wrong) or "all parameter shapes right"


def _check_init_scale(outputs: dict, drawn: dict, expected: dict) -> tuple[bool, str]:
    scale = drawn["kwargs"]["weight_scale"]
    missing = [name for name in expected if name != "num_params" and name not in outputs]
    if missing:
        return False, f"model.params has no {', '.join(missing)}"
    problems = []
    for name, value in sorted(outputs.items()):
        if name.startswith("b") and np.any(value != 0):
            problems.append(f"{name} is not all zeros")
        if name.startswith("W") and value.size >= 20:
            std = float(np.std(value))
            if not 0.7 * scale <= std <= 1.3 * scale or abs(float(np.mean(value))) > 0.3 * scale:
                problems.append(f"{name} has std {std:.2g}, expected about weight_scale={scale}")
    return (not problems), "; ".join(problems) or "weights and biases initialized as asked"


# ---------------------------------------------------------------------------------------------
# Grading

def incidents_of(runs: dict[str, ProbeRun]) -> dict[str, int]:
    """How many probes hit each kind of trouble: timeout, crashed, import_error, not_run, error,
    and among them memory (MemoryError or killed), not_allowed (a refused package) and
    missing_module (an import the sandbox does not have)."""
    counts: dict[str, int] = {}
    for run in runs.values():
        kinds = [run.status] if run.status != "ok" else []
        if "MemoryError" in run.message or "out of memory" in run.message:
            kinds.append("memory")
        if "is not allowed in" in run.message:
            kinds.append("not_allowed")
        elif "No module named" in run.message:
            kinds.append("missing_module")
        for kind in kinds:
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def grade_function(tests: FunctionTests, seed: int, package: Path | None, workdir: Path,
                   sandbox: Sandbox, settings: Settings, missing_reason: str | None = None,
                   hide_child_text: bool = False) -> FunctionResult:
    start = time.perf_counter()
    probes = tests.probes()
    ids = {probe.key: f"p{i}" for i, probe in enumerate(probes)}
    arrays: dict = {}
    drawn, specs, expected, timeouts, shared = {}, [], {}, {}, {}
    for probe in probes:
        probe_id = ids[probe.key]
        shared[probe_id] = {}
        drawn[probe_id], spec = build_probe(probe, probe_id, tests.function, seed, arrays,
                                            shared[probe_id])
        specs.append(spec)
        began = time.perf_counter()
        try:
            expected[probe_id] = runner.run_probe(spec, arrays)
        except Exception as error:
            raise GraderFault(f"the reference failed on {tests.function} probe {probe.key}: "
                              f"{type(error).__name__}: {error}") from error
        reference_seconds = time.perf_counter() - began
        timeouts[probe_id] = settings.timeout_scale * (
            settings.probe_timeout_floor + settings.reference_factor * reference_seconds)
    if missing_reason:
        runs, output = {i: ProbeRun("import_error", missing_reason) for i in ids.values()}, ""
    else:
        budget = settings.timeout_scale * settings.function_budget + sum(timeouts.values())
        import_timeout = settings.import_timeout * settings.timeout_scale
        spec = {"module": MODULE_OF[tests.function], "probes": specs,
                "limits": sandbox.limits.rlimits(budget + import_timeout + 5)}
        runs, output = run_probes(sandbox, workdir, package, spec, arrays, shared, timeouts,
                                  import_timeout, budget, tests.function,
                                  MAY_USE[tests.function])
        if hide_child_text:  # a package with reference code in it: see autograder/substitute.py
            runs, output = substitute.sanitized(runs), ""
    results, passed = [], {}
    for case in tests.cases:
        ok, message = check_case(case, runs, expected, drawn, ids)
        passed[case.key] = ok
        results.append(TestResult(case.function, case.title, case.points if ok else 0.0,
                                  case.points, ok, message))
    # Leaving inputs alone earns nothing until the function computes something right.
    computed = any(passed[c.key] for c in tests.cases if c.check != "unmodified")
    for result, case in zip(results, tests.cases, strict=True):
        if case.check == "unmodified" and result.passed and not computed:
            result.passed, result.score, passed[case.key] = False, 0.0, False
            result.message = "awarded once another test of this function passes"
    hint_rules.apply(tests, results, passed, runs, expected, drawn, ids)
    score = sum(r.score for r in results)
    if len(output) > FUNCTION_OUTPUT_CHARS:
        output = (output[:FUNCTION_OUTPUT_CHARS]
                  + f"\n[... {len(output) - FUNCTION_OUTPUT_CHARS} more characters not shown]")
    return FunctionResult(tests.function, score, POINTS[tests.function], results, output,
                          time.perf_counter() - start, incidents_of(runs))


def grade_submission(submission: str | Path, student_id: str, secret: Secret,
                     functions: list[str] | None = None, settings: Settings = Settings(),
                     seed: int | None = None, sandbox: Sandbox | None = None,
                     workers: int = 6) -> SubmissionResult:
    """Grade `submission` (a folder holding the student's cs231n package), running up to
    `workers` functions' children at a time."""
    start = time.perf_counter()
    submission = Path(submission)
    if not submission.is_dir() and not submission.is_symlink():
        raise GraderFault(f"submission folder {submission} does not exist")
    unknown = [f for f in functions or [] if f not in TESTS]
    if unknown:
        raise GraderFault(f"unknown function(s) {unknown}; graded: {list(TESTS)}")
    load_reference()
    sandbox = sandbox or detect()
    seed = student_seed(secret, student_id) if seed is None else seed
    workroot = Path(tempfile.mkdtemp(prefix="ag-"))
    workroot.chmod(0o711)  # children with their own uid may enter, not list
    try:
        package_dir = workroot / "submission"
        package_dir.mkdir()
        problems, missing, digest = [], None, ""
        try:
            copied, digest = copy_student_package(find_package_root(submission), package_dir)
            problems += copied
        except Refused as refusal:
            missing = str(refusal)
            problems.append(missing)

        def one(index_function):
            index, function = index_function
            workdir = workroot / f"f{index}"
            workdir.mkdir()
            try:
                result = grade_function(TESTS[function], seed, package_dir, workdir, sandbox,
                                        settings, missing)
                if missing:
                    return result
                return substitute.better(  # one bug, one function
                    result, function, package_dir, workdir,
                    lambda mixed, again: grade_function(TESTS[function], seed, mixed, again,
                                                        sandbox, settings, hide_child_text=True))
            finally:
                remove_tree(workdir)

        # Threads only wait on children and run the (short) reference calls.
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            results = list(pool.map(one, enumerate(functions or list(TESTS))))
    finally:
        remove_tree(workroot)
    return SubmissionResult(student_id, seed, secret.describe(), sandbox.describe(), results,
                            time.perf_counter() - start, problems=problems,
                            secret_fingerprint=secret.fingerprint, submission_digest=digest)
