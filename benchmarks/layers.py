"""Layer benchmarks: convolution and max pooling, cs231n_fast against its baselines.

Every case times one forward plus one backward pass per call, in a given dtype:
  fast          cs231n_fast (what cs231n.fast_layers re-exports)
  numpy-im2col  a plain NumPy im2col (sliding_window_view) + matmul; fast must not be slower
  naive         cs231n.layers (the reference students write); slow, so few repeats
  torch         torch.nn.functional on CPU, autograd for the backward (when installed)
  gemm-floor    the three matrix products of forward+backward on already-built columns,
                each one BLAS call on contiguous operands: what no im2col convolution beats
  gemm-peak     one 1024x1024 GEMM: the machine's peak, for the GFLOP/s fractions
Pooling adds `course-reshape`, the original assignment's reshape trick (tiling windows only).
"""

import numpy as np
from cs231n import layers
from numpy.lib.stride_tricks import sliding_window_view

from cs231n_fast import (
    conv_backward_fast,
    conv_forward_fast,
    max_pool_backward_fast,
    max_pool_forward_fast,
)

# name -> (x shape, w shape, stride, pad)
CONV_SHAPES = {
    "notebook": ((100, 3, 31, 31), (25, 3, 3, 3), 2, 1),
    "convnet-first": ((50, 3, 32, 32), (32, 3, 7, 7), 1, 3),
    "middle": ((64, 64, 16, 16), (64, 64, 3, 3), 1, 1),
    "3x3-stride2": ((64, 32, 31, 31), (64, 32, 3, 3), 2, 1),
    "5x5": ((50, 32, 16, 16), (64, 32, 5, 5), 1, 2),
}
# name -> (x shape, pool_height, pool_width, stride)
POOL_SHAPES = {
    "pool-100x3x32x32": ((100, 3, 32, 32), 2, 2, 2),
    "pool-50x32x32x32": ((50, 32, 32, 32), 2, 2, 2),
}


def conv_flops(shape_name):
    """Useful floating-point operations of one forward + backward: three GEMMs of 2*F*K*N*P
    (output, filter gradient, data gradient), as a plain im2col convolution does them."""
    (N, C, H, W), (F, _, HH, WW), stride, pad = CONV_SHAPES[shape_name]
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    return 3 * 2 * F * C * HH * WW * N * H_out * W_out


PEAK_SIZE = 1024
PEAK_FLOPS = 2 * PEAK_SIZE ** 3


def gemm_peak(dtype, size=PEAK_SIZE):
    """NumPy's own GEMM on two size x size matrices (the machine's peak for this dtype): a
    competitor of every conv case, so that the peak is timed in the same minutes."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size)).astype(dtype)
    b = rng.standard_normal((size, size)).astype(dtype)
    out = np.empty((size, size), dtype=dtype)
    return lambda: np.matmul(a, b, out=out)


def conv_numpy_im2col(x, w, b, stride, pad, dout):
    """Forward + backward with a straightforward NumPy im2col (the baseline to beat)."""
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))  # (N, C, H+2p, W+2p)
    windows = sliding_window_view(x_pad, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    cols = windows.transpose(0, 1, 4, 5, 2, 3).reshape(N, C * HH * WW, H_out * W_out)
    out = np.matmul(w.reshape(F, -1), cols) + b[:, None]  # (N, F, P)
    dout_rows = dout.reshape(N, F, -1)  # (N, F, P)
    dw = np.matmul(dout_rows, cols.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)
    db = dout.sum(axis=(0, 2, 3))
    dcols = np.matmul(w.reshape(F, -1).T, dout_rows).reshape(N, C, HH, WW, H_out, W_out)
    dx_pad = np.zeros_like(x_pad)
    for i in range(HH):
        for j in range(WW):
            dx_pad[:, :, i:i + stride * H_out:stride, j:j + stride * W_out:stride] += dcols[
                :, :, i, j
            ]
    return out, dx_pad[:, :, pad:pad + H, pad:pad + W], dw, db


def max_pool_course_reshape(x, pool_height, pool_width, dout):
    """The original assignment's reshape trick, forward + backward (tiling 2x2 windows only)."""
    N, C, H, W = x.shape
    x_reshaped = x.reshape(N, C, H // pool_height, pool_height, W // pool_width, pool_width)
    out = x_reshaped.max(axis=3).max(axis=4)
    dx_reshaped = np.zeros_like(x_reshaped)
    mask = x_reshaped == out[:, :, :, None, :, None]
    dout_broadcast, _ = np.broadcast_arrays(dout[:, :, :, None, :, None], dx_reshaped)
    dx_reshaped[mask] = dout_broadcast[mask]
    dx_reshaped /= np.sum(mask, axis=(3, 5), keepdims=True)
    return out, dx_reshaped.reshape(x.shape)


def conv_competitors(shape_name, dtype, torch=None):
    """(competitors, max_repeats) for one convolution shape and dtype."""
    x_shape, w_shape, stride, pad = CONV_SHAPES[shape_name]
    rng = np.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    conv_param = {"stride": stride, "pad": pad}
    N, C, H, W = x_shape
    F, _, HH, WW = w_shape
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    dout = rng.standard_normal((N, F, H_out, W_out)).astype(dtype)

    def fast():
        _, cache = conv_forward_fast(x, w, b, conv_param)
        return conv_backward_fast(dout, cache)

    def numpy_im2col():
        return conv_numpy_im2col(x, w, b, stride, pad, dout)

    def naive():
        _, cache = layers.conv_forward_naive(x, w, b, conv_param)
        return layers.conv_backward_naive(dout, cache)

    K, P = C * HH * WW, H_out * W_out
    cols = rng.standard_normal((K, N * P)).astype(dtype)  # (K, N*P), already built
    w_rows = w.reshape(F, K)
    dout_rows = np.ascontiguousarray(dout.transpose(1, 0, 2, 3)).reshape(F, N * P)

    def gemm_floor():
        out = w_rows @ cols  # (F, N*P)
        dw = dout_rows @ cols.T  # (F, K)
        dcols = w_rows.T @ dout_rows  # (K, N*P)
        return out, dw, dcols

    competitors = {"fast": fast, "numpy-im2col": numpy_im2col, "naive": naive,
                   "gemm-floor": gemm_floor, "gemm-peak": gemm_peak(dtype)}
    if torch is not None:
        xt, wt, bt = (torch.from_numpy(a).requires_grad_() for a in (x, w, b))
        dout_t = torch.from_numpy(dout)

        def torch_conv():
            out = torch.nn.functional.conv2d(xt, wt, bt, stride=stride, padding=pad)
            return torch.autograd.grad(out, (xt, wt, bt), dout_t)

        competitors["torch"] = torch_conv
    return competitors, {"naive": 3}


def pool_competitors(shape_name, dtype, torch=None):
    """(competitors, max_repeats) for one pooling shape and dtype."""
    x_shape, pool_height, pool_width, stride = POOL_SHAPES[shape_name]
    rng = np.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(dtype)
    pool_param = {"pool_height": pool_height, "pool_width": pool_width, "stride": stride}
    N, C, H, W = x_shape
    dout = rng.standard_normal(
        (N, C, (H - pool_height) // stride + 1, (W - pool_width) // stride + 1)
    ).astype(dtype)

    def fast():
        _, cache = max_pool_forward_fast(x, pool_param)
        return max_pool_backward_fast(dout, cache)

    def course_reshape():
        return max_pool_course_reshape(x, pool_height, pool_width, dout)

    def naive():
        _, cache = layers.max_pool_forward_naive(x, pool_param)
        return layers.max_pool_backward_naive(dout, cache)

    competitors = {"fast": fast, "course-reshape": course_reshape, "naive": naive}
    if torch is not None:
        xt = torch.from_numpy(x).requires_grad_()
        dout_t = torch.from_numpy(dout)

        def torch_pool():
            out = torch.nn.functional.max_pool2d(xt, (pool_height, pool_width), stride=stride)
            return torch.autograd.grad(out, (xt,), dout_t)

        competitors["torch"] = torch_pool
    return competitors, {"naive": 5}
