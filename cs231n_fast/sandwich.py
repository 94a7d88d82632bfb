"""Convolution, ReLU and max pooling as one layer: the validated Python layer over
``cs231n_fast._sandwich``.

Shapes: x (N, C, H, W), w (F, C, HH, WW), b (F,); the convolution gives (N, F, H_out, W_out)
(see ``cs231n_fast.conv``), the pool a (N, F, H_pool, W_pool) output (``cs231n_fast.pool``).
The same numbers as ``conv_forward_fast``, ``np.maximum(a, 0)`` and ``max_pool_forward_fast``
chained, without the (N, F, H_out, W_out) activation and its gradients ever reaching memory.
The backward pass can skip dx, which the first layer of a network never needs.
Where the convolution takes an AVX-512 path (``conv.avx512_path``: float32 or float64) the
layer is that chain itself: the direct kernels are faster than the fused im2col one even with
the activation going through memory.
"""

import numpy as np

from . import _checks, blas, conv, pool
from ._pool import relu_pool_backward_into, relu_pool_forward_into
from ._sandwich import conv_relu_pool_backward_fused, conv_relu_pool_forward_fused
from .threads import get_num_threads


def conv_relu_pool_forward_fast(x, w, b, conv_param, pool_param):
    """Forward pass of max_pool(relu(conv(x, w, b))).

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W), float32 or float64
    w : ndarray, shape (F, C, HH, WW)
    b : ndarray, shape (F,)
    conv_param : dict
        'stride' and 'pad', as for :func:`cs231n_fast.conv_forward_fast`.
    pool_param : dict
        'pool_height', 'pool_width' and 'stride', as for
        :func:`cs231n_fast.max_pool_forward_fast`, applied to the (H_out, W_out) activation.

    Returns
    -------
    out : ndarray, shape (N, F, H_pool, W_pool), the inputs' common dtype
    cache : tuple for :func:`conv_relu_pool_backward_fast`
    """
    x, w, b, stride, pad, H_out, W_out = conv.validated(x, w, b, conv_param)
    pool_height, pool_width, pool_stride, H_pool, W_pool = pool.window(pool_param, H_out, W_out)
    N, C = x.shape[:2]
    F, _, HH, WW = w.shape
    K, P, Q = C * HH * WW, H_out * W_out, H_pool * W_pool
    conv_param = {"stride": stride, "pad": pad}
    pool_param = {"pool_height": pool_height, "pool_width": pool_width, "stride": pool_stride}
    if blas.FUSED and N > 0 and conv.avx512_path(x, w, stride) is None:
        out = np.empty((N, F, Q), dtype=x.dtype)
        argmax = np.empty((N, F, Q), dtype=np.int32)  # -1: the ReLU zeroed this maximum
        threads = get_num_threads()
        cols = np.empty((threads, K * P), dtype=x.dtype)  # one image's columns per thread
        plane = np.empty((threads, F * P), dtype=x.dtype)  # one image's activation per thread
        with blas.single_threaded():
            conv_relu_pool_forward_fused(x, w.reshape(F, K), b, out, argmax, cols, plane,
                                         HH, WW, stride, pad, H_out, W_out,
                                         pool_height, pool_width, pool_stride, threads)
    else:
        # the unfused chain, pooling the activation before the ReLU (max commutes with it)
        a, _ = conv.conv_forward_fast(x, w, b, conv_param)
        out = np.empty((N * F, H_pool, W_pool), dtype=x.dtype)
        argmax = np.empty((N * F, H_pool, W_pool), dtype=np.int32)  # -1: the ReLU zeroed it
        relu_pool_forward_into(a.reshape(N * F, H_out, W_out), out, argmax,
                               pool_height, pool_width, pool_stride, get_num_threads())
        out, argmax = out.reshape(N, F, Q), argmax.reshape(N, F, Q)
    cache = (x, w, b, conv_param, pool_param, argmax)
    return out.reshape(N, F, H_pool, W_pool), cache


def conv_relu_pool_backward_fast(dout, cache, compute_dx=True):
    """Backward pass of :func:`conv_relu_pool_forward_fast`.

    Parameters
    ----------
    dout : ndarray, shape (N, F, H_pool, W_pool), upstream gradient
    cache : tuple from :func:`conv_relu_pool_forward_fast`
    compute_dx : bool
        False skips dx (returned as None): a network's first layer needs only dw and db.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W), or None when not compute_dx
    dw : ndarray, shape (F, C, HH, WW)
    db : ndarray, shape (F,)
        In the forward pass's dtype.
    """
    x, w, b, conv_param, pool_param, argmax = _checks.cache_tuple(
        "conv_relu_pool_forward_fast", cache, 6)
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out, W_out = conv._geometry(x.shape, HH, WW, stride, pad)
    _, _, _, H_pool, W_pool = pool.window(pool_param, H_out, W_out)
    dout = _checks.gradient("dout", dout, (N, F, H_pool, W_pool), x.dtype)
    K, P = C * HH * WW, H_out * W_out
    dout_rows = dout.reshape(N, F, H_pool * W_pool)  # (N, F, Q)
    if conv.avx512_path(x, w, stride) is not None or not (blas.FUSED and N > 0):
        # the unfused chain: route dout to the maxima the ReLU passed, then the convolution
        da = np.empty((N * F, P), dtype=x.dtype)  # (N*F, P), zeroed by the kernel
        relu_pool_backward_into(dout_rows.reshape(N * F, H_pool, W_pool),
                                argmax.reshape(N * F, H_pool, W_pool), da, get_num_threads())
        return conv.backward(da.reshape(N, F, H_out, W_out), (x, w, b, conv_param), compute_dx)

    threads = get_num_threads()
    dx = np.zeros((N, C, H, W), dtype=x.dtype) if compute_dx else np.empty((1, 1, 1, 1), x.dtype)
    dw_partial = np.zeros((threads, F, K), dtype=x.dtype)  # (threads, F, K)
    db_partial = np.zeros((threads, F), dtype=x.dtype)  # (threads, F)
    cols = np.empty((threads, K * P), dtype=x.dtype)
    dplane = np.empty((threads, F * P), dtype=x.dtype)
    dcols = np.empty((threads, K * P if compute_dx else 1), dtype=x.dtype)
    with blas.single_threaded():
        conv_relu_pool_backward_fused(x, w.reshape(F, K), dout_rows, argmax, dx, dw_partial,
                                      db_partial, cols, dplane, dcols, compute_dx,
                                      HH, WW, stride, pad, H_out, W_out, threads)
    dw = dw_partial.sum(axis=0).reshape(w.shape)
    return (dx if compute_dx else None), dw, db_partial.sum(axis=0)
