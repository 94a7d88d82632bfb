"""Convolution kernels: im2col / col2im, and convolution fused with a per-image BLAS GEMM.

Shapes (the validated Python layer in ``cs231n_fast.conv`` calls these):
    x     (N, C, H, W)                       image batch, C-contiguous
    cols  (C * HH * WW, N * H_out * W_out)   one column per output pixel;
                                             row index (c, i, j), column index (n, ho, wo)

Two ways to use them:
* ``conv_forward_fused`` / ``conv_backward_fused`` (the default): one OpenMP loop over images;
  each thread builds one image's columns (K x P, cache-sized) in its own buffer and hands them
  straight to GEMM.  Every image's output, dx plane, and partial dw belong to one thread.
* ``im2col_into`` / ``col2im_into`` on a chunk of images, for the NumPy-matmul fallback and the
  public ``im2col`` / ``col2im``.  Work is split over (image, channel) pairs, so threads never
  write the same memory.
Padding is never materialised: out-of-image taps are written as zeros (im2col) or skipped
(col2im).
"""

from cython.parallel cimport parallel, prange, threadid
from libc.stdint cimport int64_t

# floating (float or double) and the plane and GEMM helpers are declared in _conv.pxd, so the
# fused sandwich kernels (_sandwich.pyx) can build and multiply columns the same way.

# CBLAS with 64-bit integers, as NumPy's bundled OpenBLAS exports it; bound at import time by
# cs231n_fast.blas (NULL when unavailable: the Python layer then uses NumPy's matmul instead).
ctypedef void (*dgemm_t)(int, int, int, int64_t, int64_t, int64_t, double, const double*,
                         int64_t, const double*, int64_t, double, double*, int64_t) noexcept nogil
ctypedef void (*sgemm_t)(int, int, int, int64_t, int64_t, int64_t, float, const float*,
                         int64_t, const float*, int64_t, float, float*, int64_t) noexcept nogil

cdef dgemm_t _dgemm = NULL
cdef sgemm_t _sgemm = NULL


cdef inline Py_ssize_t _first_inside(Py_ssize_t offset, Py_ssize_t stride) noexcept nogil:
    """Smallest o >= 0 with o * stride + offset >= 0 (offset = tap - pad)."""
    if offset >= 0:
        return 0
    return (-offset + stride - 1) // stride


cdef inline Py_ssize_t _end_inside(Py_ssize_t offset, Py_ssize_t stride, Py_ssize_t size,
                                   Py_ssize_t n_out) noexcept nogil:
    """One past the largest o < n_out with o * stride + offset < size."""
    cdef Py_ssize_t last = size - 1 - offset
    cdef Py_ssize_t end
    if last < 0:
        return 0
    end = last // stride + 1
    return end if end < n_out else n_out


cdef void _im2col_plane(const floating* x, Py_ssize_t H, Py_ssize_t W,
                        floating* cols, Py_ssize_t ld,
                        Py_ssize_t HH, Py_ssize_t WW, Py_ssize_t stride, Py_ssize_t pad,
                        Py_ssize_t H_out, Py_ssize_t W_out) noexcept nogil:
    """Columns of one image plane x (H, W): HH*WW rows of H_out*W_out, ``ld`` apart."""
    cdef Py_ssize_t i, j, ho, wo, w0, wo_lo, wo_hi, ho_lo, ho_hi
    cdef floating* row
    cdef const floating* src
    for i in range(HH):
        ho_lo = _first_inside(i - pad, stride)
        ho_hi = _end_inside(i - pad, stride, H, H_out)
        for j in range(WW):
            row = cols + (i * WW + j) * ld
            wo_lo = _first_inside(j - pad, stride)
            wo_hi = _end_inside(j - pad, stride, W, W_out)
            if wo_lo > W_out:
                wo_lo = W_out
            if wo_hi < wo_lo:
                wo_hi = wo_lo
            w0 = j - pad
            for ho in range(H_out):
                if ho < ho_lo or ho >= ho_hi:
                    for wo in range(W_out):
                        row[wo] = 0
                else:
                    src = x + (ho * stride - pad + i) * W + w0
                    for wo in range(wo_lo):
                        row[wo] = 0
                    if stride == 1:
                        for wo in range(wo_lo, wo_hi):
                            row[wo] = src[wo]
                    else:
                        for wo in range(wo_lo, wo_hi):
                            row[wo] = src[wo * stride]
                    for wo in range(wo_hi, W_out):
                        row[wo] = 0
                row += W_out


cdef void _col2im_plane(const floating* cols, Py_ssize_t ld, floating* dx,
                        Py_ssize_t H, Py_ssize_t W,
                        Py_ssize_t HH, Py_ssize_t WW, Py_ssize_t stride, Py_ssize_t pad,
                        Py_ssize_t H_out, Py_ssize_t W_out) noexcept nogil:
    """Adjoint of _im2col_plane: dx (H, W) += every tap of the HH*WW rows, ``ld`` apart."""
    cdef Py_ssize_t i, j, ho, wo, w0, wo_lo, wo_hi, ho_lo, ho_hi
    cdef const floating* row
    cdef floating* dst
    for i in range(HH):
        ho_lo = _first_inside(i - pad, stride)
        ho_hi = _end_inside(i - pad, stride, H, H_out)
        for j in range(WW):
            wo_lo = _first_inside(j - pad, stride)
            wo_hi = _end_inside(j - pad, stride, W, W_out)
            w0 = j - pad
            for ho in range(ho_lo, ho_hi):
                row = cols + (i * WW + j) * ld + ho * W_out
                dst = dx + (ho * stride - pad + i) * W + w0
                if stride == 1:
                    for wo in range(wo_lo, wo_hi):
                        dst[wo] += row[wo]
                else:
                    for wo in range(wo_lo, wo_hi):
                        dst[wo * stride] += row[wo]


def im2col_into(const floating[:, :, :, ::1] x, floating[:, ::1] cols,
                Py_ssize_t HH, Py_ssize_t WW, Py_ssize_t stride, Py_ssize_t pad,
                Py_ssize_t H_out, Py_ssize_t W_out,
                int n_threads):
    """Fill cols (C*HH*WW, N*H_out*W_out) from x (N, C, H, W)."""
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t P = H_out * W_out, ld = cols.shape[1], taps = HH * WW, item, n, c
    if N * C == 0 or P == 0:
        return
    for item in prange(N * C, nogil=True, schedule="dynamic", num_threads=n_threads):
        n = item // C
        c = item % C
        _im2col_plane(&x[n, c, 0, 0], H, W, &cols[c * taps, n * P], ld,
                      HH, WW, stride, pad, H_out, W_out)


def col2im_into(const floating[:, ::1] cols, floating[:, :, :, ::1] dx,
                Py_ssize_t HH, Py_ssize_t WW, Py_ssize_t stride, Py_ssize_t pad,
                Py_ssize_t H_out, Py_ssize_t W_out,
                int n_threads):
    """Accumulate cols (C*HH*WW, N*H_out*W_out) into a zeroed dx (N, C, H, W)."""
    cdef Py_ssize_t N = dx.shape[0], C = dx.shape[1], H = dx.shape[2], W = dx.shape[3]
    cdef Py_ssize_t P = H_out * W_out, ld = cols.shape[1], taps = HH * WW, item, n, c
    if N * C == 0 or P == 0:
        return
    for item in prange(N * C, nogil=True, schedule="dynamic", num_threads=n_threads):
        n = item // C
        c = item % C
        _col2im_plane(&cols[c * taps, n * P], ld, &dx[n, c, 0, 0], H, W,
                      HH, WW, stride, pad, H_out, W_out)


def bind_blas(size_t dgemm, size_t sgemm):
    """Install CBLAS dgemm and sgemm (64-bit integers) by address; 0 unbinds."""
    global _dgemm, _sgemm
    _dgemm = <dgemm_t>dgemm
    _sgemm = <sgemm_t>sgemm


def blas_bound():
    return _dgemm != NULL and _sgemm != NULL


cdef void _gemm(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                       const floating* a, int64_t lda, const floating* b, int64_t ldb,
                       floating beta, floating* c, int64_t ldc) noexcept nogil:
    """Row-major C = op(A) @ op(B) + beta * C on the calling thread."""
    if floating is double:
        _dgemm(ROW_MAJOR, trans_a, trans_b, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc)
    else:
        _sgemm(ROW_MAJOR, trans_a, trans_b, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc)


def conv_forward_fused(const floating[:, :, :, ::1] x, const floating[:, ::1] w_rows,
                       const floating[::1] b, floating[:, :, ::1] out, floating[:, ::1] cols,
                       Py_ssize_t HH, Py_ssize_t WW, Py_ssize_t stride, Py_ssize_t pad,
                       Py_ssize_t H_out, Py_ssize_t W_out,
                       int n_threads):
    """out (N, F, P) = w_rows (F, K) @ im2col(x[n]) + b, image by image.

    Each thread builds one image's columns in its own cols[threadid()] (K*P, cache-sized)
    and multiplies them at once with GEMM; the caller keeps BLAS single-threaded meanwhile
    (cs231n_fast.blas.single_threaded), so one thread pool does all the work.
    """
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t F = w_rows.shape[0], K = w_rows.shape[1], P = H_out * W_out
    cdef Py_ssize_t taps = HH * WW, n, c, f, p
    cdef floating* buf
    if N == 0 or not blas_bound():
        raise RuntimeError("conv_forward_fused needs bind_blas() first and a non-empty batch")
    with nogil, parallel(num_threads=n_threads):
        buf = &cols[threadid(), 0]
        for n in prange(N, schedule="dynamic"):
            for c in range(C):
                _im2col_plane(&x[n, c, 0, 0], H, W, buf + c * taps * P, P,
                              HH, WW, stride, pad, H_out, W_out)
            for f in range(F):
                for p in range(P):
                    out[n, f, p] = b[f]
            _gemm(NO_TRANS, NO_TRANS, F, P, K, &w_rows[0, 0], K, buf, P, 1, &out[n, 0, 0], P)


def conv_backward_fused(const floating[:, :, :, ::1] x, const floating[:, ::1] w_rows,
                        const floating[:, :, ::1] dout, floating[:, :, :, ::1] dx,
                        floating[:, :, ::1] dw_partial, floating[:, ::1] db_partial,
                        floating[:, ::1] cols,
                        floating[:, ::1] dcols, Py_ssize_t HH, Py_ssize_t WW,
                        Py_ssize_t stride, Py_ssize_t pad, Py_ssize_t H_out, Py_ssize_t W_out,
                        int n_threads):
    """dx (zeroed, N, C, H, W) and per-thread partial dw (threads, F, K) and db (threads, F),
    both zeroed, image by image.

    The columns are rebuilt rather than cached: from cache they cost less than re-reading
    a batch-sized matrix from memory.  dw_partial[t] += dout[n] @ cols.T on thread t, so
    no two threads add into the same dw; the caller sums the partials.
    """
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t F = w_rows.shape[0], K = w_rows.shape[1], P = H_out * W_out
    cdef Py_ssize_t taps = HH * WW, n, c, t, f, p
    cdef floating total
    cdef floating* buf
    cdef floating* dbuf
    if N == 0 or not blas_bound():
        raise RuntimeError("conv_backward_fused needs bind_blas() first and a non-empty batch")
    with nogil, parallel(num_threads=n_threads):
        t = threadid()
        buf = &cols[t, 0]
        dbuf = &dcols[t, 0]
        # static: thread t always sums the same block of images into its partials, so dw and
        # db are the same from run to run (dynamic made them differ in the last bit).
        for n in prange(N, schedule="static"):
            for c in range(C):
                _im2col_plane(&x[n, c, 0, 0], H, W, buf + c * taps * P, P,
                              HH, WW, stride, pad, H_out, W_out)
            for f in range(F):
                total = 0
                for p in range(P):
                    total = total + dout[n, f, p]
                db_partial[t, f] += total
            # dw (F, K) += dout[n] (F, P) @ cols.T (P, K)
            _gemm(NO_TRANS, TRANS, F, K, P, &dout[n, 0, 0], P, buf, P, 1,
                  &dw_partial[t, 0, 0], K)
            # dcols (K, P) = w_rows.T (K, F) @ dout[n] (F, P)
            _gemm(TRANS, NO_TRANS, K, P, F, &w_rows[0, 0], K, &dout[n, 0, 0], P, 0, dbuf, P)
            for c in range(C):
                _col2im_plane(dbuf + c * taps * P, P, &dx[n, c, 0, 0], H, W,
                              HH, WW, stride, pad, H_out, W_out)
