"""Scoring without the work: nothing is scored inside the student's interpreter, links are
refused, naive layers get NumPy only, and the convnet's init test requires what the API
promises.  Each runs under bubblewrap and under the unshare fallback where it depends on them.
"""

import pytest

from autograder.grader import grade_submission
from autograder.reference import REFERENCE_DIR
from autograder.seeding import Secret
from tests.test_hostile_output import grade, messages, sandbox  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow
SECRET = Secret(b"hostile scoring secret", "test")


def test_patching_the_runner_does_not_hide_mutation(grade):  # noqa: F811
    graded, _ = grade({"layers.py": '''
import __main__
import numpy
numpy.array_equal = lambda *args, **kwargs: True
for name in ("_array_equal", "_copy"):
    setattr(__main__, name, lambda *args, **kwargs: True)

def relu_forward(x):
    x[x < 0] = 0
    return x, x
'''}, ["relu_forward"])
    assert graded["relu_forward"].score == 0.75
    assert "your function modified argument 1" in messages(graded["relu_forward"])


def test_patching_the_runner_does_not_stop_the_clock(grade):  # noqa: F811
    """4 s a call against a 2 s limit, with the runner's clock and markers tampered with."""
    graded, _ = grade({"layers.py": '''
import __main__, os, time
_sleep = time.sleep
time.perf_counter = time.monotonic = time.time = lambda: 0.0
__main__.Channel.send = lambda self, header, payload=b"": os.write(
    self.events.fileno(), header + b"\\n" + payload)
_reference_relu_forward = relu_forward

def relu_forward(x):
    _sleep(4)
    return _reference_relu_forward(x)
'''}, ["relu_forward", "relu_backward"])
    assert graded["relu_forward"].score == 0
    assert "timed out after 2" in messages(graded["relu_forward"])
    assert graded["relu_backward"].score == 2


def test_a_convnet_without_parameters_earns_nothing(grade):  # noqa: F811
    graded, _ = grade({"classifiers/cnn.py": '''
class ThreeLayerConvNet:
    def __init__(self, *args, **kwargs):
        self.params = {}
    def loss(self, X, y=None):
        raise NotImplementedError
'''}, ["ThreeLayerConvNet"])
    assert graded["ThreeLayerConvNet"].score == 0
    text = messages(graded["ThreeLayerConvNet"])
    assert "W1 is missing" in text and "model.params has no W1" in text


def test_a_convnet_with_extra_parameters_fails_the_init_shapes_test(grade):  # noqa: F811
    graded, _ = grade({"classifiers/cnn.py": '''
_Reference = ThreeLayerConvNet

class ThreeLayerConvNet(_Reference):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params["W4"] = self.params["W3"].copy()
'''}, ["ThreeLayerConvNet"])
    init = next(t for t in graded["ThreeLayerConvNet"].tests if "parameter shapes" in t.name)
    assert not init.passed and "expected exactly W1, b1, W2, b2, W3, b3" in init.message


def test_naive_layers_may_not_call_the_fast_layers_or_torch(grade):  # noqa: F811
    """Importing the fast layers costs nothing; calling them (or torch) in a naive layer fails
    that probe with a message saying what is not allowed; the convnet keeps its fast layers."""
    graded, _ = grade({"layers.py": '''
from cs231n.fast_layers import conv_forward_fast, max_pool_forward_fast

def conv_forward_naive(x, w, b, conv_param):
    return conv_forward_fast(x, w, b, conv_param)

def max_pool_forward_naive(x, pool_param):
    return max_pool_forward_fast(x, pool_param)

def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    import torch
    raise AssertionError("torch was importable")
'''}, ["conv_forward_naive", "max_pool_forward_naive", "spatial_groupnorm_forward",
       "ThreeLayerConvNet", "affine_forward"])
    assert graded["conv_forward_naive"].score == 0
    assert "cs231n_fast is not allowed in conv_forward_naive" in messages(
        graded["conv_forward_naive"])
    assert graded["max_pool_forward_naive"].score == 0
    assert graded["spatial_groupnorm_forward"].score == 0
    assert "No module named 'torch'" in messages(graded["spatial_groupnorm_forward"])
    assert graded["ThreeLayerConvNet"].score == 12
    assert graded["affine_forward"].score == 2


def test_a_submission_that_links_to_the_reference_scores_nothing(tmp_path):
    for name, layout in [("nbgrader", "assignment2"), ("flat", "cs231n")]:
        folder = tmp_path / name
        folder.mkdir()
        target = REFERENCE_DIR if layout == "assignment2" else REFERENCE_DIR / "cs231n"
        (folder / layout).symlink_to(target, target_is_directory=True)
        result = grade_submission(folder, "mallory", SECRET, ["affine_forward"])
        assert result.score == 0
        assert f"{layout} is a symbolic link" in result.problems[0]


def test_an_import_the_sandbox_lacks_says_what_graded_code_may_use(grade):  # noqa: F811
    graded, _ = grade({"layers.py": "import torch\n"}, ["relu_forward", "ThreeLayerConvNet"])
    for function in graded.values():
        assert function.score == 0
        text = messages(function)
        assert "No module named 'torch'" in text
        assert "NumPy, the standard library and your cs231n package only" in text
