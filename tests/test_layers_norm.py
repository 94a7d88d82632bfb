"""Normalization layers: batchnorm, spatial batchnorm, spatial groupnorm (and layernorm).

Each is checked against PyTorch float64 (forward and backward), against numerical gradients
from ``cs231n.gradient_check``, and for the course's sanity properties (means ~beta,
stds ~gamma, running averages, test mode).
"""

import numpy as np
import pytest
from cs231n.gradient_check import eval_numerical_gradient_array
from cs231n.layers import (
    batchnorm_backward,
    batchnorm_backward_alt,
    batchnorm_forward,
    layernorm_backward,
    layernorm_forward,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
    spatial_groupnorm_backward,
    spatial_groupnorm_forward,
)

from tests._helpers import rel_error, torch_tensor


def _close(actual, expected, rtol=1e-9, atol=1e-10):
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


# ---------------------------------------------------------------- batchnorm


def test_batchnorm_train_sanity(rng):
    """In train mode, are the output means ~beta and stds ~gamma (the notebook's check)?"""
    x = 5 * rng.standard_normal((200, 3)) + 11
    gamma, beta = np.array([1.0, 2.0, 3.0]), np.array([0.0, -1.0, 4.0])
    out, _ = batchnorm_forward(x, gamma, beta, {"mode": "train"})
    _close(out.mean(axis=0), beta, atol=1e-8)
    _close(out.std(axis=0), gamma, rtol=1e-5)


def test_batchnorm_creates_and_updates_running_stats(rng):
    """Are running stats created on the first call and updated with momentum 0.9 by default?"""
    x = rng.standard_normal((20, 4)) + 3
    bn_param = {"mode": "train"}
    batchnorm_forward(x, np.ones(4), np.zeros(4), bn_param)
    _close(bn_param["running_mean"], 0.1 * x.mean(axis=0))
    _close(bn_param["running_var"], 0.1 * x.var(axis=0))
    first_mean = bn_param["running_mean"]
    first_mean_copy = first_mean.copy()
    batchnorm_forward(x, np.ones(4), np.zeros(4), bn_param)
    _close(bn_param["running_mean"], 0.19 * x.mean(axis=0))
    # the arrays handed out earlier are replaced, not overwritten
    np.testing.assert_array_equal(first_mean, first_mean_copy)


def test_batchnorm_test_mode_uses_running_stats(rng):
    """After many train passes, does test mode normalize new data from the same distribution?"""
    gamma, beta = np.ones(3), np.zeros(3)
    bn_param = {"mode": "train"}
    weights = rng.standard_normal((10, 3))
    for _ in range(50):
        batchnorm_forward(rng.standard_normal((200, 10)) @ weights, gamma, beta, bn_param)
    bn_param["mode"] = "test"
    running = {k: bn_param[k].copy() for k in ("running_mean", "running_var")}
    out, _ = batchnorm_forward(rng.standard_normal((200, 10)) @ weights, gamma, beta, bn_param)
    assert np.all(np.abs(out.mean(axis=0)) < 0.3)
    assert np.all(np.abs(out.std(axis=0) - 1) < 0.3)
    for key, value in running.items():  # test mode leaves the running stats alone
        np.testing.assert_array_equal(bn_param[key], value)


BN_SHAPES = [(4, 5), (10, 1), (2, 7), (33, 3)]


@pytest.mark.torch
@pytest.mark.parametrize("shape", BN_SHAPES, ids=[f"N{n}-D{d}" for n, d in BN_SHAPES])
def test_batchnorm_train_matches_torch(torch, rng, shape):
    """Do batchnorm forward/backward (train) and the running stats match torch's batch_norm?"""
    x = 3 * rng.standard_normal(shape) + 1
    gamma, beta = rng.standard_normal(shape[1]), rng.standard_normal(shape[1])
    dout = rng.standard_normal(shape)
    start_mean, start_var = rng.standard_normal(shape[1]), rng.random(shape[1]) + 0.5
    bn_param = {"mode": "train", "eps": 1e-5, "momentum": 0.8,
                "running_mean": start_mean.copy(), "running_var": start_var.copy()}
    out, cache = batchnorm_forward(x, gamma, beta, bn_param)
    dx, dgamma, dbeta = batchnorm_backward(dout, cache)

    tx, tgamma, tbeta = (torch_tensor(torch, v) for v in (x, gamma, beta))
    running_mean = torch.tensor(start_mean)
    running_var = torch.tensor(start_var)
    # torch's momentum is the weight of the NEW statistic, the course's that of the old one
    tout = torch.nn.functional.batch_norm(
        tx, running_mean, running_var, tgamma, tbeta, training=True, momentum=0.2, eps=1e-5
    )
    tout.backward(torch.from_numpy(dout))
    _close(out, tout.detach().numpy())
    _close(dx, tx.grad.numpy())
    _close(dgamma, tgamma.grad.numpy())
    _close(dbeta, tbeta.grad.numpy())
    _close(bn_param["running_mean"], running_mean.numpy())
    # torch keeps the unbiased batch variance, the course the biased one (np.var)
    num_rows = shape[0]
    batch_var = x.var(axis=0)
    _close(bn_param["running_var"], 0.8 * start_var + 0.2 * batch_var)
    if num_rows > 1:
        _close(running_var.numpy(), 0.8 * start_var + 0.2 * batch_var * num_rows / (num_rows - 1))


@pytest.mark.torch
def test_batchnorm_test_mode_matches_torch(torch, rng):
    """Does test mode match torch's batch_norm in eval mode with the same running stats?"""
    x = rng.standard_normal((6, 4))
    gamma, beta = rng.standard_normal(4), rng.standard_normal(4)
    mean, var = rng.standard_normal(4), rng.random(4) + 0.1
    bn_param = {"mode": "test", "running_mean": mean, "running_var": var}
    out, _ = batchnorm_forward(x, gamma, beta, bn_param)
    tout = torch.nn.functional.batch_norm(
        torch.tensor(x), torch.tensor(mean), torch.tensor(var), torch.tensor(gamma),
        torch.tensor(beta), training=False, eps=1e-5,
    )
    _close(out, tout.numpy())


def test_batchnorm_backward_numerical(rng):
    """Do batchnorm_backward and batchnorm_backward_alt agree with numerical gradients?"""
    x = 5 * rng.standard_normal((4, 5)) + 12
    gamma, beta = rng.standard_normal(5), rng.standard_normal(5)
    dout = rng.standard_normal((4, 5))

    def forward(_):
        return batchnorm_forward(x, gamma, beta, {"mode": "train"})[0]

    dx_num = eval_numerical_gradient_array(forward, x, dout)
    dgamma_num = eval_numerical_gradient_array(forward, gamma, dout)
    dbeta_num = eval_numerical_gradient_array(forward, beta, dout)
    _, cache = batchnorm_forward(x, gamma, beta, {"mode": "train"})
    for backward in (batchnorm_backward, batchnorm_backward_alt):
        dx, dgamma, dbeta = backward(dout, cache)
        assert rel_error(dx_num, dx) < 1e-7
        assert rel_error(dgamma_num, dgamma) < 1e-8
        assert rel_error(dbeta_num, dbeta) < 1e-8


# ---------------------------------------------------------------- spatial batchnorm


def test_spatial_batchnorm_sanity(rng):
    """Are per-channel means ~beta and stds ~gamma over (N, H, W), as the notebook prints?"""
    x = 4 * rng.standard_normal((10, 3, 4, 5)) + 10
    gamma, beta = np.array([3.0, 4.0, 5.0]), np.array([6.0, 7.0, 8.0])
    out, _ = spatial_batchnorm_forward(x, gamma, beta, {"mode": "train"})
    assert out.shape == x.shape and out.flags.c_contiguous
    _close(out.mean(axis=(0, 2, 3)), beta, atol=1e-8)
    _close(out.std(axis=(0, 2, 3)), gamma, rtol=1e-5)


SPATIAL_SHAPES = [(2, 3, 4, 5), (3, 1, 2, 2), (1, 4, 3, 1)]


@pytest.mark.torch
@pytest.mark.parametrize(
    "shape", SPATIAL_SHAPES, ids=["x" + "x".join(map(str, s)) for s in SPATIAL_SHAPES]
)
@pytest.mark.parametrize("mode", ["train", "test"])
def test_spatial_batchnorm_matches_torch(torch, rng, shape, mode):
    """Does spatial batchnorm (train and test) match torch's batch_norm on 4-D input?"""
    channels = shape[1]
    x = 2 * rng.standard_normal(shape) - 1
    gamma, beta = rng.standard_normal(channels), rng.standard_normal(channels)
    mean, var = rng.standard_normal(channels), rng.random(channels) + 0.1
    bn_param = {"mode": mode, "running_mean": mean.copy(), "running_var": var.copy()}
    out, cache = spatial_batchnorm_forward(x, gamma, beta, bn_param)

    tx, tgamma, tbeta = (torch_tensor(torch, v) for v in (x, gamma, beta))
    running_mean, running_var = torch.tensor(mean), torch.tensor(var)
    tout = torch.nn.functional.batch_norm(
        tx, running_mean, running_var, tgamma, tbeta, training=mode == "train",
        momentum=0.1, eps=1e-5,
    )
    _close(out, tout.detach().numpy())
    _close(bn_param["running_mean"], running_mean.numpy())
    if mode == "train":
        dout = rng.standard_normal(shape)
        tout.backward(torch.from_numpy(dout))
        dx, dgamma, dbeta = spatial_batchnorm_backward(dout, cache)
        assert dx.shape == x.shape and dx.flags.c_contiguous
        _close(dx, tx.grad.numpy())
        _close(dgamma, tgamma.grad.numpy())
        _close(dbeta, tbeta.grad.numpy())


def test_spatial_batchnorm_backward_numerical(rng):
    """Does spatial_batchnorm_backward agree with numerical gradients (the notebook's cell)?"""
    x = 5 * rng.standard_normal((2, 3, 4, 5)) + 12
    gamma, beta = rng.standard_normal(3), rng.standard_normal(3)
    dout = rng.standard_normal(x.shape)

    def forward(_):
        return spatial_batchnorm_forward(x, gamma, beta, {"mode": "train"})[0]

    dx_num = eval_numerical_gradient_array(forward, x, dout)
    dgamma_num = eval_numerical_gradient_array(forward, gamma, dout)
    dbeta_num = eval_numerical_gradient_array(forward, beta, dout)
    _, cache = spatial_batchnorm_forward(x, gamma, beta, {"mode": "train"})
    dx, dgamma, dbeta = spatial_batchnorm_backward(dout, cache)
    assert rel_error(dx_num, dx) < 1e-6
    assert rel_error(dgamma_num, dgamma) < 1e-8
    assert rel_error(dbeta_num, dbeta) < 1e-8


# ---------------------------------------------------------------- spatial groupnorm

# (shape, G): G = 1 (layer norm over C, H, W), 2, and C (instance norm)
GN_CASES = [((2, 6, 4, 5), 1), ((2, 6, 4, 5), 2), ((2, 6, 4, 5), 6), ((3, 4, 3, 2), 2),
            ((1, 3, 5, 1), 3)]
GN_IDS = [f"x{'x'.join(map(str, s))}-G{g}" for s, g in GN_CASES]


@pytest.mark.torch
@pytest.mark.parametrize("param_shape", ["1C11", "C"])
@pytest.mark.parametrize(("shape", "groups"), GN_CASES, ids=GN_IDS)
def test_spatial_groupnorm_matches_torch(torch, rng, shape, groups, param_shape):
    """Does spatial groupnorm match torch's group_norm, with gamma/beta (1,C,1,1) or (C,)?"""
    channels = shape[1]
    x = 3 * rng.standard_normal(shape) + 2
    gamma, beta = rng.standard_normal(channels), rng.standard_normal(channels)
    if param_shape == "1C11":
        gamma, beta = gamma.reshape(1, channels, 1, 1), beta.reshape(1, channels, 1, 1)
    dout = rng.standard_normal(shape)
    out, cache = spatial_groupnorm_forward(x, gamma, beta, groups, {"eps": 1e-5})
    dx, dgamma, dbeta = spatial_groupnorm_backward(dout, cache)
    assert out.shape == x.shape and dx.shape == x.shape
    assert dgamma.shape == gamma.shape and dbeta.shape == beta.shape

    tx = torch_tensor(torch, x)
    tgamma, tbeta = torch_tensor(torch, gamma.ravel()), torch_tensor(torch, beta.ravel())
    tout = torch.nn.functional.group_norm(tx, groups, tgamma, tbeta, eps=1e-5)
    tout.backward(torch.from_numpy(dout))
    _close(out, tout.detach().numpy())
    _close(dx, tx.grad.numpy())
    _close(dgamma.ravel(), tgamma.grad.numpy())
    _close(dbeta.ravel(), tbeta.grad.numpy())


@pytest.mark.parametrize("groups", [1, 2, 4], ids=["G1", "G2", "G4"])
def test_spatial_groupnorm_backward_numerical(rng, groups):
    """Does spatial_groupnorm_backward agree with numerical gradients for several G?"""
    x = 5 * rng.standard_normal((2, 4, 3, 2)) + 12
    gamma = rng.standard_normal((1, 4, 1, 1))
    beta = rng.standard_normal((1, 4, 1, 1))
    dout = rng.standard_normal(x.shape)

    def forward(_):
        return spatial_groupnorm_forward(x, gamma, beta, groups, {})[0]

    dx_num = eval_numerical_gradient_array(forward, x, dout)
    dgamma_num = eval_numerical_gradient_array(forward, gamma, dout)
    dbeta_num = eval_numerical_gradient_array(forward, beta, dout)
    _, cache = spatial_groupnorm_forward(x, gamma, beta, groups, {})
    dx, dgamma, dbeta = spatial_groupnorm_backward(dout, cache)
    assert rel_error(dx_num, dx) < 1e-6
    assert rel_error(dgamma_num, dgamma) < 1e-8
    assert rel_error(dbeta_num, dbeta) < 1e-8


def test_spatial_groupnorm_group_statistics(rng):
    """With gamma 1 and beta 0, does every (example, group) block have mean 0 and std 1?"""
    x = 7 * rng.standard_normal((3, 6, 4, 4)) - 5
    ones, zeros = np.ones((1, 6, 1, 1)), np.zeros((1, 6, 1, 1))
    out, _ = spatial_groupnorm_forward(x, ones, zeros, 3, {})
    blocks = out.reshape(3, 3, -1)  # (N, G, C//G * H * W)
    _close(blocks.mean(axis=2), np.zeros((3, 3)), atol=1e-10)
    _close(blocks.std(axis=2), np.ones((3, 3)), rtol=1e-5)


# ---------------------------------------------------------------- layernorm (not graded)


@pytest.mark.torch
def test_layernorm_matches_torch(torch, rng):
    """Do layernorm forward and backward match torch's layer_norm?"""
    x = 2 * rng.standard_normal((4, 7)) + 1
    gamma, beta = rng.standard_normal(7), rng.standard_normal(7)
    dout = rng.standard_normal(x.shape)
    out, cache = layernorm_forward(x, gamma, beta, {})
    dx, dgamma, dbeta = layernorm_backward(dout, cache)
    tx, tgamma, tbeta = (torch_tensor(torch, v) for v in (x, gamma, beta))
    tout = torch.nn.functional.layer_norm(tx, (7,), tgamma, tbeta, eps=1e-5)
    tout.backward(torch.from_numpy(dout))
    _close(out, tout.detach().numpy())
    _close(dx, tx.grad.numpy())
    _close(dgamma, tgamma.grad.numpy())
    _close(dbeta, tbeta.grad.numpy())


# ---------------------------------------------------------------- dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_normalization_keeps_dtype(rng, dtype):
    """float32 in, float32 out, for outputs, gradients and the running statistics."""
    x = rng.standard_normal((3, 4, 2, 3)).astype(dtype)
    gamma, beta = np.ones(4, dtype), np.zeros(4, dtype)
    dout = np.ones_like(x)
    bn_param = {"mode": "train"}
    out, cache = spatial_batchnorm_forward(x, gamma, beta, bn_param)
    assert out.dtype == dtype
    assert bn_param["running_mean"].dtype == dtype and bn_param["running_var"].dtype == dtype
    assert all(g.dtype == dtype for g in spatial_batchnorm_backward(dout, cache))
    out, cache = spatial_groupnorm_forward(x, gamma.reshape(1, 4, 1, 1),
                                           beta.reshape(1, 4, 1, 1), 2, {})
    assert out.dtype == dtype
    assert all(g.dtype == dtype for g in spatial_groupnorm_backward(dout, cache))
    bn_param["mode"] = "test"
    out, _ = batchnorm_forward(x[:, :, 0, 0], gamma, beta, bn_param)
    assert out.dtype == dtype
