"""One bug, one function: functions built on graded ones are graded again with the reference's
versions substituted (autograder/substitute.py), and that run leaks nothing."""

import json

from autograder.grader import grade_submission
from autograder.report import feedback_text, results_json_text
from autograder.sandbox import ProbeRun
from autograder.seeding import Secret
from autograder.substitute import HIDDEN, build_mixed_package, sanitized
from autograder.variants import make_submission

SECRET = Secret(b"substitute secret", "test")
AFFINE_2D_ONLY = '''
def affine_forward(x, w, b):
    return x.dot(w) + b, (x, w, b)  # no reshape: 4-D input raises

def my_helper():
    return "mine"
'''


def _grade(folder, functions):
    return grade_submission(folder, "student", SECRET, functions, workers=2)


def test_mixed_package_appends_only_what_the_function_is_built_on(tmp_path):
    """Does the mixed package keep the student's code (helpers included) and append the
    reference's batchnorm_forward only, not the graded spatial function itself?"""
    student = make_submission(tmp_path / "student", {"layers.py": AFFINE_2D_ONLY})
    mixed = build_mixed_package("spatial_batchnorm_forward", student, tmp_path / "mixed")
    text = (mixed / "cs231n" / "layers.py").read_text()
    mine, _, appended = text.partition("# --- substituted by the grader ---")
    assert "def my_helper" in mine and "def affine_forward(x, w, b):\n    return x.dot" in mine
    assert appended.count("\ndef ") == 1 and "def batchnorm_forward(" in appended
    convnet = build_mixed_package("ThreeLayerConvNet", student, tmp_path / "convnet")
    utils = (convnet / "cs231n" / "layer_utils.py").read_text()
    assert "def conv_relu_pool_forward" in utils.partition("# --- substituted")[2]


def test_sanitized_runs_keep_no_student_text():
    """Are messages and modification labels the student's code could have written dropped?"""
    runs = {"p0": ProbeRun("error", "ValueError: def affine_forward(x, w, b): ### SOLUTION"),
            "p1": ProbeRun("ok", "", {"out": None}, ["argument 1", "secret: np.maximum(x, 0)"]),
            "p2": ProbeRun("timeout", "timed out after 2.0 s (an infinite loop?)")}
    clean = sanitized(runs)
    assert clean["p0"].message == HIDDEN
    assert clean["p1"].modified == ["argument 1"] and clean["p1"].outputs == {"out": None}
    assert clean["p2"].message.startswith("timed out")


def test_wrong_affine_costs_only_affine_forward(tmp_path):
    """Does a 2-D-only affine_forward leave ThreeLayerConvNet its 12 points, saying why?"""
    result = _grade(make_submission(tmp_path, {"layers.py": AFFINE_2D_ONLY}),
                    ["affine_forward", "ThreeLayerConvNet"])
    scores = {f.function: f.score for f in result.functions}
    assert scores == {"affine_forward": 0.5, "ThreeLayerConvNet": 12}
    data = json.loads(results_json_text(result))
    assert "layers.py" in data["extra_data"]["substituted"]["ThreeLayerConvNet"]
    assert "affine_forward" not in data["extra_data"]["substituted"]
    assert "Graded with the reference's" in feedback_text(result)


def test_own_run_counts_when_the_reference_layers_do_not_help(tmp_path):
    """A bug in cnn.py itself: the student's own run counts, and the note says so."""
    cnn = '''
_Net = ThreeLayerConvNet
class ThreeLayerConvNet(_Net):
    def loss(self, X, y=None):
        out = super().loss(X, y)
        return out * 2 if y is None else out
'''
    result = _grade(make_submission(tmp_path, {"classifiers/cnn.py": cnn}),
                    ["ThreeLayerConvNet"])
    (net,) = result.functions
    assert net.score == 10 and not net.substituted
    assert "no better" in net.note and net.note.startswith("Graded with your own code")
    assert "substituted" not in json.loads(results_json_text(result))["extra_data"] or \
        not json.loads(results_json_text(result))["extra_data"]["substituted"]


def test_substituted_run_leaks_no_reference_code(tmp_path):
    """A cnn.py that, seeing reference code, prints it and raises it in the scores probe:
    the substituted run counts (it scores higher) but none of that text reaches feedback."""
    cnn = '''
import cs231n.layers as _layers
_Net = ThreeLayerConvNet
class ThreeLayerConvNet(_Net):
    def loss(self, X, y=None):
        source = open(_layers.__file__).read()
        if "substituted by the grader" in source:
            print("LEAKED", source)
            import sys
            print("LEAKED", source, file=sys.stderr)
            if y is None:
                raise ValueError("LEAKED " + source[source.index("substituted"):][:400])
        return super().loss(X, y)
'''
    folder = make_submission(tmp_path, {"layers.py": AFFINE_2D_ONLY,
                                        "classifiers/cnn.py": cnn})
    result = _grade(folder, ["ThreeLayerConvNet"])
    (net,) = result.functions
    assert net.substituted and net.score == 10  # all but the scores test (2 points)
    text = feedback_text(result) + results_json_text(result)
    assert "LEAKED" not in text and "substituted by the grader" not in text
    assert "np.maximum(x, 0)" not in text and "def affine_forward" not in text
    assert HIDDEN in text
