"""Direct float32 and float64 convolution on AVX-512: the plan over ``cs231n_fast._direct``
(``cs231n_fast.conv`` dispatches here; shapes as documented there, s = stride).

No im2col and no BLAS: the kernels (``_direct.h``) multiply straight out of the zero-padded
input, split into s x s phase planes so that every tap reads consecutive elements:
    forward   out[f] = b[f] + sum over c, taps of w[f, c, kh, kw] * plane(kh % s, kw % s)[c]
              shifted by (kh // s, kw // s)
    dx        phase (a, b) of dx (rows a, a + s, ..., columns b, b + s, ...) is a stride-1
              correlation of the zero-padded dout with the taps kh = a + pad (mod s),
              kw = b + pad (mod s), each shifted by ((a + pad - kh) / s, (b + pad - kw) / s)
    dw        dw[f, c, kh, kw] = sum over pixels of dout[f] * the same shifted plane
dout is padded just enough for every dx tap (``_dout_geometry``); where that is no padding
(stride 2, pad 1, an odd size: the notebook's layer), dx reads dout itself, not a copy.
The kernels keep 16 (float32) or 8 (float64) output columns per vector and mask the tail, so
every shape works; they run only where the CPU has AVX-512F (``available()``), on x and w of
one dtype, float32 or float64 (every array here, scratch included, is in that dtype; which
shapes come here is ``cs231n_fast.conv.avx512_path``'s choice).  They call no BLAS, but
OpenBLAS's idle workers are parked before each kernel (``cs231n_fast.blas``): they would spin
on our cores.
Scratch buffers are reused across calls (``cs231n_fast.scratch``).  ``ENABLED = False``
turns the path off.  Sums run in a fixed order per output, and the filter gradient's partials
go to threads statically, so results are bitwise the same from run to run; they differ from
im2col's BLAS order by rounding only.
"""

from functools import lru_cache

import numpy as np

from . import blas
from ._direct import direct_backward, direct_forward, supported
from .scratch import buffer
from .threads import get_num_threads

ENABLED = True
DTYPES = (np.dtype(np.float32), np.dtype(np.float64))  # the kernels' element types
_SUPPORTED = supported()


def available():
    """Whether the direct path runs here (AVX-512F and ENABLED)."""
    return ENABLED and _SUPPORTED


def applies(x, w):
    """Whether conv_forward_fast / conv_backward_fast send (x, w) here."""
    return available() and x.dtype in DTYPES and w.dtype == x.dtype and x.shape[0] > 0


def _phase_shape(H, W, stride, pad):
    """(H_ph, W_ph): rows and columns of one phase plane of the padded input."""
    return (H + 2 * pad + stride - 1) // stride + 1, (W + 2 * pad + stride - 1) // stride + 1


@lru_cache(maxsize=64)
def _forward_taps(w_shape, stride, H_ph, W_ph):
    """Offsets of the taps (kh, kw), in w's order, inside one channel's phase planes."""
    _, _, HH, WW = w_shape
    plane = H_ph * W_ph
    return _frozen(np.array([((kh % stride) * stride + kw % stride) * plane
                             + (kh // stride) * W_ph + kw // stride
                             for kh in range(HH) for kw in range(WW)], dtype=np.intp))


def blocked(rows, dtype=np.float32):
    """cs_correlate's weight layout: rows (..., Cout, K) as (..., ceil(Cout / 8), K, 8),
    zero-filled past Cout."""
    *lead, Cout, K = rows.shape
    blocks = np.zeros((*lead, (Cout + 7) // 8 * 8, K), dtype=dtype)
    blocks[..., :Cout, :] = rows
    blocks = blocks.reshape(*lead, -1, 8, K)
    return np.ascontiguousarray(np.swapaxes(blocks, -1, -2))


def _planes(x_shape, stride, pad, H_ph, W_ph, threads, dtype):
    """The threads' phase planes of one image each, zero where no pixel lands."""
    _, C, H, W = x_shape
    return buffer(("direct.planes", C, H, W, stride, pad, H_ph, W_ph),
                  (threads, C * stride * stride * H_ph * W_ph), zeroed=True, dtype=dtype)


def threads_for(N):
    """Threads for a batch of N images: never more than images (an idle thread's wake-up cost
    the same as a small image)."""
    return max(1, min(get_num_threads(), N))


@lru_cache(maxsize=64)
def _forward_gather(w_shape):
    """Indices into [0, *w.ravel()] that make blocked(w.reshape(F, -1)) in one take."""
    F = w_shape[0]
    return _frozen(blocked(np.arange(1, np.prod(w_shape) + 1).reshape(F, -1), dtype=np.intp))


def _frozen(*arrays):
    """The cached plans are shared by every call: read-only."""
    for array in arrays:
        array.flags.writeable = False
    return arrays[0] if len(arrays) == 1 else arrays


def _gather(w, index):
    """w's entries at index (0: a zero), in w's dtype and index's shape."""
    return np.concatenate((np.zeros(1, w.dtype), w.ravel()))[index]


def forward(x, w, b, stride, pad, H_out, W_out):
    """out (N, F, H_out, W_out) of a convolution, in x's dtype (float32 or float64, as w, b)."""
    N, C, H, W = x.shape
    F = w.shape[0]
    H_ph, W_ph = _phase_shape(H, W, stride, pad)
    off = _forward_taps(w.shape, stride, H_ph, W_ph)
    wt = _gather(w, _forward_gather(w.shape))  # (ceil(F / 8), C * taps, 8)
    out = np.empty((N, F, H_out, W_out), dtype=x.dtype)
    threads = threads_for(N)
    planes = _planes(x.shape, stride, pad, H_ph, W_ph, threads, x.dtype)
    blas.park_workers()  # OpenBLAS's idle workers would spin on our cores
    grid = w.shape[2:] if stride == 1 else (0, 0)  # the taps' offsets are a kh x kw grid
    direct_forward(x, wt, off, b, out, planes, stride, pad, H_ph, W_ph, *grid, threads)
    return out


def _phase_taps(a, stride, pad, taps):
    """The filter rows (or columns) k that phase a of dx uses, downwards: a + pad - k a
    multiple of stride; each reads dout shifted by (a + pad - k) // stride."""
    return [k for k in reversed(range(taps)) if (a + pad - k) % stride == 0]


@lru_cache(maxsize=64)
def _data_plan(w_shape, stride, pad, pd, W_d):
    """The dx phases' taps: (gather, offsets, tap_start (s*s + 1,), weight_start (s*s + 1,),
    grid_h (s*s,), grid_w (s*s,)).

    Phase ph uses taps tap_start[ph] .. tap_start[ph + 1] - 1 of offsets, and its weights are
    weights[weight_start[ph]:] in cs_correlate's layout for rows (C, F * taps) as [c][f][tap];
    weights = _gather(w, gather).  Each phase's taps run over kh and kw downwards, so their
    offsets form a grid_h[ph] x grid_w[ph] grid with unit steps (cs_correlate's grid).
    """
    F, C, HH, WW = w_shape
    index = np.arange(1, F * C * HH * WW + 1).reshape(w_shape)  # 0 stays for "zero"
    gathers, offsets, tap_start, weight_start, grid_h, grid_w = [], [], [0], [0], [], []
    for a in range(stride):
        for b in range(stride):
            rows, cols = _phase_taps(a, stride, pad, HH), _phase_taps(b, stride, pad, WW)
            taps = [(kh, kw) for kh in rows for kw in cols]
            for kh, kw in taps:
                offsets.append((pd + (a + pad - kh) // stride) * W_d
                               + pd + (b + pad - kw) // stride)
            if taps:
                kh_list, kw_list = zip(*taps, strict=True)
                cft = index[:, :, list(kh_list), list(kw_list)].transpose(1, 0, 2)  # (C, F, t)
                gathers.append(blocked(cft.reshape(C, -1), dtype=np.intp).ravel())
            tap_start.append(tap_start[-1] + len(taps))
            weight_start.append(weight_start[-1] + (gathers[-1].size if taps else 0))
            grid_h.append(len(rows) if taps else 0)
            grid_w.append(len(cols) if taps else 0)
    gather = np.concatenate(gathers) if gathers else np.zeros(1, dtype=np.intp)
    return _frozen(gather, np.array(offsets + [0], dtype=np.intp),
                   np.array(tap_start, dtype=np.intp), np.array(weight_start, dtype=np.intp),
                   np.array(grid_h, dtype=np.intp), np.array(grid_w, dtype=np.intp))


@lru_cache(maxsize=64)
def _dout_geometry(w_shape, stride, pad, H, W, H_out, W_out):
    """(pd, H_d, W_d): the upstream gradient's buffer for dx, dout at (pd, pd) in an H_d x W_d
    plane, just large enough for every read.  Phase a reads dout rows u + shift for its rows
    u < ceil((H - a) / stride) and its taps' shifts (columns alike).  (0, H_out, W_out) is
    dout itself: no padded copy (stride 2, pad 1 and an odd size, the notebook's layer)."""
    _, _, HH, WW = w_shape

    def span(size, taps):  # (rows needed above dout, rows needed from dout's first on)
        above = below = 0
        for a in range(stride):
            shifts = [(a + pad - k) // stride for k in _phase_taps(a, stride, pad, taps)]
            rows = (size - a + stride - 1) // stride
            if shifts and rows > 0:
                above = max(above, -min(shifts))
                below = max(below, rows + max(shifts))
        return above, below

    above_h, below_h = span(H, HH)
    above_w, below_w = span(W, WW)
    pd = max(above_h, above_w)
    return pd, pd + max(H_out, below_h), pd + max(W_out, below_w)


def backward(x, w, dout, stride, pad, compute_dx=True):
    """(dx, dw, db) of a convolution, in x's dtype (as w and dout); dx is None when not
    compute_dx."""
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out, W_out = dout.shape[2:]
    dtype = x.dtype
    threads = threads_for(N)
    H_ph, W_ph = _phase_shape(H, W, stride, pad)
    off = _forward_taps(w.shape, stride, H_ph, W_ph)
    pd, H_d, W_d = _dout_geometry(w.shape, stride, pad, H, W, H_out, W_out)
    in_place = compute_dx and (pd, H_d, W_d) == (0, H_out, W_out)
    if compute_dx:
        gather, dx_off, tap_start, weight_start, grid_h, grid_w = _data_plan(
            w.shape, stride, pad, pd, W_d)
        dx_wt = _gather(w, gather)
    else:  # no dx phases to run: one empty phase list per phase
        dx_wt, dx_off = np.zeros(1, dtype), np.zeros(1, np.intp)
        tap_start = np.zeros(stride * stride + 1, np.intp)
        weight_start = np.zeros(stride * stride + 1, np.intp)
        grid_h = grid_w = np.zeros(stride * stride, np.intp)
        H_d = W_d = 1
    H_u, W_v = (H + stride - 1) // stride, (W + stride - 1) // stride

    dx = np.empty((N, C, H, W) if compute_dx else (1, 1, 1, 1), dtype=dtype)
    dwt_partial = buffer("direct.dwt", (threads, C * HH * WW, F), dtype=dtype)
    db_partial = buffer("direct.db", (threads, F), dtype=dtype)
    dwt_partial.fill(0)
    db_partial.fill(0)
    planes = _planes(x.shape, stride, pad, H_ph, W_ph, threads, dtype)
    dpad = buffer(("direct.dpad", F, H_out, W_out, pd, H_d, W_d),
                  (threads, F * H_d * W_d if compute_dx and not in_place else 1), zeroed=True,
                  dtype=dtype)
    gT = buffer("direct.gT", (threads, H_out * W_out * F), dtype=dtype)
    tmp = buffer("direct.tmp", (threads, stride * stride * C * H_u * W_v
                                if stride > 1 and compute_dx else 1), dtype=dtype)
    blas.park_workers()
    direct_backward(x, dout, off, dx_wt, dx_off, tap_start, weight_start, grid_h, grid_w, dx,
                    dwt_partial, db_partial, planes, dpad, gT, tmp, stride, pad, H_ph, W_ph,
                    pd, H_d, W_d, compute_dx, in_place, threads)
    dw = dwt_partial.sum(axis=0).T.reshape(F, C, HH, WW)
    return (dx if compute_dx else None), np.ascontiguousarray(dw), db_partial.sum(axis=0)
