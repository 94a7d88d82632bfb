"""Winograd F(2x2, 3x3) for 3x3 stride-1 convolutions: the Python layer over
``cs231n_fast._winograd`` (``cs231n_fast.conv`` dispatches here; shapes as documented there).

The filter transforms U = G g G^T and dg = G^T dU G are done here in float64 and rounded once
to the layer's dtype.  Measured error against a float64 im2col convolution: about 1e-7
relative in float32 (the same order as im2col's own float32 rounding) and 1e-16 in float64.
"""

import numpy as np

from ._winograd import winograd_backward, winograd_forward
from .threads import get_num_threads

# G of F(2x2, 3x3): the filter transform (4, 3)
G = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]])
# Tiles per group of images: 16 GEMMs of (F, C) @ (C, T) stay efficient and in cache.
TILES_PER_GEMM = 64


def applies(w_shape, stride):
    """Whether the Winograd path handles filters of shape w_shape (F, C, HH, WW) at stride."""
    return w_shape[2] == 3 and w_shape[3] == 3 and stride == 1


def _plan(x_shape, w_shape, H_out, W_out):
    """(images per group, scratch shapes) for the kernels."""
    _, C, _, _ = x_shape
    F = w_shape[0]
    tiles_h, tiles_w = (H_out + 1) // 2, (W_out + 1) // 2
    group = max(1, TILES_PER_GEMM // (tiles_h * tiles_w))
    T = group * tiles_h * tiles_w
    threads = get_num_threads()
    plane = (threads, (2 * tiles_h + 2) * (2 * tiles_w + 2))
    skew = 16  # _winograd's SKEW
    return group, (threads, 16 * (C * T + skew)), (threads, 16 * (F * T + skew)), plane


def _transformed_filters(w):
    """U (16, F, C) = G w G^T per (f, c), in w's dtype."""
    F, C = w.shape[:2]
    Gw = np.tensordot(G, w.astype(np.float64), axes=(1, 2))  # (4, F, C, 3)
    U = np.tensordot(Gw, G, axes=(3, 1)).transpose(0, 3, 1, 2)  # (4, 4, F, C)
    return np.ascontiguousarray(U.reshape(16, F, C), dtype=w.dtype)


def forward(x, w, b, pad, H_out, W_out):
    """out (N, F, H_out, W_out) of a 3x3 stride-1 convolution; BLAS held single-threaded."""
    N, F = x.shape[0], w.shape[0]
    group, v_shape, m_shape, plane_shape = _plan(x.shape, w.shape, H_out, W_out)
    out = np.empty((N, F, H_out, W_out), dtype=x.dtype)
    winograd_forward(x, _transformed_filters(w), b, out, np.empty(v_shape, x.dtype),
                     np.empty(m_shape, x.dtype), np.empty(plane_shape, x.dtype), pad, group,
                     v_shape[0])
    return out


def backward(x, w, dout, pad):
    """(dx, dw, db) of a 3x3 stride-1 convolution; BLAS held single-threaded."""
    C = x.shape[1]
    F = w.shape[0]
    H_out, W_out = dout.shape[2:]
    group, v_shape, m_shape, plane_shape = _plan(x.shape, w.shape, H_out, W_out)
    threads = v_shape[0]
    dx = np.empty(x.shape, dtype=x.dtype)
    dU_partial = np.zeros((threads, 16, F, C), dtype=x.dtype)  # (threads, 16, F, C)
    db_partial = np.zeros((threads, F), dtype=x.dtype)  # (threads, F)
    winograd_backward(x, _transformed_filters(w), dout, dx, dU_partial, db_partial,
                      np.empty(v_shape, x.dtype), np.empty(m_shape, x.dtype),
                      np.empty(v_shape, x.dtype), np.empty(plane_shape, x.dtype), pad, group,
                      threads)
    dU = dU_partial.sum(axis=0, dtype=np.float64).reshape(4, 4, F, C)  # (4, 4, F, C)
    GdU = np.tensordot(G, dU, axes=(0, 0))  # (3, 4, F, C)
    dw = np.tensordot(GdU, G, axes=(1, 0)).transpose(1, 2, 0, 3)  # (F, C, 3, 3)
    dw = np.ascontiguousarray(dw, dtype=x.dtype)
    return dx, dw, db_partial.sum(axis=0)
