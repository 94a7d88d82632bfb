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


EPS_HINT = "eps goes inside the square root: (x - mean) / sqrt(var + eps)"
STATS_HINT = ("dx is wrong although dgamma and dbeta are right: the batch mean and variance "
              "depend on x too (this test runs your {} for the cache)")


def _bn_inputs(shape, mode, eps=None):
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
        if eps is not None:
            bn_param["eps"] = eps
        return {"args": [x, gamma, beta, bn_param], "dout": rng.standard_normal(shape)}
    return build


def _batch_axes(x):
    return (0,) if x.ndim == 2 else (0, 2, 3)


def _as_features(a, x):
    return a if x.ndim == 2 else a.reshape(1, -1, 1, 1)


def _normalized(drawn, statistics, eps_inside=True):
    """gamma * x_hat + beta with the batch's or the running statistics, eps in or outside."""
    x, gamma, beta, bn_param = drawn["args"]
    eps = bn_param.get("eps", EPS)
    if statistics == "batch":
        axes = _batch_axes(x)
        mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    else:
        mean = _as_features(bn_param["running_mean"], x)
        var = _as_features(bn_param["running_var"], x)
    std = np.sqrt(var + eps) if eps_inside else np.sqrt(var) + eps
    return _as_features(gamma, x) * (x - mean) / std + _as_features(beta, x)


def _batch_stat_output(drawn, expected=None):
    """What a test-mode call returns when it (wrongly) uses the batch's statistics."""
    return _normalized(drawn, "batch")


def _eps_outside(statistics):
    return lambda drawn, expected=None: _normalized(drawn, statistics, eps_inside=False)


NO_TRANSPOSE_HINT = ("reshape (N, C, H, W) to (N*H*W, C) with C last: x.transpose(0, 2, 3, "
                     "1).reshape(-1, C) (and back); a plain reshape(-1, C) mixes channels and "
                     "positions")


def _spatial_without_transpose(drawn, expected=None):
    """spatial batchnorm of x.reshape(-1, C) (no transpose first), reshaped back."""
    x, gamma, beta, bn_param = drawn["args"]
    rows = dict(drawn, args=[x.reshape(-1, x.shape[1]), gamma, beta, bn_param])
    statistics = "batch" if bn_param["mode"] == "train" else "running"
    return _normalized(rows, statistics).reshape(x.shape)


UNBIASED_HINT = ("the course normalizes with the biased batch variance (np.var's default, "
                 "ddof=0), not the unbiased one (ddof=1)")


def _unbiased(output):
    """Train mode with the unbiased variance (ddof=1): out, or the running_var update."""
    def alternative(drawn, expected=None):
        x, gamma, beta, bn_param = drawn["args"]
        axes = _batch_axes(x)
        var = x.var(axis=axes, ddof=1, keepdims=True)
        if output == "var":
            return MOMENTUM * bn_param["running_var"] + (1 - MOMENTUM) * var.reshape(-1)
        x_hat = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(var + bn_param.get("eps", EPS))
        return _as_features(gamma, x) * x_hat + _as_features(beta, x)
    return alternative


def _swapped_momentum(statistic):
    def alternative(drawn, expected=None):
        x, _, _, bn_param = drawn["args"]
        batch = (x.mean if statistic == "mean" else x.var)(axis=_batch_axes(x))
        return (1 - MOMENTUM) * bn_param["running_" + statistic] + MOMENTUM * batch
    return alternative


def _bn_forward_tests(function, shape, points):
    train = call("train", function, _bn_inputs(shape, "train"), ("out", "cache"),
                 report=(("running_mean", 3, "running_mean"), ("running_var", 3, "running_var")))
    test = call("test", function, _bn_inputs(shape, "test"), ("out", "cache"))
    eps = call("eps", function, _bn_inputs(shape, "test", eps=0.5), ("out", "cache"))
    train_out, test_out, eps_out, mean, var, same = points
    spatial = ((NO_TRANSPOSE_HINT, _spatial_without_transpose),) if len(shape) == 4 else ()
    test_mode = ((TEST_MODE_HINT, _batch_stat_output), (EPS_HINT, _eps_outside("running")),
                 *spatial)
    return FunctionTests(function, (
        Case(function, "train", "train mode: out", train_out, (train,), "out",
             matches=((EPS_HINT, _eps_outside("batch")), (UNBIASED_HINT, _unbiased("out")),
                      *spatial)),
        Case(function, "mean", "train mode: running_mean update", mean, (train,), "running_mean",
             matches=((MOMENTUM_HINT, _swapped_momentum("mean")),)),
        Case(function, "var", "train mode: running_var update", var, (train,), "running_var",
             matches=((MOMENTUM_HINT, _swapped_momentum("var")),
                      (UNBIASED_HINT, _unbiased("var")))),
        Case(function, "test", "test mode: out from the running averages", test_out, (test,),
             "out", matches=test_mode),
        Case(function, "eps", "test mode: out with eps = 0.5 in bn_param", eps_out, (eps,),
             "out", matches=test_mode),
        unmodified(function, (train,), same),
    ))


def _bn_dx_ignoring_statistics(keep_mean):
    """dx as if the batch statistics were constants (keep_mean: only the variance is)."""
    def alternative(drawn, expected=None):
        x, gamma, _, bn_param = drawn["args"]
        axes = _batch_axes(x)
        dout = drawn["dout"]
        inv_std = 1 / np.sqrt(x.var(axis=axes, keepdims=True) + bn_param.get("eps", EPS))
        if keep_mean:
            dout = dout - dout.mean(axis=axes, keepdims=True)
        return _as_features(gamma, x) * inv_std * dout
    return alternative


def _spatial_dx_without_transpose(drawn, expected=None):
    """spatial batchnorm backward of dout.reshape(-1, C) (no transpose) with a right cache."""
    x, gamma, _, bn_param = drawn["args"]
    N, C, H, W = x.shape
    rows = x.transpose(0, 2, 3, 1).reshape(-1, C)  # the forward's (right) layout
    inv_std = 1 / np.sqrt(rows.var(axis=0) + bn_param.get("eps", EPS))
    x_hat = (rows - rows.mean(axis=0)) * inv_std
    d = drawn["dout"].reshape(-1, C)  # the bug: channels and positions mixed
    M = d.shape[0]
    dx = gamma * inv_std / M * (M * d - d.sum(axis=0) - x_hat * (d * x_hat).sum(axis=0))
    return dx.reshape(N, C, H, W)


def _bn_backward_tests(function, forward, shape, points):
    probe = forward_backward("train", forward, function, _bn_inputs(shape, "train"),
                             ("dx", "dgamma", "dbeta"))
    dx, dgamma, dbeta, same = points
    hint = STATS_HINT.format(forward)
    spatial = ((NO_TRANSPOSE_HINT, _spatial_dx_without_transpose),) if len(shape) == 4 else ()
    cases = (
        Case(function, "dx", "dx", dx, (probe,), "dx",
             matches=((hint, _bn_dx_ignoring_statistics(False)),
                      (hint, _bn_dx_ignoring_statistics(True)), *spatial)),
        Case(function, "dgamma", "dgamma", dgamma, (probe,), "dgamma"),
        Case(function, "dbeta", "dbeta", dbeta, (probe,), "dbeta"),
    )
    if same:
        cases += (unmodified(function, (probe,), same),)
    return FunctionTests(function, cases)


BATCHNORM_FORWARD = _bn_forward_tests("batchnorm_forward", (16, 5),
                                      (2, 1.5, 0.5, 0.75, 0.75, 0.5))
BATCHNORM_BACKWARD = _bn_backward_tests("batchnorm_backward", "batchnorm_forward", (12, 4),
                                        (3, 1.25, 1.25, 0.5))
SPATIAL_FORWARD = _bn_forward_tests("spatial_batchnorm_forward", (3, 4, 5, 3),
                                    (2, 1.0, 0.5, 0.5, 0.5, 0.5))
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
LAYER_NORM_HINT = ("normalizes over all channels of an example at once, whatever G is (layer "
                   "norm): split the channels into G groups, x.reshape(N, G, C // G, H, W)")
INSTANCE_NORM_HINT = ("normalizes each channel on its own, whatever G is (instance norm): "
                      "split the channels into G groups of C // G, x.reshape(N, G, C // G, H, W)")
INTERLEAVED_HINT = ("a group holds C // G consecutive channels: reshape to (N, G, C // G, H, W), "
                    "not (N, C // G, G, H, W)")
GN_STATS_HINT = ("dx is wrong: the group mean and variance depend on x too (this test runs your "
                 "spatial_groupnorm_forward for the cache)")


def _gn_groups(x, G, interleaved):
    """(N, G, C//G, H, W) view of x, groups of consecutive channels or (bug) interleaved."""
    N, C, H, W = x.shape
    if interleaved:
        return x.reshape(N, C // G, G, H, W).swapaxes(1, 2)
    return x.reshape(N, G, C // G, H, W)


def _gn_out(x, gamma, beta, G, interleaved=False):
    groups = _gn_groups(x, G, interleaved)
    mean = groups.mean(axis=(2, 3, 4), keepdims=True)
    x_hat = (groups - mean) / np.sqrt(groups.var(axis=(2, 3, 4), keepdims=True) + EPS)
    x_hat = (x_hat.swapaxes(1, 2) if interleaved else x_hat).reshape(x.shape)
    C = x.shape[1]
    return gamma.reshape(1, C, 1, 1) * x_hat + beta.reshape(1, C, 1, 1)


def _gn_dx_constant_statistics(x, gamma, dout, G):
    """dx as if each group's mean and variance were constants: gamma * dout / std."""
    C = x.shape[1]
    groups = _gn_groups(x, G, False)
    inv_std = 1 / np.sqrt(groups.var(axis=(2, 3, 4), keepdims=True) + EPS)
    return (inv_std * _gn_groups(dout * gamma.reshape(1, C, 1, 1), G, False)).reshape(x.shape)


def _gn_forward_bug(kind):
    def alternative(drawn, expected=None):
        x, gamma, beta, G, _ = drawn["args"]
        G = {"layer": 1, "instance": x.shape[1]}.get(kind, G)
        return _gn_out(x, gamma, beta, G, interleaved=kind == "interleaved")
    return alternative


def _gn_dx_bug():
    def alternative(drawn, expected=None):
        x, gamma, _, G, _ = drawn["args"]
        return _gn_dx_constant_statistics(x, gamma, drawn["dout"], G)
    return alternative


_GN_FORWARD_BUGS = ((LAYER_NORM_HINT, _gn_forward_bug("layer")),
                    (INSTANCE_NORM_HINT, _gn_forward_bug("instance")),
                    (INTERLEAVED_HINT, _gn_forward_bug("interleaved")))
# (A forward normalizing over the wrong groups costs only the forward: the backward is graded
# again with the reference's forward, autograder/substitute.py.)
_GN_DX_BUGS = ((GN_STATS_HINT, _gn_dx_bug()),)

F = "spatial_groupnorm_forward"
_gf = {key: call(key, F, _gn_inputs(key), ("out", "cache")) for key in GROUP_SHAPES}
GROUPNORM_FORWARD = FunctionTests(F, (
    Case(F, "base", "out, G=2, C=6", 2.5, (_gf["base"],), "out", matches=_GN_FORWARD_BUGS),
    # G=1 is layer norm and G=C instance norm, and neither can be interleaved
    Case(F, "g1", "out, G=1 (layer norm)", 1.0, (_gf["g1"],), "out",
         matches=_GN_FORWARD_BUGS[1:2]),
    Case(F, "gc", "out, G=C (instance norm)", 1.0, (_gf["gc"],), "out",
         matches=_GN_FORWARD_BUGS[:1]),
    Case(F, "g3", "out, G=3, C=6, non-square image", 2.0, (_gf["g3"],), "out",
         matches=_GN_FORWARD_BUGS),
    unmodified(F, (_gf["base"],), 0.5),
), (
    # right for G=2 only, wrong or raising for 1, 3 and C: G hard-coded (one other count
    # failing alone has other causes)
    Hint(GROUP_HINT, ("g1", "gc", "g3"), ("base",), when="any"),
))

B = "spatial_groupnorm_backward"
_gb = {key: forward_backward(key, F, B, _gn_inputs(key), ("dx", "dgamma", "dbeta"))
       for key in GROUP_SHAPES}
GROUPNORM_BACKWARD = FunctionTests(B, (
    Case(B, "base-dx", "dx, G=2", 3.0, (_gb["base"],), "dx", matches=_GN_DX_BUGS),
    Case(B, "base-dgamma", "dgamma, G=2", 1.5, (_gb["base"],), "dgamma"),
    Case(B, "base-dbeta", "dbeta, G=2", 1.5, (_gb["base"],), "dbeta"),
    Case(B, "g1-dx", "dx, G=1 (layer norm)", 1.0, (_gb["g1"],), "dx", matches=_GN_DX_BUGS),
    Case(B, "gc-dx", "dx, G=C (instance norm)", 1.0, (_gb["gc"],), "dx", matches=_GN_DX_BUGS),
    Case(B, "g3-dx", "dx, G=3, non-square image", 1.0, (_gb["g3"],), "dx", matches=_GN_DX_BUGS),
    unmodified(B, (_gb["base"],), 1.0),
), (
    Hint(GROUP_HINT, ("g1-dx", "gc-dx", "g3-dx"), ("base-dx",), when="any"),
))

TESTS = (BATCHNORM_FORWARD, BATCHNORM_BACKWARD, SPATIAL_FORWARD, SPATIAL_BACKWARD,
         GROUPNORM_FORWARD, GROUPNORM_BACKWARD)
