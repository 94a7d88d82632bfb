"""Convolution as im2col + GEMM: the validated Python layer over ``cs231n_fast._conv``.

Shapes used throughout:
    N  images in the batch         C  input channels      H, W    input height, width
    F  filters                     HH, WW  filter height, width
    H_out = (H + 2*pad - HH) // stride + 1,   W_out = (W + 2*pad - WW) // stride + 1
    K = C * HH * WW (one patch),   P = H_out * W_out (output pixels per image)

Columns never exist for the whole batch at once (they would be nine times the input for a
3x3 filter and spill out of cache): with NumPy's OpenBLAS found (``cs231n_fast.blas``) each
thread of one OpenMP loop builds one image's columns and multiplies them at once with a
single-threaded GEMM; otherwise the batch goes through NumPy's matmul in cache-sized chunks.
The backward pass rebuilds the columns instead of caching them between the passes.
3x3 stride-1 filters take Winograd F(2x2, 3x3) instead (``cs231n_fast.winograd``, 2.25x fewer
multiplications) when BLAS is bound; ``WINOGRAD = False`` turns that off.
On a CPU with AVX-512 most shapes take neither (``avx512_path``): in float32, 3x3 and 5x5
stride-1 filters over at least WINOGRAD512_CHANNELS channels go through
``cs231n_fast.winograd512`` (Winograd F(2x2, 3x3) / F(2x2, 5x5) with vectorised transforms),
every other shape through ``cs231n_fast.direct`` (direct convolution, no im2col, no BLAS); in
float64 every shape goes direct but 3x3 stride-1 filters over at least F64_WINOGRAD_CHANNELS
channels, which keep Winograd on BLAS.
Arrays keep their dtype (float32 or float64); mixed inputs compute in the wider one.
"""

import numpy as np

from . import _checks, blas, direct, winograd, winograd512
from ._conv import col2im_into, conv_backward_fused, conv_forward_fused, im2col_into
from .threads import get_num_threads

# 3x3 stride-1 convolutions go through Winograd F(2x2, 3x3) (cs231n_fast.winograd) when BLAS is
# bound; False sends them through im2col like every other shape.
WINOGRAD = True

# Fallback path only.  Bytes of columns per chunk: few enough chunks that two thread pools
# (OpenMP for im2col, BLAS for the GEMM) hand over rarely, small enough to stay in cache.
CHUNK_BYTES = 16 << 20
# Below this patch size K the forward GEMM is too thin to amortise a transposed copy of its
# output, so it runs per image instead (measured on the notebook's and the convnet's shapes).
SMALL_PATCH = 256


# Winograd on AVX-512 needs this many input channels and filters to beat the direct kernels
# (its transforms run 16 channels or tiles per vector; measured on the bench shapes).
WINOGRAD512_CHANNELS = 16
# Float64 3x3 stride-1 filters over this many channels and filters stay on Winograd on BLAS:
# there it beats the direct kernels (2 threads, fraction of the dgemm peak: 64 channels on
# 16x16 images 1.16 against 0.95, 48 channels 1.04 against 0.92), with fewer it loses
# (32 channels 0.82 against 0.86, 3 channels 0.21 against 0.32).  Every other float64 shape
# measured, 5x5 included, ran faster on the direct kernels.
F64_WINOGRAD_CHANNELS = 48


def avx512_path(x, w, stride):
    """'winograd512', 'direct' or None (im2col / Winograd on BLAS) for validated x, w (one
    dtype, float32 or float64): the AVX-512 kernel that conv_forward_fast and
    conv_backward_fast use for them, if any."""
    if not direct.applies(x, w):  # also None for an empty batch, or no AVX-512
        return None
    F, C = w.shape[:2]
    if x.dtype == np.float64:
        blas_winograd = blas.FUSED and WINOGRAD and winograd.applies(w.shape, stride)
        return None if blas_winograd and min(F, C) >= F64_WINOGRAD_CHANNELS else "direct"
    if (winograd512.applies(x, w, stride) and min(F, C) >= WINOGRAD512_CHANNELS
            and winograd512.scratch_bytes(x.shape, w.shape) <= winograd512.MAX_SCRATCH_BYTES):
        return "winograd512"
    return "direct"


def _geometry(x_shape, filter_height, filter_width, stride, pad):
    """(H_out, W_out) of a valid convolution geometry, or ValueError."""
    _, _, H, W = x_shape
    H_out = _checks.output_size("H", H, filter_height, stride, pad, "HH")
    W_out = _checks.output_size("W", W, filter_width, stride, pad, "WW")
    return H_out, W_out


def _conv_params(conv_param):
    """(stride, pad) from a conv_param dict, as ints, or ValueError."""
    stride = _checks.int_param(conv_param, "conv_param", "stride", 1)
    pad = _checks.int_param(conv_param, "conv_param", "pad", 0)
    return stride, pad


def _window_params(filter_height, filter_width, stride, pad):
    params = {"filter_height": filter_height, "filter_width": filter_width,
              "stride": stride, "pad": pad}
    for key, minimum in (("filter_height", 1), ("filter_width", 1), ("stride", 1), ("pad", 0)):
        _checks.int_param(params, "im2col", key, minimum)
    return int(filter_height), int(filter_width), int(stride), int(pad)


def _chunks(N, column_bytes):
    """(start, stop) image ranges whose columns take about CHUNK_BYTES each."""
    per_chunk = max(1, min(N, CHUNK_BYTES // max(1, column_bytes)))
    return [(start, min(N, start + per_chunk)) for start in range(0, N, per_chunk)], per_chunk


def im2col(x, filter_height, filter_width, stride=1, pad=0):
    """Patches of a zero-padded image batch, one column per output pixel.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W), float32 or float64
    filter_height, filter_width : int
        HH and WW, the window size.
    stride, pad : int
        Step between windows and zeros added on every side; the windows must tile exactly.

    Returns
    -------
    cols : ndarray, shape (C*HH*WW, N*H_out*W_out), dtype of x
        ``cols[(c*HH + i)*WW + j, (n*H_out + ho)*W_out + wo]
        = x_pad[n, c, ho*stride + i, wo*stride + j]``.
    """
    x = _checks.float_array("x", x, 4)
    HH, WW, stride, pad = _window_params(filter_height, filter_width, stride, pad)
    H_out, W_out = _geometry(x.shape, HH, WW, stride, pad)
    N, C = x.shape[:2]
    cols = np.empty((C * HH * WW, N * H_out * W_out), dtype=x.dtype)
    im2col_into(np.ascontiguousarray(x), cols, HH, WW, stride, pad, H_out, W_out,
                get_num_threads())
    return cols


def col2im(cols, x_shape, filter_height, filter_width, stride=1, pad=0):
    """Adjoint of :func:`im2col`: sum every column entry back onto the pixel it came from.

    Parameters
    ----------
    cols : ndarray, shape (C*HH*WW, N*H_out*W_out), float32 or float64
    x_shape : tuple (N, C, H, W)
    filter_height, filter_width, stride, pad : int
        As for :func:`im2col`.

    Returns
    -------
    x : ndarray, shape (N, C, H, W), dtype of cols
        Padding taps are dropped; pixels shared by overlapping windows get the sum.
    """
    cols = _checks.float_array("cols", cols, 2)
    HH, WW, stride, pad = _window_params(filter_height, filter_width, stride, pad)
    x_shape = tuple(int(s) for s in x_shape)
    if len(x_shape) != 4:
        raise ValueError(f"x_shape must be (N, C, H, W), got {x_shape}")
    H_out, W_out = _geometry(x_shape, HH, WW, stride, pad)
    N, C = x_shape[:2]
    expected = (C * HH * WW, N * H_out * W_out)
    if cols.shape != expected:
        raise ValueError(f"cols has shape {cols.shape}, expected {expected} for x_shape {x_shape}")
    x = np.zeros(x_shape, dtype=cols.dtype)
    col2im_into(np.ascontiguousarray(cols), x, HH, WW, stride, pad, H_out, W_out,
                get_num_threads())
    return x


def validated(x, w, b, conv_param):
    """Checked inputs of a convolution: ``(x, w, b, stride, pad, H_out, W_out)``, the arrays
    C-contiguous in their common dtype (float64 if any is float64, else float32)."""
    x = _checks.float_array("x", x, 4)
    w = _checks.float_array("w", w, 4)
    b = _checks.float_array("b", b, 1)
    stride, pad = _conv_params(conv_param)
    C = x.shape[1]
    F, C_w, HH, WW = w.shape
    if C_w != C:
        raise ValueError(f"channel mismatch: x has C={C} (shape {x.shape}), "
                         f"w has {C_w} (shape {w.shape})")
    if b.shape != (F,):
        raise ValueError(f"b has shape {b.shape}, expected ({F},) for w of shape {w.shape}")
    H_out, W_out = _geometry(x.shape, HH, WW, stride, pad)
    dtype = np.result_type(x, w, b)
    x, w, b = (np.ascontiguousarray(a, dtype=dtype) for a in (x, w, b))
    return x, w, b, stride, pad, H_out, W_out


def conv_forward_fast(x, w, b, conv_param):
    """Convolution forward pass (cross-correlation, as in the naive layer).

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W), float32 or float64
    w : ndarray, shape (F, C, HH, WW)
    b : ndarray, shape (F,)
    conv_param : dict
        'stride' (int >= 1) and 'pad' (int >= 0); the windows must tile the padded input.

    Returns
    -------
    out : ndarray, shape (N, F, H_out, W_out), the inputs' common dtype
    cache : tuple
        ``(x, w, b, conv_param)`` (C-contiguous copies where needed) for
        :func:`conv_backward_fast`.
    """
    x, w, b, stride, pad, H_out, W_out = validated(x, w, b, conv_param)
    N, C = x.shape[:2]
    F, _, HH, WW = w.shape
    dtype = x.dtype
    K, P = C * HH * WW, H_out * W_out
    w_rows = w.reshape(F, K)  # (F, K)

    cache = (x, w, b, {"stride": stride, "pad": pad})
    path = avx512_path(x, w, stride)
    if path == "winograd512":
        return winograd512.forward(x, w, b, pad, H_out, W_out), cache
    if path == "direct":
        return direct.forward(x, w, b, stride, pad, H_out, W_out), cache
    if blas.FUSED and N > 0 and WINOGRAD and winograd.applies(w.shape, stride):
        with blas.single_threaded():
            return winograd.forward(x, w, b, pad, H_out, W_out), cache
    out = np.empty((N, F, P), dtype=dtype)
    if blas.FUSED and N > 0:
        threads = get_num_threads()
        cols = np.empty((threads, K * P), dtype=dtype)  # one image's columns per thread
        with blas.single_threaded():
            conv_forward_fused(x, w_rows, b, out, cols, HH, WW, stride, pad, H_out, W_out,
                               threads)
        return out.reshape(N, F, H_out, W_out), cache

    chunks, per_chunk = _chunks(N, K * P * dtype.itemsize)
    cols_buffer = np.empty(K * per_chunk * P, dtype=dtype)
    product_buffer = np.empty(F * per_chunk * P, dtype=dtype) if K >= SMALL_PATCH else None
    for start, stop in chunks:
        columns = (stop - start) * P
        cols = cols_buffer[:K * columns].reshape(K, columns)  # (K, n*P)
        im2col_into(x[start:stop], cols, HH, WW, stride, pad, H_out, W_out, get_num_threads())
        if K < SMALL_PATCH:
            # one GEMM per image, written straight into the (n, F, P) output
            out_chunk = out[start:stop]
            np.matmul(w_rows, cols.reshape(K, stop - start, P).transpose(1, 0, 2), out=out_chunk)
            np.add(out_chunk, b[:, None], out=out_chunk)
        else:
            # one large GEMM for the chunk, then (F, n, P) -> (n, F, P) adding the bias
            product = np.matmul(w_rows, cols, out=product_buffer[:F * columns].reshape(F, columns))
            np.add(product.reshape(F, stop - start, P).transpose(1, 0, 2), b[:, None],
                   out=out[start:stop])
    return out.reshape(N, F, H_out, W_out), cache


def conv_backward_fast(dout, cache):
    """Convolution backward pass.

    Parameters
    ----------
    dout : ndarray, shape (N, F, H_out, W_out), upstream gradient
    cache : tuple from :func:`conv_forward_fast`

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    dw : ndarray, shape (F, C, HH, WW)
    db : ndarray, shape (F,)
        All in the forward pass's dtype.
    """
    x, w, _, conv_param = _checks.cache_tuple("conv_forward_fast", cache, 4)
    stride, pad = _conv_params(conv_param)
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out, W_out = _geometry(x.shape, HH, WW, stride, pad)
    dout = _checks.gradient("dout", dout, (N, F, H_out, W_out), x.dtype)
    K, P = C * HH * WW, H_out * W_out
    dtype = x.dtype
    w_rows = w.reshape(F, K)  # (F, K)
    dout_rows = dout.reshape(N, F, P)  # (N, F, P)

    path = avx512_path(x, w, stride)
    if path == "winograd512":
        return winograd512.backward(x, w, dout, pad)
    if path == "direct":
        return direct.backward(x, w, dout, stride, pad)
    if blas.FUSED and N > 0 and WINOGRAD and winograd.applies(w.shape, stride):
        with blas.single_threaded():
            return winograd.backward(x, w, dout, pad)
    dx = np.zeros((N, C, H, W), dtype=dtype)
    if blas.FUSED and N > 0:
        threads = get_num_threads()
        dw_partial = np.zeros((threads, F, K), dtype=dtype)  # (threads, F, K)
        db_partial = np.zeros((threads, F), dtype=dtype)  # (threads, F)
        cols = np.empty((threads, K * P), dtype=dtype)
        dcols = np.empty((threads, K * P), dtype=dtype)
        with blas.single_threaded():
            conv_backward_fused(x, w_rows, dout_rows, dx, dw_partial, db_partial, cols, dcols,
                                HH, WW, stride, pad, H_out, W_out, threads)
        return dx, dw_partial.sum(axis=0).reshape(w.shape), db_partial.sum(axis=0)

    db = dout.sum(axis=(0, 2, 3))

    dw = np.zeros((F, K), dtype=dtype)
    dw_chunk = np.empty((F, K), dtype=dtype)
    chunks, per_chunk = _chunks(N, K * P * dtype.itemsize)
    cols_buffer = np.empty(K * per_chunk * P, dtype=dtype)
    dcols_buffer = np.empty(K * per_chunk * P, dtype=dtype)
    dout_buffer = np.empty(F * per_chunk * P, dtype=dtype)
    for start, stop in chunks:
        columns = (stop - start) * P
        dout_t = dout_buffer[:F * columns].reshape(F, stop - start, P)
        np.copyto(dout_t, dout_rows[start:stop].transpose(1, 0, 2))  # (n, F, P) -> (F, n, P)
        dout_t = dout_t.reshape(F, columns)  # (F, n*P)
        cols = cols_buffer[:K * columns].reshape(K, columns)  # (K, n*P)
        im2col_into(x[start:stop], cols, HH, WW, stride, pad, H_out, W_out, get_num_threads())
        np.matmul(dout_t, cols.T, out=dw_chunk)  # (F, n*P) @ (n*P, K)
        dw += dw_chunk
        dcols = np.matmul(w_rows.T, dout_t, out=dcols_buffer[:K * columns].reshape(K, columns))
        col2im_into(dcols, dx[start:stop], HH, WW, stride, pad, H_out, W_out,
                    get_num_threads())
    return dx, dw.reshape(w.shape), db


def backward(dout, cache, compute_dx=True):
    """:func:`conv_backward_fast`, with dx None when not compute_dx.  The direct path then
    skips dx (a network's first layer needs none); the others compute and drop it."""
    x, w, _, conv_param = _checks.cache_tuple("conv_forward_fast", cache, 4)
    stride, pad = _conv_params(conv_param)
    if not compute_dx and avx512_path(x, w, stride) == "direct":
        F, _, HH, WW = w.shape
        H_out, W_out = _geometry(x.shape, HH, WW, stride, pad)
        dout = _checks.gradient("dout", dout, (x.shape[0], F, H_out, W_out), x.dtype)
        return direct.backward(x, w, dout, stride, pad, compute_dx=False)
    dx, dw, db = conv_backward_fast(dout, cache)
    return (dx if compute_dx else None), dw, db
