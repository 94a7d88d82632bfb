"""Max pooling for any window and stride: the validated Python layer over ``cs231n_fast._pool``.

Shapes: x (N, C, H, W); a pool_height x pool_width window moved by stride, no padding;
H_out = (H - pool_height) // stride + 1, W_out = (W - pool_width) // stride + 1.
Overlapping windows (stride < window) are supported; windows must tile the input exactly.
"""

import numpy as np

from . import _checks, blas
from ._pool import max_pool_backward_into, max_pool_forward_into
from .threads import get_num_threads


def window(pool_param, H, W):
    """``(pool_height, pool_width, stride, H_out, W_out)`` of a checked pool_param on an
    H x W input, or ValueError."""
    pool_height = _checks.int_param(pool_param, "pool_param", "pool_height", 1)
    pool_width = _checks.int_param(pool_param, "pool_param", "pool_width", 1)
    stride = _checks.int_param(pool_param, "pool_param", "stride", 1)
    H_out = _checks.output_size("H", H, pool_height, stride, 0, "pool_height")
    W_out = _checks.output_size("W", W, pool_width, stride, 0, "pool_width")
    return pool_height, pool_width, stride, H_out, W_out


def max_pool_forward_fast(x, pool_param):
    """Max-pooling forward pass.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W), float32 or float64
    pool_param : dict
        'pool_height', 'pool_width' and 'stride' (ints >= 1).

    Returns
    -------
    out : ndarray, shape (N, C, H_out, W_out), dtype of x
    cache : tuple for :func:`max_pool_backward_fast`
    """
    x = _checks.float_array("x", x, 4)
    N, C, H, W = x.shape
    pool_height, pool_width, stride, H_out, W_out = window(pool_param, H, W)

    planes = np.ascontiguousarray(x).reshape(N * C, H, W)  # (N*C, H, W)
    out = np.empty((N * C, H_out, W_out), dtype=x.dtype)
    argmax = np.empty((N * C, H_out, W_out), dtype=np.int32)
    blas.park_workers()
    max_pool_forward_into(planes, out, argmax, pool_height, pool_width, stride,
                          get_num_threads())
    cache = (x.shape, x.dtype, argmax)
    return out.reshape(N, C, H_out, W_out), cache


def max_pool_backward_fast(dout, cache):
    """Max-pooling backward pass: each upstream gradient goes to its window's maximum.

    Parameters
    ----------
    dout : ndarray, shape (N, C, H_out, W_out), upstream gradient
    cache : tuple from :func:`max_pool_forward_fast`

    Returns
    -------
    dx : ndarray, shape (N, C, H, W), dtype of the forward input
        Overlapping windows that share a maximum add their gradients.
    """
    x_shape, dtype, argmax = _checks.cache_tuple("max_pool_forward_fast", cache, 3)
    N, C, H, W = x_shape
    H_out, W_out = argmax.shape[1:]
    dout = _checks.gradient("dout", dout, (N, C, H_out, W_out), dtype)
    dx = np.zeros((N * C, H * W), dtype=dtype)  # (N*C, H*W)
    blas.park_workers()
    max_pool_backward_into(dout.reshape(N * C, H_out, W_out), argmax, dx, get_num_threads())
    return dx.reshape(x_shape)
