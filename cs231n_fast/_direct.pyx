"""Direct float32 and float64 convolution on AVX-512: the OpenMP loops over images around
_direct.h (its _f32 kernels for float32 arrays, _f64 for float64: the fused type floating).

The validated Python layer (``cs231n_fast.direct``) plans the geometry and the weight layouts;
here each thread takes whole images and works in its own scratch:
    planes (threads, C * s*s * H_ph * W_ph)  the zero-padded input split into stride x stride
                                             phase planes (H_ph, W_ph); zeroed by the caller,
                                             and every image rewrites the same interior, so the
                                             borders stay zero
    dpad   (threads, F * H_d * W_d)          the upstream gradient, zero-padded by pd (not
                                             used where every tap reads inside dout itself)
    gT     (threads, P * F)                  the upstream gradient transposed, pixel-major
    tmp    (threads, s*s * C * H_p * W_p)    the s*s phases of dx before they are interleaved
                                             (s > 1; H_p = ceil(H / s), W_p = ceil(W / s))
Images go to threads statically in the backward pass, so the partial filter gradients are the
same from run to run.
"""

from cython cimport floating
from cython.parallel cimport parallel, prange, threadid
from libc.string cimport memcpy, memset


cdef extern from "_direct.h" nogil:
    ctypedef Py_ssize_t cs_ssz
    int cs_direct_supported()
    void cs_correlate_f32(const float* inp, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                          cs_ssz ntaps, const float* wt, cs_ssz Cin, cs_ssz Cout,
                          const float* bias, float* out, cs_ssz ocs, cs_ssz ors, cs_ssz Hout,
                          cs_ssz Wout, cs_ssz GH, cs_ssz GW)
    void cs_correlate_f64(const double* inp, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                          cs_ssz ntaps, const double* wt, cs_ssz Cin, cs_ssz Cout,
                          const double* bias, double* out, cs_ssz ocs, cs_ssz ors, cs_ssz Hout,
                          cs_ssz Wout, cs_ssz GH, cs_ssz GW)
    void cs_filter_grad_f32(const float* inp, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                            cs_ssz ntaps, cs_ssz Cin, const float* doutT, cs_ssz Cout,
                            cs_ssz Hout, cs_ssz Wout, float* dwt)
    void cs_filter_grad_f64(const double* inp, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                            cs_ssz ntaps, cs_ssz Cin, const double* doutT, cs_ssz Cout,
                            cs_ssz Hout, cs_ssz Wout, double* dwt)
    void cs_deinterleave2_f32(const float* src, cs_ssz W, float* even, float* odd)
    void cs_deinterleave2_f64(const double* src, cs_ssz W, double* even, double* odd)
    void cs_interleave2_f32(const float* even, const float* odd, cs_ssz W, float* dst)
    void cs_interleave2_f64(const double* even, const double* odd, cs_ssz W, double* dst)
    void cs_transpose_f32(const float* src, cs_ssz ls, cs_ssz rows, cs_ssz cols, float* dst,
                          cs_ssz ld)
    void cs_transpose_f64(const double* src, cs_ssz ls, cs_ssz rows, cs_ssz cols, double* dst,
                          cs_ssz ld)
    void cs_row_sums_f32(const float* g, cs_ssz rows, cs_ssz cols, float* sums)
    void cs_row_sums_f64(const double* g, cs_ssz rows, cs_ssz cols, double* sums)
    void cs_copy_rows_f32(const float* src, cs_ssz groups, cs_ssz rows, cs_ssz cols, float* dst,
                          cs_ssz ld, cs_ssz group_ld)
    void cs_copy_rows_f64(const double* src, cs_ssz groups, cs_ssz rows, cs_ssz cols,
                          double* dst, cs_ssz ld, cs_ssz group_ld)


# The kernels for either element type: each picks the _f32 or _f64 one at compile time.

cdef inline void _correlate(const floating* inp, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                            cs_ssz ntaps, const floating* wt, cs_ssz Cin, cs_ssz Cout,
                            const floating* bias, floating* out, cs_ssz ocs, cs_ssz ors,
                            cs_ssz Hout, cs_ssz Wout, cs_ssz GH, cs_ssz GW) noexcept nogil:
    if floating is float:
        cs_correlate_f32(inp, ics, irs, off, ntaps, wt, Cin, Cout, bias, out, ocs, ors, Hout,
                         Wout, GH, GW)
    else:
        cs_correlate_f64(inp, ics, irs, off, ntaps, wt, Cin, Cout, bias, out, ocs, ors, Hout,
                         Wout, GH, GW)


cdef inline void _filter_grad(const floating* inp, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                              cs_ssz ntaps, cs_ssz Cin, const floating* doutT, cs_ssz Cout,
                              cs_ssz Hout, cs_ssz Wout, floating* dwt) noexcept nogil:
    if floating is float:
        cs_filter_grad_f32(inp, ics, irs, off, ntaps, Cin, doutT, Cout, Hout, Wout, dwt)
    else:
        cs_filter_grad_f64(inp, ics, irs, off, ntaps, Cin, doutT, Cout, Hout, Wout, dwt)


cdef inline void _deinterleave2(const floating* src, cs_ssz W, floating* even,
                                floating* odd) noexcept nogil:
    if floating is float:
        cs_deinterleave2_f32(src, W, even, odd)
    else:
        cs_deinterleave2_f64(src, W, even, odd)


cdef inline void _interleave2(const floating* even, const floating* odd, cs_ssz W,
                              floating* dst) noexcept nogil:
    if floating is float:
        cs_interleave2_f32(even, odd, W, dst)
    else:
        cs_interleave2_f64(even, odd, W, dst)


cdef inline void _transpose(const floating* src, cs_ssz ls, cs_ssz rows, cs_ssz cols,
                            floating* dst, cs_ssz ld) noexcept nogil:
    if floating is float:
        cs_transpose_f32(src, ls, rows, cols, dst, ld)
    else:
        cs_transpose_f64(src, ls, rows, cols, dst, ld)


cdef inline void _row_sums(const floating* g, cs_ssz rows, cs_ssz cols,
                           floating* sums) noexcept nogil:
    if floating is float:
        cs_row_sums_f32(g, rows, cols, sums)
    else:
        cs_row_sums_f64(g, rows, cols, sums)


cdef inline void _copy_rows(const floating* src, cs_ssz groups, cs_ssz rows, cs_ssz cols,
                            floating* dst, cs_ssz ld, cs_ssz group_ld) noexcept nogil:
    if floating is float:
        cs_copy_rows_f32(src, groups, rows, cols, dst, ld, group_ld)
    else:
        cs_copy_rows_f64(src, groups, rows, cols, dst, ld, group_ld)


def supported():
    """Whether this CPU (and this build) runs the AVX-512 kernels."""
    return bool(cs_direct_supported())


cdef void _phase_planes(const floating* x, Py_ssize_t C, Py_ssize_t H, Py_ssize_t W,
                        Py_ssize_t s, Py_ssize_t pad, Py_ssize_t H_ph, Py_ssize_t W_ph,
                        floating* planes) noexcept nogil:
    """planes[c][r % s][q % s][r // s][q // s] = x[c][h][w] with r = h + pad, q = w + pad."""
    cdef Py_ssize_t plane = H_ph * W_ph, ics = s * s * plane, c, h, r, k, w0, j, base
    cdef const floating* src
    cdef floating* dst
    for c in range(C):
        for h in range(H):
            src = x + (c * H + h) * W
            r = h + pad
            base = c * ics + (r % s) * s * plane + (r // s) * W_ph
            if s == 1:
                memcpy(planes + base + pad, src, W * sizeof(floating))
                continue
            if s == 2:  # w even lands in column phase pad % 2, at (w + pad) // 2
                _deinterleave2(src, W, planes + base + (pad % 2) * plane + pad // 2,
                               planes + base + (1 - pad % 2) * plane + (pad + 1) // 2)
                continue
            for k in range(s):  # column phase k: w = w0, w0 + s, ... land at (w + pad) // s
                w0 = (k - pad % s + s) % s
                dst = planes + base + k * plane + (w0 + pad) // s
                for j in range((W - w0 + s - 1) // s):
                    dst[j] = src[w0 + s * j]


def direct_forward(const floating[:, :, :, ::1] x, const floating[:, :, ::1] wt,
                   const Py_ssize_t[::1] off, const floating[::1] b,
                   floating[:, :, :, ::1] out, floating[:, ::1] planes, Py_ssize_t s,
                   Py_ssize_t pad,
                   Py_ssize_t H_ph, Py_ssize_t W_ph, Py_ssize_t GH, Py_ssize_t GW,
                   int n_threads):
    """out (N, F, H_out, W_out) = conv(x, w) + b; wt (ceil(F / 8), C * taps, 8) is w in
    blocks of 8 filters as [c][tap], off the taps' offsets inside one channel's phase planes
    (a GH x GW grid when GH > 0: stride 1)."""
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t F = out.shape[1], H_out = out.shape[2], W_out = out.shape[3]
    cdef Py_ssize_t ntaps = off.shape[0], ics = s * s * H_ph * W_ph, n
    cdef floating* buf
    with nogil, parallel(num_threads=n_threads):
        buf = &planes[threadid(), 0]
        for n in prange(N, schedule="dynamic"):
            _phase_planes(&x[n, 0, 0, 0], C, H, W, s, pad, H_ph, W_ph, buf)
            _correlate(buf, ics, W_ph, &off[0], ntaps, &wt[0, 0, 0], C, F, &b[0],
                       &out[n, 0, 0, 0], H_out * W_out, W_out, H_out, W_out, GH, GW)


cdef void _interleave(const floating* phases, Py_ssize_t C, Py_ssize_t H_u, Py_ssize_t W_v,
                      floating* dx, Py_ssize_t H, Py_ssize_t W, Py_ssize_t s) noexcept nogil:
    """dx[c][a + s*u][b + s*v] = phase (a, b)[c][u][v] for one image; phase ph = a * s + b
    starts at phases + ph * C * H_u * W_v."""
    cdef Py_ssize_t size = C * H_u * W_v, c, y, a, b, u, v
    cdef const floating* src
    cdef floating* dst
    for c in range(C):
        for y in range(H):
            a = y % s
            u = y // s
            dst = dx + (c * H + y) * W
            src = phases + a * s * size + (c * H_u + u) * W_v
            if s == 2:
                _interleave2(src, src + size, W, dst)
                continue
            for b in range(s):
                for v in range((W - b + s - 1) // s):
                    dst[b + s * v] = src[b * size + v]


cdef void _backward_image(const floating* x, const floating* g, Py_ssize_t C, Py_ssize_t H,
                          Py_ssize_t W, Py_ssize_t F, Py_ssize_t H_out, Py_ssize_t W_out,
                          const Py_ssize_t* off, Py_ssize_t ntaps, const floating* dx_wt,
                          const Py_ssize_t* dx_off, const Py_ssize_t* tap_start,
                          const Py_ssize_t* weight_start, const Py_ssize_t* grid_h,
                          const Py_ssize_t* grid_w, floating* dx, floating* dwt, floating* db,
                          floating* xs, floating* dp, floating* gt, floating* tb, Py_ssize_t s,
                          Py_ssize_t pad, Py_ssize_t H_ph, Py_ssize_t W_ph, Py_ssize_t pd,
                          Py_ssize_t H_d, Py_ssize_t W_d, bint compute_dx,
                          bint in_place) noexcept nogil:
    """One image of direct_backward: x (C, H, W) and its upstream gradient g (F, H_out, W_out)
    add to dwt and db, and make dx (C, H, W) when compute_dx; xs, dp, gt, tb: this thread's
    scratch (see the module docstring); in_place: dx reads g itself, not dp."""
    cdef Py_ssize_t ics = s * s * H_ph * W_ph, dcs = H_d * W_d, P = H_out * W_out
    cdef Py_ssize_t H_p = (H + s - 1) // s, W_p = (W + s - 1) // s
    cdef Py_ssize_t ph, H_u, W_v, nt, first
    _phase_planes(x, C, H, W, s, pad, H_ph, W_ph, xs)
    _transpose(g, P, F, P, gt, F)
    _row_sums(g, F, P, db)
    _filter_grad(xs, ics, W_ph, off, ntaps, C, gt, F, H_out, W_out, dwt)
    if not compute_dx:
        return
    if in_place:
        dp = <floating*>g  # read only
    else:
        _copy_rows(g, F, H_out, W_out, dp + pd * W_d + pd, W_d, dcs)
    for ph in range(s * s):
        H_u = (H - ph // s + s - 1) // s
        W_v = (W - ph % s + s - 1) // s
        nt = tap_start[ph + 1] - tap_start[ph]
        first = tap_start[ph]
        if s == 1:
            _correlate(dp, dcs, W_d, dx_off + first, nt, dx_wt + weight_start[ph], F, C,
                       NULL, dx, H * W, W, H, W, grid_h[ph], grid_w[ph])
        elif H_u <= 0 or W_v <= 0:
            continue
        elif nt == 0:
            memset(tb + ph * C * H_p * W_p, 0, C * H_p * W_p * sizeof(floating))
        else:
            # phase (a, b) with the row stride of the largest phase, (H_p, W_p)
            _correlate(dp, dcs, W_d, dx_off + first, nt, dx_wt + weight_start[ph], F, C,
                       NULL, tb + ph * C * H_p * W_p, H_p * W_p, W_p, H_u, W_v,
                       grid_h[ph], grid_w[ph])
    if s > 1:
        _interleave(tb, C, H_p, W_p, dx, H, W, s)


def direct_backward(const floating[:, :, :, ::1] x, const floating[:, :, :, ::1] dout,
                    const Py_ssize_t[::1] off, const floating[::1] dx_wt,
                    const Py_ssize_t[::1] dx_off, const Py_ssize_t[::1] tap_start,
                    const Py_ssize_t[::1] weight_start, const Py_ssize_t[::1] grid_h,
                    const Py_ssize_t[::1] grid_w,
                    floating[:, :, :, ::1] dx, floating[:, :, ::1] dwt_partial,
                    floating[:, ::1] db_partial, floating[:, ::1] planes,
                    floating[:, ::1] dpad, floating[:, ::1] gT, floating[:, ::1] tmp,
                    Py_ssize_t s, Py_ssize_t pad,
                    Py_ssize_t H_ph, Py_ssize_t W_ph, Py_ssize_t pd, Py_ssize_t H_d,
                    Py_ssize_t W_d, bint compute_dx, bint in_place,
                    int n_threads):
    """dx (N, C, H, W) unless not compute_dx; per-thread partial dwt (threads, C * taps, F) and
    db (threads, F), zeroed by the caller.

    off: the forward taps' offsets (as for direct_forward).  Phase ph = a * s + b of dx (rows
    a, a + s, ...; columns b, b + s, ...) is a correlation of the padded upstream gradient with
    taps tap_start[ph] .. tap_start[ph + 1] - 1 of dx_off, and weights dx_wt[weight_start[ph]:]
    (ceil(C / 8), F * taps, 8) as [f][tap] in blocks of 8 channels; its taps lie on a
    grid_h[ph] x grid_w[ph] grid of dx_off (see cs_correlate).  in_place: the taps read dout
    itself (pd = 0, H_d = H_out, W_d = W_out; dpad unused).
    """
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t F = dout.shape[1], H_out = dout.shape[2], W_out = dout.shape[3]
    cdef Py_ssize_t ntaps = off.shape[0], n, t
    cdef floating* xs
    cdef floating* dp
    cdef floating* gt
    cdef floating* tb
    with nogil, parallel(num_threads=n_threads):
        t = threadid()
        xs = &planes[t, 0]
        dp = &dpad[t, 0]
        gt = &gT[t, 0]
        tb = &tmp[t, 0]
        for n in prange(N, schedule="static"):
            _backward_image(&x[n, 0, 0, 0], &dout[n, 0, 0, 0], C, H, W, F, H_out, W_out,
                            &off[0], ntaps, &dx_wt[0], &dx_off[0], &tap_start[0],
                            &weight_start[0], &grid_h[0], &grid_w[0],
                            &dx[n if compute_dx else 0, 0, 0, 0], &dwt_partial[t, 0, 0],
                            &db_partial[t, 0], xs, dp, gt, tb, s, pad, H_ph, W_ph, pd, H_d, W_d,
                            compute_dx, in_place)
