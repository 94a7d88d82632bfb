"""Sandwich layers: each must equal its chain of naive layers and pass a gradient check.

They are built on the compiled fast layers; when ``cs231n_fast`` is not built, the whole
module is skipped with the build instruction from the ImportError.
"""

import numpy as np
import pytest

# make test always builds cs231n_fast: a broken build must fail here, not skip.
from cs231n import layer_utils
from cs231n.gradient_check import eval_numerical_gradient_array
from cs231n.layers import (
    affine_backward,
    affine_forward,
    conv_backward_naive,
    conv_forward_naive,
    max_pool_backward_naive,
    max_pool_forward_naive,
    relu_backward,
    relu_forward,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
)

from tests._helpers import rel_error


def _conv_inputs(rng, x_shape, w_shape):
    """Random x (N, C, H, W), w (F, C, HH, WW) and b (F,)."""
    b = rng.standard_normal(w_shape[0])
    return rng.standard_normal(x_shape), rng.standard_normal(w_shape), b


def _close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-12)


def test_affine_relu_equals_its_chain(rng):
    """Is affine_relu exactly affine then relu, forward and backward?"""
    x, w, b = rng.standard_normal((4, 3, 2)), rng.standard_normal((6, 5)), rng.standard_normal(5)
    dout = rng.standard_normal((4, 5))
    out, cache = layer_utils.affine_relu_forward(x, w, b)
    grads = layer_utils.affine_relu_backward(dout, cache)

    a, affine_cache = affine_forward(x, w, b)
    expected_out, relu_cache = relu_forward(a)
    expected = affine_backward(relu_backward(dout, relu_cache), affine_cache)
    _close(out, expected_out)
    assert len(grads) == 3
    for grad, expected_grad in zip(grads, expected, strict=True):
        _close(grad, expected_grad)


CONV_PARAMS = [{"stride": 1, "pad": 1}, {"stride": 2, "pad": 0}]


@pytest.mark.parametrize("conv_param", CONV_PARAMS, ids=["s1-p1", "s2-p0"])
def test_conv_relu_equals_its_chain(rng, conv_param):
    """Is conv_relu (fast conv) the naive conv followed by relu, forward and backward?"""
    x, w, b = _conv_inputs(rng, (2, 3, 7, 5), (4, 3, 3, 3))
    out, cache = layer_utils.conv_relu_forward(x, w, b, conv_param)
    dout = rng.standard_normal(out.shape)
    grads = layer_utils.conv_relu_backward(dout, cache)

    a, conv_cache = conv_forward_naive(x, w, b, conv_param)
    expected_out, relu_cache = relu_forward(a)
    expected = conv_backward_naive(relu_backward(dout, relu_cache), conv_cache)
    _close(out, expected_out)
    assert len(grads) == 3
    for grad, expected_grad in zip(grads, expected, strict=True):
        _close(grad, expected_grad)


def test_conv_relu_pool_equals_its_chain(rng):
    """Is conv_relu_pool the naive conv, relu and 2x2 pool chained, forward and backward?"""
    x, w, b = _conv_inputs(rng, (2, 3, 8, 6), (3, 3, 3, 3))
    conv_param = {"stride": 1, "pad": 1}
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
    out, cache = layer_utils.conv_relu_pool_forward(x, w, b, conv_param, pool_param)
    assert out.shape == (2, 3, 4, 3)
    dout = rng.standard_normal(out.shape)
    grads = layer_utils.conv_relu_pool_backward(dout, cache)

    a, conv_cache = conv_forward_naive(x, w, b, conv_param)
    s, relu_cache = relu_forward(a)
    expected_out, pool_cache = max_pool_forward_naive(s, pool_param)
    ds = max_pool_backward_naive(dout, pool_cache)
    expected = conv_backward_naive(relu_backward(ds, relu_cache), conv_cache)
    _close(out, expected_out)
    assert len(grads) == 3
    for grad, expected_grad in zip(grads, expected, strict=True):
        _close(grad, expected_grad)


def test_conv_bn_relu_equals_its_chain(rng):
    """Is conv_bn_relu the naive conv, spatial batchnorm and relu chained, with 5 gradients?"""
    x, w, b = _conv_inputs(rng, (3, 2, 5, 4), (3, 2, 3, 3))
    gamma, beta = rng.standard_normal(3), rng.standard_normal(3)
    conv_param = {"stride": 1, "pad": 1}
    bn_param = {"mode": "train"}
    out, cache = layer_utils.conv_bn_relu_forward(x, w, b, gamma, beta, conv_param, bn_param)
    assert set(bn_param) >= {"running_mean", "running_var"}
    dout = rng.standard_normal(out.shape)
    grads = layer_utils.conv_bn_relu_backward(dout, cache)

    a, conv_cache = conv_forward_naive(x, w, b, conv_param)
    an, bn_cache = spatial_batchnorm_forward(a, gamma, beta, {"mode": "train"})
    expected_out, relu_cache = relu_forward(an)
    da, dgamma, dbeta = spatial_batchnorm_backward(relu_backward(dout, relu_cache), bn_cache)
    expected = (*conv_backward_naive(da, conv_cache), dgamma, dbeta)
    np.testing.assert_allclose(out, expected_out, rtol=1e-9, atol=1e-10)
    assert len(grads) == 5
    for grad, expected_grad in zip(grads, expected, strict=True):
        np.testing.assert_allclose(grad, expected_grad, rtol=1e-9, atol=1e-10)


# The notebook's numerical checks of the sandwich layers (errors ~1e-9 there).


def test_affine_relu_numerical(rng):
    """Does affine_relu_backward agree with numerical gradients?"""
    x, w, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((12, 10)), rng.standard_normal(10)
    dout = rng.standard_normal((2, 10))
    _, cache = layer_utils.affine_relu_forward(x, w, b)
    grads = layer_utils.affine_relu_backward(dout, cache)
    for arg, grad in zip((x, w, b), grads, strict=True):
        numerical = eval_numerical_gradient_array(
            lambda _: layer_utils.affine_relu_forward(x, w, b)[0], arg, dout
        )
        assert rel_error(numerical, grad) < 1e-7


def test_conv_relu_pool_numerical(rng):
    """Does conv_relu_pool_backward agree with numerical gradients?"""
    x, w, b = _conv_inputs(rng, (2, 3, 8, 8), (3, 3, 3, 3))
    dout = rng.standard_normal((2, 3, 4, 4))
    conv_param = {"stride": 1, "pad": 1}
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}

    def forward(_):
        return layer_utils.conv_relu_pool_forward(x, w, b, conv_param, pool_param)[0]

    _, cache = layer_utils.conv_relu_pool_forward(x, w, b, conv_param, pool_param)
    grads = layer_utils.conv_relu_pool_backward(dout, cache)
    for arg, grad in zip((x, w, b), grads, strict=True):
        assert rel_error(eval_numerical_gradient_array(forward, arg, dout), grad) < 1e-6


def test_conv_relu_numerical(rng):
    """Does conv_relu_backward agree with numerical gradients?"""
    x, w, b = _conv_inputs(rng, (2, 3, 8, 8), (3, 3, 3, 3))
    dout = rng.standard_normal((2, 3, 8, 8))
    conv_param = {"stride": 1, "pad": 1}

    def forward(_):
        return layer_utils.conv_relu_forward(x, w, b, conv_param)[0]

    _, cache = layer_utils.conv_relu_forward(x, w, b, conv_param)
    grads = layer_utils.conv_relu_backward(dout, cache)
    for arg, grad in zip((x, w, b), grads, strict=True):
        assert rel_error(eval_numerical_gradient_array(forward, arg, dout), grad) < 1e-6


def test_sandwiches_keep_float32(rng):
    """float32 in, float32 out through the fast-layer sandwiches."""
    x = rng.standard_normal((2, 3, 6, 6)).astype(np.float32)
    w = rng.standard_normal((2, 3, 3, 3)).astype(np.float32)
    b = np.zeros(2, np.float32)
    out, cache = layer_utils.conv_relu_pool_forward(
        x, w, b, {"stride": 1, "pad": 1}, {"pool_height": 2, "pool_width": 2, "stride": 2}
    )
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in layer_utils.conv_relu_pool_backward(out, cache))
