"""Direct float32 convolution on AVX-512: the OpenMP loops over images around _direct.h.

The validated Python layer (``cs231n_fast.direct``) plans the geometry and the weight layouts;
here each thread takes whole images and works in its own scratch:
    planes (threads, C * s*s * H_ph * W_ph)  the zero-padded input split into stride x stride
                                             phase planes (H_ph, W_ph); zeroed by the caller,
                                             and every image rewrites the same interior, so the
                                             borders stay zero
    dpad   (threads, F * H_d * W_d)          the upstream gradient, zero-padded by pd
    gT     (threads, P * F)                  the upstream gradient transposed, pixel-major
    tmp    (threads, s*s * C * H_p * W_p)    the s*s phases of dx before they are interleaved
                                             (s > 1; H_p = ceil(H / s), W_p = ceil(W / s))
Images go to threads statically in the backward pass, so the partial filter gradients are the
same from run to run.
"""

from cython.parallel cimport parallel, prange, threadid
from libc.string cimport memcpy, memset


cdef extern from "_direct.h" nogil:
    ctypedef Py_ssize_t cs_ssz
    int cs_direct_supported()
    void cs_correlate(const float* inp, cs_ssz ics, cs_ssz irs, const cs_ssz* off, cs_ssz ntaps,
                      const float* wt, cs_ssz Cin, cs_ssz Cout, const float* bias, float* out,
                      cs_ssz ocs, cs_ssz ors, cs_ssz Hout, cs_ssz Wout, cs_ssz GH, cs_ssz GW)
    void cs_filter_grad(const float* inp, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                        cs_ssz ntaps, cs_ssz Cin, const float* doutT, cs_ssz Cout,
                        cs_ssz Hout, cs_ssz Wout, float* dwt)
    void cs_deinterleave2(const float* src, cs_ssz W, float* even, float* odd)
    void cs_interleave2(const float* even, const float* odd, cs_ssz W, float* dst)
    void cs_transpose(const float* src, cs_ssz ls, cs_ssz rows, cs_ssz cols, float* dst,
                      cs_ssz ld)
    void cs_row_sums(const float* g, cs_ssz rows, cs_ssz cols, float* sums)
    void cs_copy_rows(const float* src, cs_ssz groups, cs_ssz rows, cs_ssz cols, float* dst,
                      cs_ssz ld, cs_ssz group_ld)


def supported():
    """Whether this CPU (and this build) runs the AVX-512 kernels."""
    return bool(cs_direct_supported())


cdef void _phase_planes(const float* x, Py_ssize_t C, Py_ssize_t H, Py_ssize_t W,
                        Py_ssize_t s, Py_ssize_t pad, Py_ssize_t H_ph, Py_ssize_t W_ph,
                        float* planes) noexcept nogil:
    """planes[c][r % s][q % s][r // s][q // s] = x[c][h][w] with r = h + pad, q = w + pad."""
    cdef Py_ssize_t plane = H_ph * W_ph, ics = s * s * plane, c, h, r, k, w0, j, base
    cdef const float* src
    cdef float* dst
    for c in range(C):
        for h in range(H):
            src = x + (c * H + h) * W
            r = h + pad
            base = c * ics + (r % s) * s * plane + (r // s) * W_ph
            if s == 1:
                memcpy(planes + base + pad, src, W * sizeof(float))
                continue
            if s == 2:  # w even lands in column phase pad % 2, at (w + pad) // 2
                cs_deinterleave2(src, W, planes + base + (pad % 2) * plane + pad // 2,
                                 planes + base + (1 - pad % 2) * plane + (pad + 1) // 2)
                continue
            for k in range(s):  # column phase k: w = w0, w0 + s, ... land at (w + pad) // s
                w0 = (k - pad % s + s) % s
                dst = planes + base + k * plane + (w0 + pad) // s
                for j in range((W - w0 + s - 1) // s):
                    dst[j] = src[w0 + s * j]


def direct_forward(const float[:, :, :, ::1] x, const float[:, :, ::1] wt,
                   const Py_ssize_t[::1] off, const float[::1] b, float[:, :, :, ::1] out,
                   float[:, ::1] planes, Py_ssize_t s, Py_ssize_t pad,
                   Py_ssize_t H_ph, Py_ssize_t W_ph, Py_ssize_t GH, Py_ssize_t GW,
                   int n_threads):
    """out (N, F, H_out, W_out) = conv(x, w) + b; wt (ceil(F / 8), C * taps, 8) is w in
    blocks of 8 filters as [c][tap], off the taps' offsets inside one channel's phase planes
    (a GH x GW grid when GH > 0: stride 1)."""
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t F = out.shape[1], H_out = out.shape[2], W_out = out.shape[3]
    cdef Py_ssize_t ntaps = off.shape[0], ics = s * s * H_ph * W_ph, n
    cdef float* buf
    with nogil, parallel(num_threads=n_threads):
        buf = &planes[threadid(), 0]
        for n in prange(N, schedule="dynamic"):
            _phase_planes(&x[n, 0, 0, 0], C, H, W, s, pad, H_ph, W_ph, buf)
            cs_correlate(buf, ics, W_ph, &off[0], ntaps, &wt[0, 0, 0], C, F, &b[0],
                         &out[n, 0, 0, 0], H_out * W_out, W_out, H_out, W_out, GH, GW)


cdef void _interleave(const float* phases, Py_ssize_t C, Py_ssize_t H_u, Py_ssize_t W_v,
                      float* dx, Py_ssize_t H, Py_ssize_t W, Py_ssize_t s) noexcept nogil:
    """dx[c][a + s*u][b + s*v] = phase (a, b)[c][u][v] for one image; phase ph = a * s + b
    starts at phases + ph * C * H_u * W_v."""
    cdef Py_ssize_t size = C * H_u * W_v, c, y, a, b, u, v
    cdef const float* src
    cdef float* dst
    for c in range(C):
        for y in range(H):
            a = y % s
            u = y // s
            dst = dx + (c * H + y) * W
            src = phases + a * s * size + (c * H_u + u) * W_v
            if s == 2:
                cs_interleave2(src, src + size, W, dst)
                continue
            for b in range(s):
                for v in range((W - b + s - 1) // s):
                    dst[b + s * v] = src[b * size + v]


cdef void _backward_image(const float* x, const float* g, Py_ssize_t C, Py_ssize_t H,
                          Py_ssize_t W, Py_ssize_t F, Py_ssize_t H_out, Py_ssize_t W_out,
                          const Py_ssize_t* off, Py_ssize_t ntaps, const float* dx_wt,
                          const Py_ssize_t* dx_off, const Py_ssize_t* tap_start,
                          const Py_ssize_t* weight_start, const Py_ssize_t* grid_h,
                          const Py_ssize_t* grid_w, float* dx, float* dwt, float* db,
                          float* xs, float* dp, float* gt, float* tb, Py_ssize_t s,
                          Py_ssize_t pad, Py_ssize_t H_ph, Py_ssize_t W_ph, Py_ssize_t pd,
                          Py_ssize_t H_d, Py_ssize_t W_d, bint compute_dx) noexcept nogil:
    """One image of direct_backward: x (C, H, W) and its upstream gradient g (F, H_out, W_out)
    add to dwt and db, and make dx (C, H, W) when compute_dx; xs, dp, gt, tb: this thread's
    scratch (see the module docstring)."""
    cdef Py_ssize_t ics = s * s * H_ph * W_ph, dcs = H_d * W_d, P = H_out * W_out
    cdef Py_ssize_t H_p = (H + s - 1) // s, W_p = (W + s - 1) // s
    cdef Py_ssize_t ph, H_u, W_v, nt, first
    _phase_planes(x, C, H, W, s, pad, H_ph, W_ph, xs)
    cs_transpose(g, P, F, P, gt, F)
    cs_row_sums(g, F, P, db)
    cs_filter_grad(xs, ics, W_ph, off, ntaps, C, gt, F, H_out, W_out, dwt)
    if not compute_dx:
        return
    cs_copy_rows(g, F, H_out, W_out, dp + pd * W_d + pd, W_d, dcs)
    for ph in range(s * s):
        H_u = (H - ph // s + s - 1) // s
        W_v = (W - ph % s + s - 1) // s
        nt = tap_start[ph + 1] - tap_start[ph]
        first = tap_start[ph]
        if s == 1:
            cs_correlate(dp, dcs, W_d, dx_off + first, nt, dx_wt + weight_start[ph], F, C,
                         NULL, dx, H * W, W, H, W, grid_h[ph], grid_w[ph])
        elif H_u <= 0 or W_v <= 0:
            continue
        elif nt == 0:
            memset(tb + ph * C * H_p * W_p, 0, C * H_p * W_p * sizeof(float))
        else:
            # phase (a, b) with the row stride of the largest phase, (H_p, W_p)
            cs_correlate(dp, dcs, W_d, dx_off + first, nt, dx_wt + weight_start[ph], F, C,
                         NULL, tb + ph * C * H_p * W_p, H_p * W_p, W_p, H_u, W_v,
                         grid_h[ph], grid_w[ph])
    if s > 1:
        _interleave(tb, C, H_p, W_p, dx, H, W, s)


def direct_backward(const float[:, :, :, ::1] x, const float[:, :, :, ::1] dout,
                    const Py_ssize_t[::1] off, const float[::1] dx_wt,
                    const Py_ssize_t[::1] dx_off, const Py_ssize_t[::1] tap_start,
                    const Py_ssize_t[::1] weight_start, const Py_ssize_t[::1] grid_h,
                    const Py_ssize_t[::1] grid_w,
                    float[:, :, :, ::1] dx, float[:, :, ::1] dwt_partial,
                    float[:, ::1] db_partial, float[:, ::1] planes, float[:, ::1] dpad,
                    float[:, ::1] gT, float[:, ::1] tmp, Py_ssize_t s, Py_ssize_t pad,
                    Py_ssize_t H_ph, Py_ssize_t W_ph, Py_ssize_t pd, Py_ssize_t H_d,
                    Py_ssize_t W_d, bint compute_dx,
                    int n_threads):
    """dx (N, C, H, W) unless not compute_dx; per-thread partial dwt (threads, C * taps, F) and
    db (threads, F), zeroed by the caller.

    off: the forward taps' offsets (as for direct_forward).  Phase ph = a * s + b of dx (rows
    a, a + s, ...; columns b, b + s, ...) is a correlation of the padded upstream gradient with
    taps tap_start[ph] .. tap_start[ph + 1] - 1 of dx_off, and weights dx_wt[weight_start[ph]:]
    (ceil(C / 8), F * taps, 8) as [f][tap] in blocks of 8 channels; its taps lie on a
    grid_h[ph] x grid_w[ph] grid of dx_off (see cs_correlate).
    """
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t F = dout.shape[1], H_out = dout.shape[2], W_out = dout.shape[3]
    cdef Py_ssize_t ntaps = off.shape[0], n, t
    cdef float* xs
    cdef float* dp
    cdef float* gt
    cdef float* tb
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
                            compute_dx)
