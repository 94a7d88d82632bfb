"""Grading real submissions: the reference, the stubs, single bugs, the reports and the CLI."""

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.grader import Settings, grade_submission
from autograder.points import POINTS
from autograder.report import MAX_RESULTS_BYTES, feedback_text, gradescope_json, results_json_text
from autograder.seeding import Secret
from autograder.variants import make_submission

ROOT = Path(__file__).resolve().parents[1]
SECRET = Secret(b"test secret", "test")


def grade(folder, functions=None, student="student", **kwargs):
    return grade_submission(folder, student, SECRET, functions, **kwargs)


def scores(result):
    return {f.function: f.score for f in result.functions}


def failed(result, function):
    return {t.name.split(": ", 1)[1]: t for t in result.tests
            if t.function == function and not t.passed}


@pytest.fixture(scope="module")
def reference_result(tmp_path_factory):
    return grade(make_submission(tmp_path_factory.mktemp("reference")))


@pytest.fixture(scope="module")
def stub_result(tmp_path_factory):
    return grade(make_submission(tmp_path_factory.mktemp("stub"), stub=True))


def test_reference_scores_100(reference_result):
    assert reference_result.score == 100
    assert scores(reference_result) == POINTS
    assert all(t.passed for t in reference_result.tests)


def test_stubs_score_0_with_clear_messages(stub_result):
    assert stub_result.score == 0
    for test in stub_result.tests:
        assert "NotImplementedError" in test.message or "awarded once" in test.message, test


def test_results_record_how_to_reproduce(reference_result):
    data = gradescope_json(reference_result)
    extra = data["extra_data"]
    assert extra["seed"] == reference_result.seed and extra["grader_version"]
    assert extra["student_id"] == "student" and "secret" in extra
    assert extra["sandbox"]["mechanism"] in ("bwrap", "unshare", "plain")
    assert f"seed {reference_result.seed}" in data["output"]


def test_gradescope_format(reference_result):
    data = json.loads(results_json_text(reference_result))
    assert data["score"] == 100
    for test in data["tests"]:
        assert set(test) >= {"name", "score", "max_score", "output", "visibility"}
        assert test["name"].split(": ")[0] in POINTS


def test_same_seed_same_inputs_different_student_different(tmp_path):
    """A recorded seed reproduces the grade; hard-coding one student's answers is useless."""
    folder = make_submission(tmp_path / "s")
    first = grade(folder, ["affine_forward"], student="alice")
    again = grade(folder, ["affine_forward"], student="bob", seed=first.seed)
    assert again.seed == first.seed and again.score == first.score == 2
    assert grade(folder, ["affine_forward"], student="bob").seed != first.seed


# A submission with several independent bugs: each costs only its own function's points, and a
# backward is graded on the documented cache even when its forward is wrong or missing.
ZOO = {"layers.py": '''
import numpy as _np
_reference_conv_forward = conv_forward_naive

def conv_forward_naive(x, w, b, conv_param):
    """Right only for stride 1: computes stride 1 and crops."""
    out, cache = _reference_conv_forward(x, w, b, dict(conv_param, stride=1))
    pad, stride = conv_param["pad"], conv_param["stride"]
    H_out = 1 + (x.shape[2] + 2 * pad - w.shape[2]) // stride
    W_out = 1 + (x.shape[3] + 2 * pad - w.shape[3]) // stride
    return out[:, :, :H_out, :W_out], (x, w, b, conv_param)

def max_pool_forward_naive(x, pool_param):
    raise NotImplementedError("not done yet")

def relu_forward(x):
    x[x < 0] = 0  # in place
    return x, x

def softmax_loss(x, y):
    p = _np.exp(x)  # no max subtraction
    p /= p.sum(axis=1, keepdims=True)
    N = x.shape[0]
    loss = -_np.log(p[_np.arange(N), y]).mean()
    dx = p.copy()
    dx[_np.arange(N), y] -= 1
    return loss, dx / N
''', "classifiers/cnn.py": '''
_ReferenceNet = ThreeLayerConvNet

class ThreeLayerConvNet(_ReferenceNet):
    def loss(self, X, y=None):
        result = super().loss(X, y)
        if y is None:
            return result
        loss, grads = result
        for name in ("W1", "W2", "W3"):
            grads[name] = grads[name] - self.reg * self.params[name]
        return loss, grads
'''}


@pytest.fixture(scope="module")
def zoo_result(tmp_path_factory):
    return grade(make_submission(tmp_path_factory.mktemp("zoo"), ZOO))


def test_each_bug_costs_only_its_function(zoo_result):
    expected = dict(POINTS, conv_forward_naive=7, max_pool_forward_naive=0, relu_forward=0.75,
                    softmax_loss=3, ThreeLayerConvNet=9)
    assert scores(zoo_result) == expected
    assert zoo_result.score == 87.75


def test_backward_does_not_depend_on_forward(zoo_result):
    assert scores(zoo_result)["conv_backward_naive"] == 12
    assert scores(zoo_result)["max_pool_backward_naive"] == 6


def test_hints_recognise_common_bugs(zoo_result):
    conv = failed(zoo_result, "conv_forward_naive")
    assert set(conv) == {"out, stride 2", "out, pad 3, stride 2"}
    assert any("right only for stride 1" in h for h in conv["out, stride 2"].hints)
    relu = failed(zoo_result, "relu_forward")
    assert "modified argument 1" in relu["inputs left unmodified"].message
    softmax = failed(zoo_result, "softmax_loss")
    assert "NaN or inf" in softmax["loss, large scores (numerical stability)"].message
    assert "subtract each row's max" in softmax["dx, large scores (numerical stability)"].message
    net = failed(zoo_result, "ThreeLayerConvNet")
    assert set(net) == {"grad W1, reg 0.7", "grad W2, reg 0.7", "grad W3, reg 0.7"}
    assert any("regularization term missing" in h for h in net["grad W1, reg 0.7"].hints)


def test_feedback_teaches_without_leaking(zoo_result, stub_result):
    for result in (zoo_result, stub_result):
        text = feedback_text(result) + results_json_text(result)
        for leak in ("array(", "[[", "rng.", "def ", "SOLUTION", "autograder/cases", "build("):
            assert leak not in text, leak
        # Numbers shown are errors and tolerances (2 significant digits), never array values.
        long_numbers = set(re.findall(r"\d+\.\d{4,}", text))
        assert not long_numbers, long_numbers
    assert "relative error" in feedback_text(zoo_result)
    assert "tolerance 1e-06" in feedback_text(zoo_result)


FOCUSED = [
    ("max_pool_backward_naive", '''
def max_pool_backward_naive(dout, cache):
    import numpy as np
    x, pool_param = cache
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros_like(x)
    N, C, H_out, W_out = dout.shape
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * s:i * s + ph, j * s:j * s + pw]
                    a, b = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * s + a, j * s + b] = dout[n, c, i, j]  # overwrites
    return dx
''', "dx, overlapping 3x3 windows, stride 2", "add both gradients (+=)"),
    ("batchnorm_forward", '''
_reference_bn = batchnorm_forward
def batchnorm_forward(x, gamma, beta, bn_param):
    if bn_param["mode"] == "test":
        return _reference_bn(x, gamma, beta, dict(bn_param, mode="train"))
    return _reference_bn(x, gamma, beta, bn_param)
''', "test mode: out from the running averages", "test mode used the batch statistics"),
    ("batchnorm_forward", '''
_reference_bn = batchnorm_forward
def batchnorm_forward(x, gamma, beta, bn_param):
    bn_param = bn_param
    bn_param.setdefault("momentum", 0.1)
    return _reference_bn(x, gamma, beta, bn_param)
''', "train mode: running_mean update", "wrong way round"),
    ("spatial_groupnorm_forward", '''
_reference_gn = spatial_groupnorm_forward
def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    return _reference_gn(x, gamma, beta, 2, gn_param)
''', "out, G=1 (layer norm)", "right for one group count only"),
    ("affine_backward", '''
_reference_affine_backward = affine_backward
def affine_backward(dout, cache):
    dx, dw, db = _reference_affine_backward(dout, cache)
    return dx.reshape(dx.shape[0], -1), dw, db
''', "dx, 4-D input", "dx has shape (4, 30), expected (4, 3, 2, 5)"),
]


@pytest.mark.parametrize("function, source, case, says", FOCUSED,
                         ids=[f"{f}-{c.split(':')[0][:20]}" for f, _, c, _ in FOCUSED])
def test_focused_bug_messages(tmp_path, function, source, case, says):
    result = grade(make_submission(tmp_path, {"layers.py": source}), [function])
    failures = failed(result, function)
    assert case in failures
    assert says in failures[case].message + " ".join(failures[case].hints)
    assert 0 < result.score < POINTS[function]


def test_custom_cache_layout_still_graded(tmp_path):
    """A backward written for the student's own cache layout earns its points."""
    source = '''
_reference_forward, _reference_backward = conv_forward_naive, conv_backward_naive
def conv_forward_naive(x, w, b, conv_param):
    out, cache = _reference_forward(x, w, b, conv_param)
    return out, {"layout": "mine", "inner": cache}
def conv_backward_naive(dout, cache):
    return _reference_backward(dout, cache["inner"])
'''
    result = grade(make_submission(tmp_path, {"layers.py": source}),
                   ["conv_forward_naive", "conv_backward_naive"])
    assert result.score == 22


def test_missing_package_scores_0(tmp_path):
    (tmp_path / "notes.txt").write_text("forgot to upload the code")
    result = grade(tmp_path, ["affine_forward"])
    assert result.score == 0
    assert "no cs231n package" in result.tests[0].message


def test_results_json_stays_under_1mb(reference_result):
    for test in reference_result.tests:
        test.message = "x" * 200_000
    for function in reference_result.functions:
        function.output = "y" * 200_000
    assert len(results_json_text(reference_result).encode()) < MAX_RESULTS_BYTES


# --- the command line ------------------------------------------------------------------------

def run_cli(*args, env=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd or ROOT,
                          env=dict(os.environ, **(env or {})), capture_output=True, text=True,
                          check=False, timeout=600)


def test_cli_grade_writes_results_and_feedback(tmp_path):
    folder = make_submission(tmp_path / "alice")
    done = run_cli("grade", folder, "-o", tmp_path / "out" / "results.json", "--only",
                   "relu_forward", "svm_loss")
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "out" / "results.json").read_text())
    assert data["score"] == 5 and data["extra_data"]["student_id"] == "alice"
    assert "alice" in (tmp_path / "out" / "feedback.txt").read_text()


def test_cli_grader_faults_exit_nonzero(tmp_path):
    done = run_cli("grade", tmp_path / "nowhere", "-o", tmp_path / "r.json")
    assert done.returncode == 2 and "does not exist" in done.stderr
    folder = make_submission(tmp_path / "s")
    done = run_cli("grade", folder, "-o", tmp_path / "r.json",
                   env={"CS231N_REFERENCE_DIR": str(tmp_path / "no-reference")})
    assert done.returncode == 2 and "reference package not found" in done.stderr
    done = run_cli("grade", folder, "-o", tmp_path / "r.json", "--secret-file",
                   tmp_path / "missing-secret")
    assert done.returncode == 2 and "secret file" in done.stderr


def test_cli_grade_all_writes_every_report_and_the_csv(tmp_path):
    root = tmp_path / "submissions"
    make_submission(root / "ada" / "assignment2")
    make_submission(root / "bea", stub=True)
    make_submission(root / "cy", {"layers.py": "import os\nos._exit(3)\n"})
    out = tmp_path / "out"
    done = run_cli("grade-all", root, "-o", out, "--jobs", "2", "--only", "affine_forward",
                   "ThreeLayerConvNet")
    assert done.returncode == 0, done.stderr
    assert "100%" in done.stderr  # the progress bar
    with open(out / "grades.csv") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert {k: rows[k]["total"] for k in rows} == {"ada": "14", "bea": "0", "cy": "0"}
    assert rows["ada"]["ThreeLayerConvNet"] == "12" and rows["ada"]["status"] == "graded"
    for student in rows:
        assert json.loads((out / student / "results.json").read_text())["tests"]
        assert (out / student / "feedback.txt").is_file()
    assert "exited with code 3" in (out / "cy" / "feedback.txt").read_text()


def test_sandbox_info_runs():
    done = run_cli("sandbox-info")
    assert done.returncode == 0 and json.loads(done.stdout)["enforced"]


def test_timeout_scale_stretches_the_per_call_limit(tmp_path):
    """A call taking 3 s fails the default 2 s limit and passes when every timeout is scaled
    by 3 (slow machines)."""
    slow = {"layers.py": """
_reference_relu_forward = relu_forward

def relu_forward(x):
    import time
    time.sleep(3)
    return _reference_relu_forward(x)
"""}
    folder = make_submission(tmp_path / "slow", slow)
    default = grade(folder, ["relu_forward"])
    assert default.score == 0 and "timed out after 2.0 s" in default.tests[0].message
    assert grade(folder, ["relu_forward"], settings=Settings(timeout_scale=3)).score == 1
