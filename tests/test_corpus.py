"""The corpus of realistic student code (autograder/samples/corpus/): exact points and exact
hints per variant, and the hints' precision and recall.

Each variant is the reference with a few functions replaced by code as students write it,
buggy or correct-but-unusual.  It is graded on the functions it touches (and those built on
them), in one batch; every function must score exactly its points minus what the variant
declares it loses, and show exactly the hints it declares (a function with none declared must
show none).  The report printed at the end (pytest -s, or -rA) gives

    precision = hints naming the true cause / hints shown
    recall    = recognisable bugs that got their hint / recognisable bugs

A bug is recognisable unless its variant says ``NO_HINT`` (its pattern does not identify one
cause, or the failure message itself names it); ``MISSED`` marks a recognisable bug the grader
does not name, counted against recall.
"""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from autograder.grader import grade_submission
from autograder.points import POINTS
from autograder.samples import load_corpus
from autograder.samples.build import build_corpus_variant
from autograder.samples.patch import read_bug_file
from autograder.seeding import Secret

CORPUS = load_corpus()
SECRET = Secret(b"corpus secret", "test")
# Graded functions that call other graded functions (through the student's package).
BUILT_ON = {
    "affine_forward": ("ThreeLayerConvNet",), "affine_backward": ("ThreeLayerConvNet",),
    "relu_forward": ("ThreeLayerConvNet",), "relu_backward": ("ThreeLayerConvNet",),
    "softmax_loss": ("ThreeLayerConvNet",),
    "batchnorm_forward": ("batchnorm_backward", "spatial_batchnorm_forward",
                          "spatial_batchnorm_backward"),
    "batchnorm_backward": ("spatial_batchnorm_backward",),
    "spatial_batchnorm_forward": ("spatial_batchnorm_backward",),
    "spatial_groupnorm_forward": ("spatial_groupnorm_backward",),
    "conv_forward_naive": ("conv_backward_naive",),
    "max_pool_forward_naive": ("max_pool_backward_naive",),
}


def graded_functions(variant):
    """The functions the variant defines, declares, or that are built on those."""
    replacements, _ = read_bug_file(variant.path)
    names = {r.qualname.split(".")[0] for r in replacements}
    names |= set(variant.loses) | set(variant.hints) | set(variant.messages) | set(variant.grade)
    names = {n for n in names if n in POINTS}
    for name in list(names):
        names |= set(BUILT_ON.get(name, ()))
    return [f for f in POINTS if f in names]


def shown_hints(result, function):
    """Distinct hints of a function: the hint lines and the '; hint: ' in failure messages."""
    hints = []
    for test in result.tests:
        if test.function != function:
            continue
        found = list(test.hints) + re.findall(r"; hint: (.*)$", test.message, re.MULTILINE)
        hints += [h for h in found if h not in hints]
    return hints


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")

    def one(variant):
        folder = build_corpus_variant(variant, root)
        return variant.name, grade_submission(folder, variant.name, SECRET,
                                              graded_functions(variant), workers=2)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, CORPUS))


def test_corpus_is_large_and_well_formed():
    """At least 40 variants, bugs and correct ones, every declaration about graded functions."""
    assert len(CORPUS) >= 40
    assert sum(v.is_bug for v in CORPUS) >= 20 and sum(not v.is_bug for v in CORPUS) >= 15
    for variant in CORPUS:
        assert variant.description
        for declared in (variant.loses, variant.hints, variant.messages):
            assert set(declared) <= set(POINTS), variant.name
        for function, lost in variant.loses.items():
            assert 0 < lost <= POINTS[function], (variant.name, function)
        if not variant.is_bug:
            assert not variant.hints and not variant.no_hint and not variant.missed
        else:  # a bug names its hints, or says why it has none (NO_HINT) or misses it (MISSED)
            assert [bool(variant.hints), bool(variant.no_hint), bool(variant.missed)].count(
                True) == 1, variant.name


def _hint_messages():
    """(function, message) of every hint the cases can say."""
    from autograder.cases import TESTS
    from autograder.cases.layers import SOFTMAX_OVERFLOW, SOFTMAX_UNDERFLOW
    found = {("softmax_loss", SOFTMAX_OVERFLOW), ("softmax_loss", SOFTMAX_UNDERFLOW)}
    for function, tests in TESTS.items():
        for case in tests.cases:
            found |= {(function, message) for message, _ in case.matches}
            if isinstance(case.nonfinite_hint, str):
                found.add((function, case.nonfinite_hint))
        found |= {(function, hint.message) for hint in tests.hints}
    return sorted(found)


@pytest.mark.parametrize("function, message", _hint_messages(),
                         ids=lambda value: str(value)[:40])
def test_every_hint_is_tried_on_student_code(function, message):
    """Is every hint the cases can say declared by a corpus variant (whose grading the slow
    tests check), so none is said without having been tested on realistic code?"""
    assert any(text in message for variant in CORPUS
               for text in variant.hints.get(function, ())), (function, message)


def _match(expected, shown):
    """{expected text: the one shown hint holding it}; None when that is not exactly one."""
    matched = {}
    for text in expected:
        holding = [hint for hint in shown if text in hint]
        matched[text] = holding[0] if len(holding) == 1 else None
    return matched


def _measure(graded):
    shown_total = right = recognisable = named = 0
    for variant in CORPUS:
        result = graded[variant.name]
        got_all = True
        for function in {f.function for f in result.functions}:
            shown = shown_hints(result, function)
            expected = variant.hints.get(function, ())
            matched = _match(expected, shown)
            shown_total += len(shown)
            right += sum(1 for hint in shown if hint in matched.values())
            got_all &= all(matched.values())
        if variant.is_bug and not variant.no_hint:
            recognisable += 1
            named += bool(got_all and variant.hints and not variant.missed)
    return shown_total, right, recognisable, named


@pytest.mark.slow
@pytest.mark.parametrize("variant", CORPUS, ids=lambda v: v.name)
def test_variant_points_and_hints(graded, variant):
    """Exact points per graded function; exactly the declared hints, each naming the cause."""
    result = graded[variant.name]
    for function_result in result.functions:
        function = function_result.function
        expected = POINTS[function] - variant.loses.get(function, 0)
        details = "\n".join(f"  {t.name}: {t.message} {t.hints}" for t in function_result.tests
                            if not t.passed)
        assert function_result.score == pytest.approx(expected), f"{function}:\n{details}"
        shown = shown_hints(result, function)
        matched = _match(variant.hints.get(function, ()), shown)
        assert all(matched.values()), (function, matched, shown)
        assert set(shown) == set(matched.values()), (function, "unexpected hints", shown)
        if function_result.substituted:  # the run with reference layers counted: say so
            assert function_result.note.startswith("Graded with the reference's"), function
            assert not function_result.output
        messages = " ".join(t.message for t in function_result.tests if not t.passed)
        assert "<frozen" not in messages, "import machinery frames: show the student's own"
        for text in variant.messages.get(function, ()):
            assert text in messages, (function, text, messages)
    assert set(variant.loses) <= {f.function for f in result.functions}


@pytest.mark.slow
def test_report_precision_and_recall(graded, capsys):
    """The corpus report; precision must be 100% and recall at least 90%."""
    shown, right, recognisable, named = _measure(graded)
    precision = right / shown if shown else 1.0
    recall = named / recognisable if recognisable else 1.0
    bugs = sum(v.is_bug for v in CORPUS)
    with capsys.disabled():
        print(f"\ncorpus: {len(CORPUS)} variants ({bugs} with bugs, {len(CORPUS) - bugs} "
              f"correct); hint precision {right}/{shown} = {precision:.0%}; hint recall "
              f"{named}/{recognisable} = {recall:.0%} (bugs whose cause the pattern does not "
              f"identify: {sum(bool(v.no_hint) for v in CORPUS)})")
    assert precision == 1.0
    assert recall >= 0.9
