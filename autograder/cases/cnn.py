"""ThreeLayerConvNet: initialization, scores, loss and gradients with and without L2."""

import numpy as np

from autograder.case import Case, FunctionTests, Probe

FUNCTION = "ThreeLayerConvNet"
TARGET = "cs231n.classifiers.cnn:ThreeLayerConvNet"
PARAMS = ("W1", "b1", "W2", "b2", "W3", "b3")
# Small and non-square so the naive layers stay fast and H/W mix-ups show.
C, H, W, FILTERS, SIZE, HIDDEN, CLASSES, N = 3, 8, 10, 4, 3, 6, 5, 3


def _init_inputs(rng):
    kwargs = {"input_dim": (3, 16, 12), "num_filters": 6, "filter_size": 5, "hidden_dim": 20,
              "num_classes": 7, "weight_scale": 0.05, "dtype": np.float64}
    return {"kwargs": kwargs}


def _loss_inputs(reg, labels=True):
    def build(rng):
        params = {
            "W1": rng.standard_normal((FILTERS, C, SIZE, SIZE)) * 0.3,
            "b1": rng.standard_normal(FILTERS) * 0.1,
            "W2": rng.standard_normal((FILTERS * (H // 2) * (W // 2), HIDDEN)) * 0.2,
            "b2": rng.standard_normal(HIDDEN) * 0.1,
            "W3": rng.standard_normal((HIDDEN, CLASSES)) * 0.3,
            "b3": rng.standard_normal(CLASSES) * 0.1,
        }
        kwargs = {"input_dim": (C, H, W), "num_filters": FILTERS, "filter_size": SIZE,
                  "hidden_dim": HIDDEN, "num_classes": CLASSES, "weight_scale": 1e-3,
                  "reg": reg, "dtype": np.float64}
        drawn = {"kwargs": kwargs, "params": params, "X": rng.standard_normal((N, C, H, W))}
        if labels:
            drawn["y"] = rng.integers(0, CLASSES, size=N)
        return drawn
    return build


_init = Probe("init", "convnet_init", TARGET, _init_inputs, PARAMS, numpy_seed=231)
_scores = Probe("scores", "convnet_loss", TARGET, _loss_inputs(0.0, labels=False), ("scores",))
_plain = Probe("reg0", "convnet_loss", TARGET, _loss_inputs(0.0), ("loss",), grads=PARAMS)
_reg = Probe("reg", "convnet_loss", TARGET, _loss_inputs(0.7), ("loss",), grads=PARAMS)

L2_MISSING = "the loss is missing the L2 term 0.5 * reg * sum(W**2) over W1, W2 and W3"
L2_WHICH = ("the L2 term covers the weights W1, W2 and W3 (all three, and not the biases): "
            "0.5 * reg * sum(W**2) for each")
L2_FACTOR = ("the course's L2 term is 0.5 * reg * sum(W**2), whose gradient is reg * W; you used "
             "reg * sum(W**2) (gradient 2 * reg * W), which is twice the course's")
GRAD_MISSING = ("regularization term missing from the gradients: add reg * W to dW1, dW2 and "
                "dW3")


def _l2(drawn, names):
    return 0.5 * drawn["kwargs"]["reg"] * sum(np.sum(drawn["params"][n] ** 2) for n in names)


def _loss_alternatives():
    def shifted(names, sign):
        return lambda drawn, expected: expected["loss"] + sign * _l2(drawn, names)
    weights = ("W1", "W2", "W3")
    return ((L2_MISSING, shifted(weights, -1)), (L2_FACTOR, shifted(weights, +1)),
            *((L2_WHICH, shifted((w,), -1)) for w in weights),
            (L2_WHICH, shifted(("b1", "b2", "b3"), +1)))


def _grad_alternatives(name):
    def shifted(sign):
        return lambda drawn, expected: (expected["grad_" + name]
                                        + sign * drawn["kwargs"]["reg"] * drawn["params"][name])
    return ((GRAD_MISSING, shifted(-1)), (L2_FACTOR, shifted(+1)))


F = FUNCTION
CASES = (
    Case(F, "init-shapes", "init: parameter shapes", 1.0, (_init,), check="shapes"),
    Case(F, "init-scale", "init: weights ~ N(0, weight_scale^2), zero biases", 1.0, (_init,),
         check="init_scale"),
    Case(F, "scores", "scores (loss with y=None)", 2.0, (_scores,), "scores"),
    Case(F, "reg0-loss", "loss, reg 0", 1.0, (_plain,), "loss"),
    *(Case(F, f"reg0-{p}", f"grad {p}, reg 0", 0.5, (_plain,), "grad_" + p) for p in PARAMS),
    Case(F, "reg-loss", "loss, reg 0.7", 1.0, (_reg,), "loss", matches=_loss_alternatives()),
    *(Case(F, f"reg-{p}", f"grad {p}, reg 0.7", 1.0, (_reg,), "grad_" + p,
           matches=_grad_alternatives(p)) for p in ("W1", "W2", "W3")),
)
# No pattern hints: a wrong score has many causes (and a crash gets its own frames instead).

TESTS = (FunctionTests(FUNCTION, CASES),)
