"""Winograd F(2x2, 3x3) and F(2x2, 5x5) on AVX-512: the OpenMP loops over images around
_winograd512.h (planned by ``cs231n_fast.winograd512``).

Per image, in each thread's own scratch (A = alpha, T = tiles_h * tiles_w tiles, T_pad = T
rounded up to 16; see _winograd512.h):
    xs    (C * 4 * plane + slack)   the zero-padded input as 2 x 2 phase planes (H_ph, pitch)
    V     (A*A, C, T_pad)           transformed input (forward); dV (backward)
    M     (A*A, F, T_pad)           U (.) V summed over channels (forward); dM (backward)
          (positions xi are C * T_pad + SKEW, F * T_pad + SKEW floats apart)
    O     (4, T_pad)                one filter's output phases before they are interleaved
    dd    (F * 4 * T + slack)       the upstream gradient as 2 x 2 phase planes (tiles_h, tiles_w)
    D     (A*A, T_pad)              one channel's input-gradient transforms (backward)
    rows  (2 * pitch + W + 2 * pad + 64)  two phase rows and one padded dx row (backward)
    xT    (rows * Wp * C + slack)   the padded input channel-last (backward)
    VT    (A*A, T_pad, C)           the transformed input tile-major (backward; + SKEW)
The channel mixing is cs_correlate over T_pad / 16 rows of 16 tiles (one tap), the filter
gradient dU[xi] += dM[xi] @ VT[xi] cs_filter_grad; no BLAS.
Images go to threads statically in the backward pass, so dU is the same from run to run.
"""

from cython.parallel cimport parallel, prange, threadid

from cs231n_fast._direct cimport _phase_planes

cdef enum:
    # floats between consecutive positions xi of V, M, dV, dM and VT: without it the A*A
    # vectors a transform reads or writes are often 4 KiB apart and share one L1 cache set
    # (measured: the 5x5 output-gradient transform 2.3x slower)
    SKEW = 16

SKEW_FLOATS = SKEW  # for the Python layer's buffer sizes


cdef extern from "_winograd512.h" nogil:
    ctypedef Py_ssize_t cs_ssz
    # the float32 kernels of _direct.h, under their type-generic names
    void cs_correlate "cs_correlate_f32"(
        const float* inp, cs_ssz ics, cs_ssz irs, const cs_ssz* off, cs_ssz ntaps,
        const float* wt, cs_ssz Cin, cs_ssz Cout, const float* bias, float* out, cs_ssz ocs,
        cs_ssz ors, cs_ssz Hout, cs_ssz Wout, cs_ssz GH, cs_ssz GW)
    void cs_interleave2 "cs_interleave2_f32"(const float* even, const float* odd, cs_ssz W,
                                             float* dst)
    void cs_transpose "cs_transpose_f32"(const float* src, cs_ssz ls, cs_ssz rows, cs_ssz cols,
                                         float* dst, cs_ssz ld)
    void cs_row_sums "cs_row_sums_f32"(const float* g, cs_ssz rows, cs_ssz cols, float* sums)
    void cs_filter_grad "cs_filter_grad_f32"(
        const float* inp, cs_ssz ics, cs_ssz irs, const cs_ssz* off, cs_ssz ntaps, cs_ssz Cin,
        const float* doutT, cs_ssz Cout, cs_ssz Hout, cs_ssz Wout, float* dwt)
    void cs_mix(const double* K, cs_ssz rows, cs_ssz cols, const float* inp, cs_ssz parts,
                cs_ssz n, float* out)
    void cs_wino_input(int A, const float* phase, cs_ssz plane, cs_ssz pitch, cs_ssz tiles_w,
                       cs_ssz T, float* V, cs_ssz xi_stride)
    void cs_wino_input_grad(int A, const float* dV, cs_ssz xi_stride, cs_ssz tiles_h,
                            cs_ssz tiles_w, cs_ssz T, cs_ssz T_pad, float* D, cs_ssz pad,
                            cs_ssz H, cs_ssz W, float* rows, float* dx)
    void cs_wino_output(int A, const float* M, cs_ssz xi_stride, cs_ssz T, float bias,
                        float* out, cs_ssz plane)
    void cs_wino_output_grad(int A, const float* dout, cs_ssz plane, cs_ssz T, float* dM,
                             cs_ssz xi_stride)
    void cs_wino_input_channels(int A, const float* xT, cs_ssz Wp, cs_ssz C, cs_ssz tiles_h,
                                cs_ssz tiles_w, float* VT, cs_ssz xi_stride)


cdef void _transform_input(const float* x, Py_ssize_t C, Py_ssize_t H, Py_ssize_t W,
                           Py_ssize_t pad, int A, Py_ssize_t H_ph, Py_ssize_t pitch,
                           Py_ssize_t tiles_w,
                           Py_ssize_t T, Py_ssize_t T_pad, Py_ssize_t sv, float* xs,
                           float* V) noexcept nogil:
    """V (A*A, C, T_pad), positions sv apart, = B^T d B of every tile of one image x."""
    cdef Py_ssize_t plane = H_ph * pitch, c
    _phase_planes(x, C, H, W, 2, pad, H_ph, pitch, xs)
    for c in range(C):
        cs_wino_input(A, xs + c * 4 * plane, plane, pitch, tiles_w, T, V + c * T_pad, sv)


def mix(const double[:, ::1] K, const float[:, :, ::1] parts, float[:, ::1] out):
    """out (rows, n) = K (rows, cols) @ parts.sum(axis=0) (cols, n), in double, rounded once."""
    if not (K.shape[0] == out.shape[0] <= 36 and K.shape[1] == parts.shape[1] <= 36
            and parts.shape[2] == out.shape[1]):
        raise ValueError(f"mix: shapes {K.shape}, {parts.shape}, {out.shape} do not chain")
    with nogil:
        cs_mix(&K[0, 0], K.shape[0], K.shape[1], &parts[0, 0, 0], parts.shape[0],
               out.shape[1], &out[0, 0])


cdef void _channels_last(const float* x, Py_ssize_t C, Py_ssize_t H, Py_ssize_t W,
                         Py_ssize_t pad, Py_ssize_t Wp, float* xT) noexcept nogil:
    """xT[((h + pad) * Wp + w + pad) * C + c] = x[c][h][w]: one (C, W) transpose per row."""
    cdef Py_ssize_t h
    for h in range(H):
        cs_transpose(x + h * W, H * W, C, W, xT + ((h + pad) * Wp + pad) * C, C)


def winograd_forward(const float[:, :, :, ::1] x, const float[:, :, :, ::1] Ub,
                     const float[::1] b, float[:, :, :, ::1] out, float[:, ::1] xs,
                     float[:, ::1] V, float[:, ::1] M, float[:, ::1] O, int A, Py_ssize_t pad,
                     Py_ssize_t H_ph, Py_ssize_t pitch, Py_ssize_t T, Py_ssize_t T_pad,
                     int n_threads):
    """out (N, F, H_out, W_out) = conv(x, w) + b; Ub (A*A, ceil(F / 8), C, 8) is U = G w G^T
    in cs_correlate's weight layout."""
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t F = out.shape[1], H_out = out.shape[2], W_out = out.shape[3]
    cdef Py_ssize_t sv = C * T_pad + SKEW, sm = F * T_pad + SKEW, n, f, xi, y, i, th
    cdef Py_ssize_t tiles_w = (W_out + 1) // 2
    cdef cs_ssz zero = 0
    cdef float* xb
    cdef float* v
    cdef float* m
    cdef float* o
    with nogil, parallel(num_threads=n_threads):
        th = threadid()
        xb = &xs[th, 0]
        v = &V[th, 0]
        m = &M[th, 0]
        o = &O[th, 0]
        for n in prange(N, schedule="dynamic"):
            _transform_input(&x[n, 0, 0, 0], C, H, W, pad, A, H_ph, pitch, tiles_w, T, T_pad,
                             sv, xb, v)
            for xi in range(A * A):
                cs_correlate(v + xi * sv, T_pad, 16, &zero, 1, &Ub[xi, 0, 0, 0], C, F,
                             NULL, m + xi * sm, T_pad, 16, T_pad // 16, 16, 0, 0)
            for f in range(F):
                cs_wino_output(A, m + f * T_pad, sm, T, b[f], o, T_pad)
                for y in range(H_out):
                    i = y % 2
                    cs_interleave2(o + 2 * i * T_pad + (y // 2) * tiles_w,
                                   o + (2 * i + 1) * T_pad + (y // 2) * tiles_w, W_out,
                                   &out[n, f, y, 0])


def winograd_backward(const float[:, :, :, ::1] x, const float[:, :, :, ::1] dout,
                      const float[:, :, :, ::1] UTb, float[:, :, :, ::1] dx,
                      float[:, :, :, ::1] dU_partial, float[:, ::1] db_partial,
                      float[:, ::1] xT, float[:, ::1] VT, float[:, ::1] dV, float[:, ::1] dM,
                      float[:, ::1] dd, float[:, ::1] dxp, float[:, ::1] row, int A,
                      Py_ssize_t pad, Py_ssize_t H_ph, Py_ssize_t pitch, Py_ssize_t T,
                      Py_ssize_t T_pad, Py_ssize_t Wp, bint compute_dU,
                      int n_threads):
    """dx (N, C, H, W); per-thread partial dU (threads, A*A, F, C) (unless not compute_dU)
    and db (threads, F), zeroed by the caller; UTb (A*A, ceil(C / 8), F, 8) is U^T in
    cs_correlate's weight layout.

    xT (threads, rows * Wp * C + slack) holds the padded input channel-last (zeroed by the
    caller; every image rewrites the same interior), VT (threads, A*A * T_pad * C) the
    transformed input tile-major (zeroed: the rows past T stay zero).  H_ph and pitch describe
    the forward pass's phase planes (not used here).
    """
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t F = dout.shape[1], H_out = dout.shape[2], W_out = dout.shape[3]
    cdef Py_ssize_t tiles_w = (W_out + 1) // 2, tiles_h = T // tiles_w
    cdef Py_ssize_t sv = C * T_pad + SKEW, sm = F * T_pad + SKEW, svt = T_pad * C + SKEW
    cdef Py_ssize_t n, f, c, xi, y, r, th
    cdef cs_ssz zero = 0
    cdef float* xb
    cdef float* vt
    cdef float* dv
    cdef float* dm
    cdef float* g
    cdef float* dp
    cdef float* rw
    with nogil, parallel(num_threads=n_threads):
        th = threadid()
        xb = &xT[th, 0]
        vt = &VT[th, 0]
        dv = &dV[th, 0]
        dm = &dM[th, 0]
        g = &dd[th, 0]
        dp = &dxp[th, 0]
        rw = &row[th, 0]
        for n in prange(N, schedule="static"):
            if compute_dU:
                _channels_last(&x[n, 0, 0, 0], C, H, W, pad, Wp, xb)
                cs_wino_input_channels(A, xb, Wp, C, tiles_h, tiles_w, vt, svt)
            _phase_planes(&dout[n, 0, 0, 0], F, H_out, W_out, 2, 0, tiles_h, tiles_w, g)
            cs_row_sums(&dout[n, 0, 0, 0], F, H_out * W_out, &db_partial[th, 0])
            for f in range(F):
                cs_wino_output_grad(A, g + f * 4 * T, T, T, dm + f * T_pad, sm)
            for xi in range(A * A):
                if compute_dU:  # dU[xi] (F, C) += dM[xi] (F, T_pad) @ VT[xi] (T_pad, C)
                    cs_filter_grad(dm + xi * sm, T_pad, 16, &zero, 1, F, vt + xi * svt, C,
                                   T_pad // 16, 16, &dU_partial[th, xi, 0, 0])
                # dV[xi] (C, T_pad) = U[xi].T (C, F) @ dM[xi] (F, T_pad)
                cs_correlate(dm + xi * sm, T_pad, 16, &zero, 1, &UTb[xi, 0, 0, 0], F, C,
                             NULL, dv + xi * sv, T_pad, 16, T_pad // 16, 16, 0, 0)
            for c in range(C):
                cs_wino_input_grad(A, dv + c * T_pad, sv, tiles_h, tiles_w, T, T_pad, dp, pad,
                                   H, W, rw, &dx[n, c, 0, 0])
