"""ThreeLayerConvNet: initialization, scores, loss and gradients with and without L2."""

import numpy as np

from autograder.case import Case, FunctionTests, Hint, Probe

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

F = FUNCTION
CASES = (
    Case(F, "init-shapes", "init: parameter shapes", 1.0, (_init,), check="shapes"),
    Case(F, "init-scale", "init: weights ~ N(0, weight_scale^2), zero biases", 1.0, (_init,),
         check="init_scale"),
    Case(F, "scores", "scores (loss with y=None)", 2.0, (_scores,), "scores"),
    Case(F, "reg0-loss", "loss, reg 0", 1.0, (_plain,), "loss"),
    *(Case(F, f"reg0-{p}", f"grad {p}, reg 0", 0.5, (_plain,), "grad_" + p) for p in PARAMS),
    Case(F, "reg-loss", "loss, reg 0.7", 1.0, (_reg,), "loss"),
    *(Case(F, f"reg-{p}", f"grad {p}, reg 0.7", 1.0, (_reg,), "grad_" + p)
      for p in ("W1", "W2", "W3")),
)
HINTS = (
    Hint("the loss is missing the L2 term 0.5 * reg * sum(W**2) over W1, W2 and W3",
         ("reg-loss",), ("reg0-loss",)),
    Hint("regularization term missing from the gradients: add reg * W to dW1, dW2 and dW3",
         ("reg-W1", "reg-W2", "reg-W3"), ("reg0-W1", "reg0-W2", "reg0-W3")),
    Hint("scores are wrong: conv (stride 1, pad (filter_size - 1) // 2) - relu - 2x2 max pool "
         "(stride 2) - affine - relu - affine", ("scores",)),
)

TESTS = (FunctionTests(FUNCTION, CASES, HINTS),)
