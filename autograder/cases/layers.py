"""affine, relu, svm and softmax: the Layers notebook."""

import numpy as np

from autograder.case import Case, FunctionTests, Hint
from autograder.cases._build import backward_pair, call, unmodified


def _affine_inputs(shape, M):
    def build(rng):
        x = rng.standard_normal(shape)
        D = int(np.prod(shape[1:]))
        w = rng.standard_normal((D, M)) * 0.5
        b = rng.standard_normal(M)
        return {"args": [x, w, b], "dout": rng.standard_normal((shape[0], M))}
    return build


# affine_forward ---------------------------------------------------------------------------------
_af_2d = call("2d", "affine_forward", _affine_inputs((4, 7), 3), ("out", "cache"))
_af_4d = call("4d", "affine_forward", _affine_inputs((3, 2, 4, 5), 6), ("out", "cache"))
AFFINE_FORWARD = FunctionTests("affine_forward", (
    Case("affine_forward", "2d", "out, 2-D input", 0.5, (_af_2d,), "out"),
    Case("affine_forward", "4d", "out, 4-D input reshaped to (N, D)", 1.0, (_af_4d,), "out"),
    unmodified("affine_forward", (_af_4d,), 0.5),
), (Hint("right for 2-D input only: reshape x to (N, D) with D the product of the other "
         "dimensions", ("4d",), ("2d",)),))

# affine_backward --------------------------------------------------------------------------------
_ab = backward_pair("4d", "affine_forward", "affine_backward",
                     _affine_inputs((4, 3, 2, 5), 6), tuple)
AFFINE_BACKWARD = FunctionTests("affine_backward", (
    Case("affine_backward", "dx", "dx, 4-D input", 1.0, _ab, "dx"),
    Case("affine_backward", "dw", "dw, 4-D input", 1.0, _ab, "dw"),
    Case("affine_backward", "db", "db", 0.5, _ab, "db"),
    unmodified("affine_backward", _ab, 0.5),
), (Hint("dx must have the shape of the original x: reshape it back", ("dx",), ("dw",)),))


# relu -------------------------------------------------------------------------------------------
def _relu_inputs(rng):
    x = rng.standard_normal((5, 3, 4))
    x[0, 0, :2] = 0.0  # exact zeros: the gradient there is 0 by the course's convention
    return {"args": [x], "dout": rng.standard_normal((5, 3, 4))}


_rf = call("x", "relu_forward", _relu_inputs, ("out", "cache"))
RELU_FORWARD = FunctionTests("relu_forward", (
    Case("relu_forward", "out", "out, mixed signs and exact zeros", 0.75, (_rf,), "out"),
    unmodified("relu_forward", (_rf,), 0.25),
))
_rb = backward_pair("x", "relu_forward", "relu_backward", _relu_inputs, lambda a: a[0])
RELU_BACKWARD = FunctionTests("relu_backward", (
    Case("relu_backward", "dx", "dx, mixed signs and exact zeros", 1.5, _rb, "dx"),
    unmodified("relu_backward", _rb, 0.5),
))


# svm and softmax --------------------------------------------------------------------------------
def _scores(N, C, scale):
    def build(rng):
        return {"args": [rng.standard_normal((N, C)) * scale, rng.integers(0, C, size=N)]}
    return build


def _loss_tests(function, large_hint):
    small = call("small", function, _scores(10, 6, 1.0), ("loss", "dx"))
    many = call("many", function, _scores(40, 100, 1.0), ("loss", "dx"))
    large = call("large", function, _scores(8, 5, 1e3), ("loss", "dx"))
    cases = (
        Case(function, "loss", "loss", 1.0, (small,), "loss"),
        Case(function, "dx", "dx", 1.0, (small,), "dx"),
        Case(function, "loss-many", "loss, 100 classes", 0.25, (many,), "loss"),
        Case(function, "dx-many", "dx, 100 classes", 0.25, (many,), "dx"),
        Case(function, "loss-large", "loss, large scores (numerical stability)", 0.5, (large,),
             "loss", nonfinite_hint=large_hint),
        Case(function, "dx-large", "dx, large scores (numerical stability)", 0.5, (large,), "dx",
             nonfinite_hint=large_hint),
        unmodified(function, (small,), 0.5),
    )
    hints = (Hint("dx is not divided by N, or the loss is not averaged the same way",
                  ("dx",), ("loss",)),)
    return FunctionTests(function, cases, hints)


SVM_LOSS = _loss_tests("svm_loss", "the margins overflow: check the margin computation")
SOFTMAX_LOSS = _loss_tests(
    "softmax_loss", "exp overflowed: subtract each row's max score before exponentiating")

TESTS = (AFFINE_FORWARD, AFFINE_BACKWARD, RELU_FORWARD, RELU_BACKWARD, SVM_LOSS, SOFTMAX_LOSS)
