"""Convolution, ReLU and max pooling fused: the convnet's sandwich layer, image by image.

Shapes (the validated Python layer in ``cs231n_fast.sandwich`` calls these):
    x        (N, C, H, W)     input, C-contiguous
    w_rows   (F, K)           filters, K = C * HH * WW
    out      (N, F, Q)        pooled ReLU of the convolution, Q = H_pool * W_pool
    argmax   (N, F, Q)        int32 index p < P = H_out * W_out of each window's maximum in
                              its convolution plane, or -1 where that maximum is not positive
                              (the ReLU zeroed it: no gradient flows back)
One image's convolution output (F, P) lives only in its thread's buffer ``conv[threadid()]``
(cache-sized), so the (N, F, H_out, W_out) activation, its ReLU and their gradients are never
written to memory.  Each image is computed exactly as ``conv_forward_fused`` and the pooling
kernels compute it, so the results equal the unfused im2col chain bit for bit (3x3 stride-1
convolutions alone go through Winograd in ``conv_forward_fast``; not fused here).
"""

from cython.parallel cimport parallel, prange, threadid

from cython cimport floating

from cs231n_fast._conv cimport NO_TRANS, TRANS, _col2im_plane, _gemm, _im2col_plane
from cs231n_fast._pool cimport _pool_plane, _pool_plane_2x2


cdef void _relu_pool_plane(const floating* a, Py_ssize_t W_out, floating* out, int* argmax,
                           Py_ssize_t H_pool, Py_ssize_t W_pool, Py_ssize_t pool_height,
                           Py_ssize_t pool_width, Py_ssize_t pool_stride) noexcept nogil:
    """Max pooling of relu(a) for one plane a (H_out, W_out): pool first, then the ReLU on
    the maxima (max commutes with it), marking the windows the ReLU zeroed with -1."""
    cdef Py_ssize_t q
    if pool_height == 2 and pool_width == 2 and pool_stride == 2:
        _pool_plane_2x2(a, W_out, out, argmax, H_pool, W_pool)
    else:
        _pool_plane(a, W_out, out, argmax, H_pool, W_pool, pool_height, pool_width, pool_stride)
    for q in range(H_pool * W_pool):
        if not out[q] > 0:
            argmax[q] = -1
            if out[q] == out[q]:  # a NaN maximum stays NaN, as np.maximum(NaN, 0) does
                out[q] = 0


def conv_relu_pool_forward_fused(const floating[:, :, :, ::1] x, const floating[:, ::1] w_rows,
                                 const floating[::1] b, floating[:, :, ::1] out,
                                 int[:, :, ::1] argmax, floating[:, ::1] cols,
                                 floating[:, ::1] conv, Py_ssize_t HH, Py_ssize_t WW,
                                 Py_ssize_t stride, Py_ssize_t pad, Py_ssize_t H_out,
                                 Py_ssize_t W_out, Py_ssize_t pool_height, Py_ssize_t pool_width,
                                 Py_ssize_t pool_stride,
                                 int n_threads):
    """out, argmax (N, F, Q) from x; cols (threads, K*P) and conv (threads, F*P) are scratch.

    BLAS must be bound and held single-threaded by the caller (see ``conv_forward_fused``).
    """
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t F = w_rows.shape[0], K = w_rows.shape[1], P = H_out * W_out
    cdef Py_ssize_t H_pool = (H_out - pool_height) // pool_stride + 1
    cdef Py_ssize_t W_pool = (W_out - pool_width) // pool_stride + 1
    cdef Py_ssize_t taps = HH * WW, n, c, f, p
    cdef floating* buf
    cdef floating* plane
    with nogil, parallel(num_threads=n_threads):
        buf = &cols[threadid(), 0]
        plane = &conv[threadid(), 0]
        for n in prange(N, schedule="dynamic"):
            for c in range(C):
                _im2col_plane(&x[n, c, 0, 0], H, W, buf + c * taps * P, P,
                              HH, WW, stride, pad, H_out, W_out)
            for f in range(F):
                for p in range(P):
                    plane[f * P + p] = b[f]
            _gemm(NO_TRANS, NO_TRANS, F, P, K, &w_rows[0, 0], K, buf, P, 1, plane, P)
            for f in range(F):
                _relu_pool_plane(plane + f * P, W_out, &out[n, f, 0], &argmax[n, f, 0],
                                 H_pool, W_pool, pool_height, pool_width, pool_stride)


def conv_relu_pool_backward_fused(const floating[:, :, :, ::1] x, const floating[:, ::1] w_rows,
                                  const floating[:, :, ::1] dout, const int[:, :, ::1] argmax,
                                  floating[:, :, :, ::1] dx, floating[:, :, ::1] dw_partial,
                                  floating[:, ::1] db_partial, floating[:, ::1] cols,
                                  floating[:, ::1] dconv, floating[:, ::1] dcols,
                                  bint compute_dx, Py_ssize_t HH, Py_ssize_t WW,
                                  Py_ssize_t stride, Py_ssize_t pad, Py_ssize_t H_out,
                                  Py_ssize_t W_out,
                                  int n_threads):
    """Gradients from dout (N, F, Q): per-thread partial dw (threads, F, K) and db
    (threads, F), zeroed, and (when compute_dx) a zeroed dx (N, C, H, W).

    cols, dcols (threads, K*P) and dconv (threads, F*P) are scratch; dx and dcols are not
    touched when compute_dx is false (the first layer of a network needs no dx).  Images go
    to threads statically, so the partials are the same from run to run.
    """
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t F = w_rows.shape[0], K = w_rows.shape[1], P = H_out * W_out
    cdef Py_ssize_t Q = dout.shape[2], taps = HH * WW, n, c, t, f, p, q, at
    cdef floating total
    cdef floating* buf
    cdef floating* dplane
    cdef floating* dbuf
    with nogil, parallel(num_threads=n_threads):
        t = threadid()
        buf = &cols[t, 0]
        dplane = &dconv[t, 0]
        dbuf = &dcols[t, 0]
        for n in prange(N, schedule="static"):
            # the gradient of the convolution output: dout routed to each window's maximum
            for p in range(F * P):
                dplane[p] = 0
            for f in range(F):
                for q in range(Q):
                    at = argmax[n, f, q]
                    if at >= 0:
                        dplane[f * P + at] += dout[n, f, q]
            for f in range(F):
                total = 0
                for p in range(P):
                    total = total + dplane[f * P + p]
                db_partial[t, f] += total
            for c in range(C):
                _im2col_plane(&x[n, c, 0, 0], H, W, buf + c * taps * P, P,
                              HH, WW, stride, pad, H_out, W_out)
            # dw (F, K) += dconv (F, P) @ cols.T (P, K)
            _gemm(NO_TRANS, TRANS, F, K, P, dplane, P, buf, P, 1, &dw_partial[t, 0, 0], K)
            if compute_dx:
                # dcols (K, P) = w_rows.T (K, F) @ dconv (F, P)
                _gemm(TRANS, NO_TRANS, K, P, F, &w_rows[0, 0], K, dplane, P, 0, dbuf, P)
                for c in range(C):
                    _col2im_plane(dbuf + c * taps * P, P, &dx[n, c, 0, 0], H, W,
                                  HH, WW, stride, pad, H_out, W_out)
