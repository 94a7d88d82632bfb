"""Winograd F(2x2, 3x3) and F(2x2, 5x5) for float32 stride-1 convolutions on AVX-512: the
plan over ``cs231n_fast._winograd512`` (``cs231n_fast.conv`` dispatches here; shapes as there).

Every 2x2 output tile is Y = A^T [sum over c of U (.) V] A with U = G w G^T (the filter,
accumulated in float64 and rounded once) and V = B^T d B (the input patch), so a 3x3 filter
costs 16 multiplications per 4 outputs instead of 36 (2.25x fewer), a 5x5 filter 36 instead
of 100 (2.78x).  The transforms run 16 tiles (or channels) per AVX-512 vector
(``_winograd512.h``); the channel mixing and the filter gradient run on the direct kernels
(``_direct.h``).  Measured error against the float64 layer, relative to the largest entry:
about 4e-7 (3x3) and 4e-6 (5x5), tested below 1e-5.  Through F(2x2, 5x5) the filter gradient
was up to 1e-5 off (the transform's cancellation), so the 5x5 filter gradient is computed
directly (see ``backward``).  ``ENABLED = False`` sends these shapes to the direct kernels.
"""

from functools import cache

import numpy as np

from . import blas, direct
from ._winograd512 import SKEW_FLOATS as SKEW
from ._winograd512 import mix, winograd_backward, winograd_forward
from .scratch import buffer

ENABLED = True
# alpha (tile size of the transforms) per filter size r; the points are 0, 1, -1 (, 2, -2), inf
ALPHA = {3: 4, 5: 6}
POINTS = {3: (0, 1, -1), 5: (0, 1, -1, 2, -2)}
# One image's transformed input and products must fit this per thread (a 32x32 image with 64
# channels and 64 5x5 filters takes 4.7 MB); larger images go to the direct kernels, whose
# scratch is no larger than one image.
MAX_SCRATCH_BYTES = 8 << 20
# filter sizes whose filter gradient goes through Winograd (5x5: see backward)
WINOGRAD_DW = (3,)


def applies(x, w, stride):
    """Whether conv_forward_fast / conv_backward_fast send (x, w, stride) here."""
    HH, WW = w.shape[2:]
    return (ENABLED and direct.applies(x, w) and x.dtype == np.float32 and stride == 1
            and HH == WW and HH in ALPHA)


@cache
def transforms(r):
    """(A^T (2, alpha), G (alpha, r), B^T (alpha, alpha)) of F(2, r), in float64.

    A^T and G follow from the points; B^T solves sum_i A^T[j, i] G[i, k] B^T[i, l] = [l == j + k]
    (the 1-D identity y_j = sum_k g_k d_(j+k)).  _winograd512.h holds the same B^T and A^T as
    constants (tests/test_winograd512.py checks them).
    """
    points = POINTS[r]
    alpha = r + 1
    AT = np.zeros((2, alpha))
    G = np.zeros((alpha, r))
    for i, p in enumerate(points):
        AT[:, i] = [1, p]
        G[i] = [p ** k / np.prod([p - q for q in points if q != p]) for k in range(r)]
    AT[1, -1] = 1
    G[-1, -1] = 1
    system = np.einsum("ji,ik,lm->jklim", AT, G, np.eye(alpha))  # (j, k, l) x BT's (i, m)
    target = np.zeros((2, r, alpha))
    for j in range(2):
        for k in range(r):
            target[j, k, j + k] = 1
    BT = np.linalg.lstsq(system.reshape(-1, alpha * alpha), target.ravel(), rcond=None)[0]
    return AT, G, np.round(BT.reshape(alpha, alpha), 12)


def scratch_bytes(x_shape, w_shape):
    """Bytes of V (or VT) and M per thread for one image, at "same" padding."""
    _, C, H, W = x_shape
    F, _, r, _ = w_shape
    pad = (r - 1) // 2
    alpha, _, _, _, T_pad = _plan(x_shape, r, pad, H + 2 * pad - r + 1, W + 2 * pad - r + 1)
    return 4 * alpha * alpha * T_pad * (C + F)


def _plan(x_shape, r, pad, H_out, W_out):
    """(alpha, H_ph, pitch, T, T_pad) of the tiles of one image: the phase planes' rows and
    width, the tiles (T = tiles_h * tiles_w) and T rounded up to 16."""
    _, _, H, W = x_shape
    alpha = ALPHA[r]
    halo = (alpha - 1) // 2
    tiles_h, tiles_w = (H_out + 1) // 2, (W_out + 1) // 2
    pitch = max(tiles_w + halo, (W + 2 * pad + 1) // 2)
    H_ph = max(tiles_h + halo, (H + 2 * pad + 1) // 2)
    T = tiles_h * tiles_w
    return alpha, H_ph, pitch, T, (T + 15) // 16 * 16


@cache
def _filter_transform(r):
    """G (x) G (alpha*alpha, r*r): vec(G g G^T) = (G (x) G) vec(g) for a row-major r x r g."""
    _, G, _ = transforms(r)
    return np.kron(G, G)


@cache
def _gradient_transform(r):
    """(G (x) G)^T (r*r, alpha*alpha): vec(G^T dU G) = (G (x) G)^T vec(dU)."""
    return np.ascontiguousarray(_filter_transform(r).T)


def _transformed(w):
    """U (alpha*alpha, F, C) = G w G^T per (f, c), accumulated in float64, as float32.

    Not NumPy's matmul: with several OpenBLAS threads that wakes workers which then spin on
    the cores of the kernel that follows.
    """
    F, C, r, _ = w.shape
    w_t = np.ascontiguousarray(w.reshape(F * C, r * r).T)  # (r*r, F*C)
    U = np.empty(((r + 1) ** 2, F * C), dtype=np.float32)
    mix(_filter_transform(r), w_t[None], U)
    return U.reshape(-1, F, C)


def forward(x, w, b, pad, H_out, W_out):
    """out (N, F, H_out, W_out) of a float32 3x3 or 5x5 stride-1 convolution."""
    N, C = x.shape[:2]
    F, r = w.shape[0], w.shape[2]
    alpha, H_ph, pitch, T, T_pad = _plan(x.shape, r, pad, H_out, W_out)
    threads = direct.threads_for(N)
    Ub = direct.blocked(_transformed(w))  # (alpha*alpha, ceil(F / 8), C, 8)
    out = np.empty((N, F, H_out, W_out), dtype=np.float32)
    geometry = (x.shape[1:], F, r, pad, H_out, W_out)
    xs = buffer(("wino.xs", geometry), (threads, C * 4 * H_ph * pitch + 64), zeroed=True)
    V = buffer(("wino.V", geometry), (threads, alpha * alpha * (C * T_pad + SKEW)), zeroed=True)
    M = buffer("wino.M", (threads, alpha * alpha * (F * T_pad + SKEW)))
    phases = buffer("wino.O", (threads, 4 * T_pad))
    blas.park_workers()  # the filter transform's BLAS workers would spin on our cores
    winograd_forward(x, Ub, b, out, xs, V, M, phases, alpha, pad, H_ph, pitch, T, T_pad,
                     threads)
    return out


def backward(x, w, dout, pad):
    """(dx, dw, db) of a float32 3x3 or 5x5 stride-1 convolution.

    The 5x5 filter gradient comes from the direct kernel instead: through F(2x2, 5x5) it was
    up to 1e-5 off (relative to the largest entry), the transform's cancellation.
    """
    N, C, H, W = x.shape
    F, r = w.shape[0], w.shape[2]
    H_out, W_out = dout.shape[2:]
    alpha, H_ph, pitch, T, T_pad = _plan(x.shape, r, pad, H_out, W_out)
    winograd_dw = r in WINOGRAD_DW
    threads = direct.threads_for(N)
    UTb = direct.blocked(_transformed(w).transpose(0, 2, 1))  # (a*a, ceil(C / 8), F, 8)
    dx = np.empty((N, C, H, W), dtype=np.float32)
    dU_partial = buffer("wino.dU", (threads, alpha * alpha, F, C) if winograd_dw else (1, 1, 1, 1))
    db_partial = buffer("wino.db", (threads, F))
    dU_partial.fill(0)
    db_partial.fill(0)
    # the padded input channel-last: rows and columns every tile's patch reaches
    tiles_h, tiles_w = (H_out + 1) // 2, (W_out + 1) // 2
    rows = max(2 * tiles_h + alpha - 2, H + 2 * pad)
    Wp = max(2 * tiles_w + alpha - 2, W + 2 * pad)
    geometry = (x.shape[1:], F, r, pad, H_out, W_out)
    xT = buffer(("wino.xT", geometry), (threads, rows * Wp * C + 64 if winograd_dw else 1),
                zeroed=True)
    VT = buffer(("wino.VT", geometry),
                (threads, alpha * alpha * (T_pad * C + SKEW) if winograd_dw else 1), zeroed=True)
    dV = buffer("wino.dV", (threads, alpha * alpha * (C * T_pad + SKEW)))
    dM = buffer(("wino.dM", geometry), (threads, alpha * alpha * (F * T_pad + SKEW)), zeroed=True)
    dd = buffer(("wino.dd", geometry), (threads, F * 4 * T + 64), zeroed=True)
    dxp = buffer("wino.D", (threads, alpha * alpha * T_pad))
    cols16 = ((W + pad + 1) // 2 + 15) // 16 * 16
    row = buffer("wino.rows", (threads, 2 * cols16 + W + 2 * pad + 64))
    blas.park_workers()
    winograd_backward(x, dout, UTb, dx, dU_partial, db_partial, xT, VT, dV, dM, dd, dxp, row,
                      alpha, pad, H_ph, pitch, T, T_pad, Wp, winograd_dw, threads)
    if not winograd_dw:
        _, dw, db = direct.backward(x, w, dout, 1, pad, compute_dx=False)
        return dx, dw, db
    dw = np.empty((r * r, F * C), dtype=np.float32)  # G^T dU G per (f, c), over the partials
    mix(_gradient_transform(r), dU_partial.reshape(threads, alpha * alpha, F * C), dw)
    dw = dw.reshape(r, r, F, C).transpose(2, 3, 0, 1)
    return dx, np.ascontiguousarray(dw), db_partial.sum(axis=0)
