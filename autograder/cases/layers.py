"""affine, relu, svm and softmax: the Layers notebook."""

import numpy as np

from autograder.case import Case, FunctionTests, Hint
from autograder.cases import _alternatives as bug
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
    Case("affine_forward", "4d", "out, 4-D input reshaped to (N, D)", 1.0, (_af_4d,), "out",
         matches=((("flatten each example in C order: x.reshape(N, -1), not order='F' or a "
                   "transpose first"), bug.affine_fortran_order),)),
    unmodified("affine_forward", (_af_4d,), 0.5),
), (Hint("right for 2-D input only: reshape x to (N, D) with D the product of the other "
         "dimensions", ("4d",), ("2d",), when="crash"),))

# affine_backward --------------------------------------------------------------------------------
_ab = backward_pair("4d", "affine_forward", "affine_backward",
                     _affine_inputs((4, 3, 2, 5), 6), tuple)
AFFINE_BACKWARD = FunctionTests("affine_backward", (
    Case("affine_backward", "dx", "dx, 4-D input", 1.0, _ab, "dx",
         matches=(("dx must have the shape of the original x: reshape it back",
                   bug.affine_dx_flat),)),
    Case("affine_backward", "dw", "dw, 4-D input", 1.0, _ab, "dw"),
    Case("affine_backward", "db", "db", 0.5, _ab, "db",
         matches=(("db sums dout over the batch: dout.sum(axis=0)", bug.affine_db_rows),)),
    unmodified("affine_backward", _ab, 0.5),
))


# relu -------------------------------------------------------------------------------------------
def _relu_inputs(zeros):
    def build(rng):
        x = rng.standard_normal((5, 3, 4) if not zeros else (2, 6))
        if zeros:  # exact zeros: the gradient there is 0 by the course's convention
            x[0, :3] = 0.0
        else:  # no exact zeros, so the main case does not depend on the convention
            x[x == 0] = 0.5
        return {"args": [x], "dout": rng.standard_normal(x.shape)}
    return build


RELU_ZERO_HINT = ("at exactly x = 0 the course (like PyTorch) uses gradient 0: mask with x > 0, "
                  "not x >= 0")
_rf = call("x", "relu_forward", _relu_inputs(True), ("out", "cache"))
RELU_FORWARD = FunctionTests("relu_forward", (
    Case("relu_forward", "out", "out, mixed signs and exact zeros", 0.75, (_rf,), "out"),
    unmodified("relu_forward", (_rf,), 0.25),
))
_rb = backward_pair("x", "relu_forward", "relu_backward", _relu_inputs(False), lambda a: a[0])
_rb0 = backward_pair("zeros", "relu_forward", "relu_backward", _relu_inputs(True),
                     lambda a: a[0])
RELU_BACKWARD = FunctionTests("relu_backward", (
    Case("relu_backward", "dx", "dx, mixed signs", 1.25, _rb, "dx"),
    Case("relu_backward", "zeros", "dx at exact zeros (convention: 0)", 0.25, _rb0, "dx",
         matches=((RELU_ZERO_HINT, bug.relu_dx_at_zero_one),)),
    unmodified("relu_backward", _rb, 0.5),
))


# svm and softmax --------------------------------------------------------------------------------
def _scores(N, C, scale):
    def build(rng):
        return {"args": [rng.standard_normal((N, C)) * scale, rng.integers(0, C, size=N)]}
    return build


SOFTMAX_OVERFLOW = "exp overflowed: subtract each row's max score before exponentiating"
SOFTMAX_UNDERFLOW = ("the log of a probability that underflowed to 0 is -inf: compute "
                     "log-probabilities directly, shifted - log(sum(exp(shifted))) with "
                     "shifted = x - max of the row")


def _softmax_nonfinite(outputs, drawn):
    """NaN in dx: exp overflowed (no max shift).  dx right but loss inf/NaN: the max was
    subtracted, then the log of a probability that underflowed to 0 was taken."""
    dx, loss = outputs.get("dx"), outputs.get("loss")
    if dx is not None and np.isnan(dx).any():
        return SOFTMAX_OVERFLOW
    if dx is None or loss is None or np.all(np.isfinite(loss)) or not np.all(np.isfinite(dx)):
        return None
    x, y = drawn["args"]
    N = x.shape[0]
    right = bug.softmax_probabilities(x)
    right[np.arange(N), y] -= 1
    right /= N
    if dx.shape == right.shape and np.max(np.abs(dx - right)) <= 1e-6 * np.max(np.abs(right)):
        return SOFTMAX_UNDERFLOW
    return None


NOT_AVERAGED = ("{} is summed over the batch, not averaged: divide by N (the loss and dx "
                "both are means over the N examples)")


SVM_OWN_MARGIN = ("the correct class's own margin (always 1) is counted: skip j == y[i] (or set "
                  "margins[range(N), y] = 0)")
SOFTMAX_DX_ONE = ("dx: subtract 1 from the correct class's probability, dx = (p - onehot(y)) / N")


def _loss_tests(function, large_hint):
    small = call("small", function, _scores(10, 6, 1.0), ("loss", "dx"))
    many = call("many", function, _scores(40, 100, 1.0), ("loss", "dx"))
    large = call("large", function, _scores(8, 5, 1e3), ("loss", "dx"))
    summed = {out: ((NOT_AVERAGED.format(out), bug.times_n(out)),) for out in ("loss", "dx")}
    if function == "svm_loss":
        summed["loss"] += ((SVM_OWN_MARGIN, bug.svm_correct_class_counted),)
    else:
        summed["dx"] += ((SOFTMAX_DX_ONE, bug.softmax_dx_no_one),)
    cases = (
        Case(function, "loss", "loss", 1.0, (small,), "loss", matches=summed["loss"]),
        Case(function, "dx", "dx", 1.0, (small,), "dx", matches=summed["dx"]),
        Case(function, "loss-many", "loss, 100 classes", 0.25, (many,), "loss"),
        Case(function, "dx-many", "dx, 100 classes", 0.25, (many,), "dx"),
        Case(function, "loss-large", "loss, large scores (numerical stability)", 0.5, (large,),
             "loss", nonfinite_hint=large_hint),
        Case(function, "dx-large", "dx, large scores (numerical stability)", 0.5, (large,), "dx",
             nonfinite_hint=large_hint),
        unmodified(function, (small,), 0.5),
    )
    return FunctionTests(function, cases)


SVM_LOSS = _loss_tests("svm_loss", None)
SOFTMAX_LOSS = _loss_tests("softmax_loss", _softmax_nonfinite)

TESTS = (AFFINE_FORWARD, AFFINE_BACKWARD, RELU_FORWARD, RELU_BACKWARD, SVM_LOSS, SOFTMAX_LOSS)
