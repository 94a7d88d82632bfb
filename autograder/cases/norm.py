"""Batch, spatial batch and spatial group normalization: train/test modes, running averages,
group counts 1, G and C."""

import numpy as np

from autograder.case import Case, FunctionTests, Hint
from autograder.cases._build import call, forward_backward, unmodified

EPS = 1e-5
MOMENTUM = 0.9
TEST_MODE_HINT = ("test mode used the batch statistics: normalize with bn_param's running_mean "
                  "and running_var")
MOMENTUM_HINT = ("running averages go the wrong way round: running = momentum * running + "
                 "(1 - momentum) * batch statistic")


def _bn_inputs(shape, mode):
    """x with per-feature offsets and scales, and non-trivial running statistics."""
    def build(rng):
        features = shape[1]
        x = rng.standard_normal(shape) * rng.uniform(0.5, 3.0, size=features).reshape(
            (1, features) + (1,) * (len(shape) - 2)) + rng.uniform(-4, 4, size=features).reshape(
            (1, features) + (1,) * (len(shape) - 2))
        gamma = rng.uniform(0.5, 2.0, size=features)
        beta = rng.standard_normal(features)
        bn_param = {"mode": mode, "running_mean": rng.standard_normal(features),
                    "running_var": rng.uniform(0.5, 2.0, size=features)}
        return {"args": [x, gamma, beta, bn_param], "dout": rng.standard_normal(shape)}
    return build


def _batch_axes(x):
    return (0,) if x.ndim == 2 else (0, 2, 3)


def _as_features(a, x):
    return a if x.ndim == 2 else a.reshape(1, -1, 1, 1)


def _batch_stat_output(drawn):
    """What a test-mode call returns when it (wrongly) uses the batch's statistics."""
    x, gamma, beta, _ = drawn["args"]
    axes = _batch_axes(x)
    x_hat = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + EPS)
    return _as_features(gamma, x) * x_hat + _as_features(beta, x)


def _swapped_momentum(statistic):
    def alternative(drawn):
        x, _, _, bn_param = drawn["args"]
        batch = (x.mean if statistic == "mean" else x.var)(axis=_batch_axes(x))
        return (1 - MOMENTUM) * bn_param["running_" + statistic] + MOMENTUM * batch
    return alternative


def _bn_forward_tests(function, shape, points):
    train = call("train", function, _bn_inputs(shape, "train"), ("out", "cache"),
                 report=(("running_mean", 3, "running_mean"), ("running_var", 3, "running_var")))
    test = call("test", function, _bn_inputs(shape, "test"), ("out", "cache"))
    train_out, test_out, mean, var, same = points
    return FunctionTests(function, (
        Case(function, "train", "train mode: out", train_out, (train,), "out"),
        Case(function, "mean", "train mode: running_mean update", mean, (train,), "running_mean",
             matches=((MOMENTUM_HINT, _swapped_momentum("mean")),)),
        Case(function, "var", "train mode: running_var update", var, (train,), "running_var",
             matches=((MOMENTUM_HINT, _swapped_momentum("var")),)),
        Case(function, "test", "test mode: out from the running averages", test_out, (test,),
             "out", matches=((TEST_MODE_HINT, _batch_stat_output),)),
        unmodified(function, (train,), same),
    ))


def _bn_backward_tests(function, forward, shape, points):
    probe = forward_backward("train", forward, function, _bn_inputs(shape, "train"),
                             ("dx", "dgamma", "dbeta"))
    dx, dgamma, dbeta, same = points
    cases = (
        Case(function, "dx", "dx", dx, (probe,), "dx"),
        Case(function, "dgamma", "dgamma", dgamma, (probe,), "dgamma"),
        Case(function, "dbeta", "dbeta", dbeta, (probe,), "dbeta"),
    )
    if same:
        cases += (unmodified(function, (probe,), same),)
    return FunctionTests(function, cases, (
        Hint(f"dx is wrong although dgamma and dbeta are right: the batch mean and variance "
             f"depend on x too (this test runs your {forward} for the cache)", ("dx",),
             ("dgamma", "dbeta")),
    ))


BATCHNORM_FORWARD = _bn_forward_tests("batchnorm_forward", (16, 5), (2, 2, 0.75, 0.75, 0.5))
BATCHNORM_BACKWARD = _bn_backward_tests("batchnorm_backward", "batchnorm_forward", (12, 4),
                                        (3, 1.25, 1.25, 0.5))
SPATIAL_FORWARD = _bn_forward_tests("spatial_batchnorm_forward", (3, 4, 5, 3),
                                    (2, 1.5, 0.5, 0.5, 0.5))
SPATIAL_BACKWARD = _bn_backward_tests("spatial_batchnorm_backward", "spatial_batchnorm_forward",
                                      (3, 4, 3, 5), (3, 1, 1, 0))


# group normalization ----------------------------------------------------------------------------
GROUP_SHAPES = {  # key: (N, C, H, W), G
    "base": ((2, 6, 4, 4), 2),
    "g1": ((2, 4, 3, 5), 1),
    "gc": ((3, 4, 3, 3), 4),
    "g3": ((2, 6, 3, 6), 3),
}


def _gn_inputs(key):
    (N, C, H, W), G = GROUP_SHAPES[key]

    def build(rng):
        x = rng.standard_normal((N, C, H, W)) * 2.0 + rng.uniform(-3, 3, size=(N, C, 1, 1))
        gamma = rng.uniform(0.5, 2.0, size=(1, C, 1, 1))
        beta = rng.standard_normal((1, C, 1, 1))
        return {"args": [x, gamma, beta, G, {}], "dout": rng.standard_normal((N, C, H, W))}
    return build


GROUP_HINT = ("right for one group count only: reshape to (N, G, C // G, H, W) and take the "
              "statistics over the last three axes")
F = "spatial_groupnorm_forward"
_gf = {key: call(key, F, _gn_inputs(key), ("out", "cache")) for key in GROUP_SHAPES}
GROUPNORM_FORWARD = FunctionTests(F, (
    Case(F, "base", "out, G=2, C=6", 2.5, (_gf["base"],), "out"),
    Case(F, "g1", "out, G=1 (layer norm)", 1.0, (_gf["g1"],), "out"),
    Case(F, "gc", "out, G=C (instance norm)", 1.0, (_gf["gc"],), "out"),
    Case(F, "g3", "out, G=3, C=6, non-square image", 2.0, (_gf["g3"],), "out"),
    unmodified(F, (_gf["base"],), 0.5),
), (
    Hint(GROUP_HINT, ("g1",), ("base",)),
    Hint(GROUP_HINT, ("gc",), ("base",)),
))

B = "spatial_groupnorm_backward"
_gb = {key: forward_backward(key, F, B, _gn_inputs(key), ("dx", "dgamma", "dbeta"))
       for key in GROUP_SHAPES}
GROUPNORM_BACKWARD = FunctionTests(B, (
    Case(B, "base-dx", "dx, G=2", 3.0, (_gb["base"],), "dx"),
    Case(B, "base-dgamma", "dgamma, G=2", 1.5, (_gb["base"],), "dgamma"),
    Case(B, "base-dbeta", "dbeta, G=2", 1.5, (_gb["base"],), "dbeta"),
    Case(B, "g1-dx", "dx, G=1 (layer norm)", 1.0, (_gb["g1"],), "dx"),
    Case(B, "gc-dx", "dx, G=C (instance norm)", 1.0, (_gb["gc"],), "dx"),
    Case(B, "g3-dx", "dx, G=3, non-square image", 1.0, (_gb["g3"],), "dx"),
    unmodified(B, (_gb["base"],), 1.0),
), (
    Hint(GROUP_HINT, ("g1-dx",), ("base-dx",)),
    Hint(GROUP_HINT, ("gc-dx",), ("base-dx",)),
    Hint("dx is wrong although dgamma and dbeta are right: the group mean and variance depend "
         "on x too (this test runs your spatial_groupnorm_forward for the cache)", ("base-dx",),
         ("base-dgamma", "base-dbeta")),
))

TESTS = (BATCHNORM_FORWARD, BATCHNORM_BACKWARD, SPATIAL_FORWARD, SPATIAL_BACKWARD,
         GROUPNORM_FORWARD, GROUPNORM_BACKWARD)
