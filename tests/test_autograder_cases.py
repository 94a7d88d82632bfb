"""The hidden cases as data: points, names, hints and seeded inputs (no sandbox needed)."""

import numpy as np
import pytest

from autograder import runner
from autograder.cases import TESTS
from autograder.grader import build_probe
from autograder.points import NOTEBOOK_OF, POINTS, TOTAL
from autograder.seeding import DEV_SECRET, Secret, load_secret, student_seed

FUNCTIONS = list(POINTS)


def test_points_table_totals_100():
    """Does the table add up to 100, with a notebook for every graded function?"""
    assert TOTAL == 100
    assert set(NOTEBOOK_OF) == set(POINTS)
    assert set(NOTEBOOK_OF.values()) == {"Layers", "ConvolutionalNetworks",
                                         "SpatialBatchNormalization"}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_case_points_sum_to_the_table(function):
    """Do a function's cases add up to its points in the table?"""
    assert sum(case.points for case in TESTS[function].cases) == pytest.approx(POINTS[function])


@pytest.mark.parametrize("function", FUNCTIONS)
def test_case_names_and_keys(function):
    """Does every test name start with its function, with unique keys and titles?"""
    cases = TESTS[function].cases
    assert all(case.title.startswith(function + ": ") for case in cases)
    assert len({c.key for c in cases}) == len(cases)
    assert len({c.title for c in cases}) == len(cases)
    assert all(case.points > 0 for case in cases)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_hints_name_existing_cases(function):
    keys = {case.key for case in TESTS[function].cases}
    for hint in TESTS[function].hints:
        assert set(hint.failing) | set(hint.passing) <= keys, hint


def test_gradients_get_partial_credit_separately():
    """Are dx, dw and db of one backward call worth separate points?"""
    names = [c.name for c in TESTS["conv_backward_naive"].cases]
    assert {"dx, stride 2", "dw, stride 2", "db"} <= set(names)


def test_the_cases_students_get_wrong_are_covered():
    titles = " | ".join(c.title for t in TESTS.values() for c in t.cases)
    for phrase in ["stride 2", "non-square image", "non-square filter", "pad 0", "pad 3",
                   "overlapping", "test mode", "running_mean", "large scores", "reg 0.7",
                   "G=1", "G=C", "inputs left unmodified"]:
        assert phrase in titles, phrase


def test_seed_is_reproducible_and_per_student():
    secret = Secret(b"course secret", "test")
    assert student_seed(secret, "alice") == student_seed(secret, "alice")
    assert student_seed(secret, "alice") != student_seed(secret, "bob")
    assert student_seed(secret, "alice") != student_seed(Secret(b"other", "test"), "alice")
    assert 0 <= student_seed(secret, "alice") < 2 ** 63


def test_secret_sources(tmp_path, monkeypatch):
    from autograder import seeding
    monkeypatch.setattr(seeding, "SECRET_FILE", tmp_path / "no-kit-secret")
    monkeypatch.delenv("CS231N_GRADER_SECRET", raising=False)
    assert load_secret().value == DEV_SECRET and load_secret().is_development
    assert "NOT SECRET" in load_secret().describe()
    monkeypatch.setenv("CS231N_GRADER_SECRET", "s3cret")
    assert load_secret().value == b"s3cret" and "s3cret" not in load_secret().describe()
    path = tmp_path / "secret"
    path.write_text("from-file\n")
    assert load_secret(path).value == b"from-file"


def _inputs(function, seed):
    arrays = {}
    for probe in TESTS[function].probes():
        build_probe(probe, probe.key, function, seed, arrays)
    return arrays


@pytest.mark.parametrize("function", FUNCTIONS)
def test_inputs_depend_on_the_seed_only(function):
    """Same seed, same inputs; another student's seed, other inputs (no hard-coding)."""
    first, again, other = _inputs(function, 1), _inputs(function, 1), _inputs(function, 2)
    assert first.keys() == again.keys() == other.keys()
    assert all(np.array_equal(first[k], again[k]) for k in first)
    assert any(not np.array_equal(first[k], other[k]) for k in first
               if first[k].dtype.kind == "f")


@pytest.mark.parametrize("function", FUNCTIONS)
def test_reference_runs_every_probe(function):
    """Does the reference answer every probe with plain float arrays (the expected values)?"""
    import cs231n.layers  # noqa: F401  (the reference, from pytest's pythonpath)
    arrays = {}
    for probe in TESTS[function].probes():
        shared = {}
        _, spec = build_probe(probe, probe.key, function, 5, arrays, shared)
        views = {name: array.copy() for name, array in arrays.items()}
        outputs = runner.run_probe(spec, views, shared=views)  # as the child is handed them
        assert [shared[n] for n in shared if not np.array_equal(views[n], arrays[n])] == []
        for name in probe.returns:
            if name != "cache" and name != "_" and probe.kind != "convnet_loss":
                assert name in outputs
        assert all(type(v) is np.ndarray and v.dtype.kind in "biuf" for v in outputs.values())


@pytest.mark.parametrize("function", FUNCTIONS)
def test_recognised_bugs_differ_from_the_right_answer(function):
    """Does every known bug a case recognises give, on that case's inputs, an answer the
    tolerance rejects (else its hint could never be said, or would be said to right code)?"""
    import cs231n.layers  # noqa: F401  (the reference, from pytest's pythonpath)

    from autograder.hints import _close
    tests = TESTS[function]
    arrays, expected, drawn = {}, {}, {}
    for probe in tests.probes():
        drawn[probe.key], spec = build_probe(probe, probe.key, function, 7, arrays)
        expected[probe.key] = runner.run_probe(spec, arrays)
    for case in tests.cases:
        for message, alternative in case.matches:
            probe = case.probes[0]
            inputs = drawn[probe.key].get("forward", drawn[probe.key])
            wrong = np.asarray(alternative(inputs, expected[probe.key]))
            assert not _close(wrong, expected[probe.key][case.output]), (case.title, message)
