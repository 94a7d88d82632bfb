"""Sandwich layers: common chains of layers as one forward and one backward function.

Provided code (students do not write it).  Convolution and pooling use the compiled fast
layers, so importing this module needs ``cs231n_fast`` built (``pip install -e .``).
Shapes follow :mod:`cs231n.layers`; every backward returns the gradients of its forward inputs.
"""

from .fast_layers import (
    conv_backward_fast,
    conv_forward_fast,
    conv_relu_pool_backward_fast,
    conv_relu_pool_forward_fast,
)
from .layers import (
    affine_backward,
    affine_forward,
    relu_backward,
    relu_forward,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
)


def affine_relu_forward(x, w, b):
    """Affine layer followed by a ReLU.

    Parameters
    ----------
    x : ndarray, shape (N, d_1, ..., d_k)
    w : ndarray, shape (D, M)
    b : ndarray, shape (M,)

    Returns
    -------
    out : ndarray, shape (N, M)
    cache : tuple
        For :func:`affine_relu_backward`.
    """
    a, fc_cache = affine_forward(x, w, b)
    out, relu_cache = relu_forward(a)
    return out, (fc_cache, relu_cache)


def affine_relu_backward(dout, cache):
    """Backward pass of :func:`affine_relu_forward`: returns ``dx, dw, db``."""
    fc_cache, relu_cache = cache
    da = relu_backward(dout, relu_cache)
    return affine_backward(da, fc_cache)


def conv_relu_forward(x, w, b, conv_param):
    """Convolution (fast) followed by a ReLU.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    w : ndarray, shape (F, C, HH, WW)
    b : ndarray, shape (F,)
    conv_param : dict
        ``'stride'`` and ``'pad'``, as for :func:`cs231n.layers.conv_forward_naive`.

    Returns
    -------
    out : ndarray, shape (N, F, H_out, W_out)
    cache : tuple
        For :func:`conv_relu_backward`.
    """
    a, conv_cache = conv_forward_fast(x, w, b, conv_param)
    out, relu_cache = relu_forward(a)
    return out, (conv_cache, relu_cache)


def conv_relu_backward(dout, cache):
    """Backward pass of :func:`conv_relu_forward`: returns ``dx, dw, db``."""
    conv_cache, relu_cache = cache
    da = relu_backward(dout, relu_cache)
    return conv_backward_fast(da, conv_cache)


def conv_bn_relu_forward(x, w, b, gamma, beta, conv_param, bn_param):
    """Convolution (fast), spatial batch normalization, then a ReLU.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    w : ndarray, shape (F, C, HH, WW)
    b : ndarray, shape (F,)
    gamma, beta : ndarray, shape (F,)
        Batch-normalization scale and shift of the F output channels.
    conv_param : dict
        ``'stride'`` and ``'pad'``.
    bn_param : dict
        As for :func:`cs231n.layers.batchnorm_forward` (its running statistics are updated).

    Returns
    -------
    out : ndarray, shape (N, F, H_out, W_out)
    cache : tuple
        For :func:`conv_bn_relu_backward`.
    """
    a, conv_cache = conv_forward_fast(x, w, b, conv_param)
    an, bn_cache = spatial_batchnorm_forward(a, gamma, beta, bn_param)
    out, relu_cache = relu_forward(an)
    return out, (conv_cache, bn_cache, relu_cache)


def conv_bn_relu_backward(dout, cache):
    """Backward pass of :func:`conv_bn_relu_forward`: returns ``dx, dw, db, dgamma, dbeta``."""
    conv_cache, bn_cache, relu_cache = cache
    dan = relu_backward(dout, relu_cache)
    da, dgamma, dbeta = spatial_batchnorm_backward(dan, bn_cache)
    dx, dw, db = conv_backward_fast(da, conv_cache)
    return dx, dw, db, dgamma, dbeta


def conv_relu_pool_forward(x, w, b, conv_param, pool_param):
    """Convolution (fast), ReLU, then max pooling (fast).

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    w : ndarray, shape (F, C, HH, WW)
    b : ndarray, shape (F,)
    conv_param : dict
        ``'stride'`` and ``'pad'``.
    pool_param : dict
        ``'pool_height'``, ``'pool_width'`` and ``'stride'``.

    Returns
    -------
    out : ndarray, shape (N, F, H_pool, W_pool)
    cache : tuple
        For :func:`conv_relu_pool_backward`.
    """
    # one fused pass: the (N, F, H, W) activation never reaches memory
    return conv_relu_pool_forward_fast(x, w, b, conv_param, pool_param)


def conv_relu_pool_backward(dout, cache, compute_dx=True):
    """Backward pass of :func:`conv_relu_pool_forward`: returns ``dx, dw, db``.

    ``compute_dx=False`` skips dx (returned as None), which a network's first layer never
    needs.
    """
    return conv_relu_pool_backward_fast(dout, cache, compute_dx=compute_dx)
