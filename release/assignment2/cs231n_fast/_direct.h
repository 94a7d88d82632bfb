/* Direct float32 and float64 convolution kernels in AVX-512 (called by _direct.pyx, planned by
 * direct.py).
 *
 * Two kernels, both over "planes": a channel's pixels at in[c*ics + row*irs + col], with a
 * list of taps, each an element offset off[t] inside a channel's planes.
 *
 *   cs_correlate:   out[o*ocs + y*ors + x] = bias[o]
 *                        + sum_c sum_t wt[o/8][c*ntaps + t][o%8] * in[c*ics + off[t] + y*irs + x]
 *   cs_filter_grad: dwt[(c*ntaps + t)*Cout + o] +=
 *                        sum_y sum_x in[c*ics + off[t] + y*irs + x] * doutT[(y*Wout + x)*Cout + o]
 *
 * Each comes as name_f32 (float) and name_f64 (double), from one type-generic source,
 * _direct_kernels.h, included once per type below; a vector holds CS_L = 16 floats or 8
 * doubles.
 *
 * The forward pass is cs_correlate over the zero-padded input split into stride x stride phase
 * planes (so every tap reads CS_L consecutive elements); the data gradient is cs_correlate over
 * the zero-padded upstream gradient, one call per phase of dx; the filter gradient is
 * cs_filter_grad.
 * cs_correlate's weights come in blocks of 8 output channels (wt is (ceil(Cout/8), Cin*ntaps, 8),
 * zero-filled past Cout), so one block's weights are contiguous and stay in L1 while it sweeps
 * the rows.
 * Register blocking: cs_correlate keeps 3 output rows x CS_L columns x 8 output channels in 24
 * zmm accumulators (a vector load per row and a broadcast weight per channel feed 24 FMAs;
 * fewer channels, more rows: CS_ROWS);
 * cs_filter_grad keeps up to 24 accumulators: 6 (channel, tap) pairs x 4 vectors of output
 * channels (or 8 x 3, 12 x 2, 12 x 1), broadcasting one input pixel per pair, over about 64
 * pixels of doutT at a time (kept in L1 across all pairs).  Column tails use AVX-512 masks, so
 * any width works; the masked-off lanes are never read or written.  Every output is summed in
 * an order fixed by the shapes alone, so results are the same from run to run.
 *
 * Invariants the caller keeps: every index the formulas above name for y < Hout, x < Wout lies
 * inside its buffer; Cin, Cout, ntaps, Hout, Wout >= 1.  cs_direct_supported() says whether the
 * CPU runs AVX-512F; without it (or on other architectures / compilers) nothing here may be
 * called, and it returns 0.
 */
#ifndef CS231N_DIRECT_H
#define CS231N_DIRECT_H

#include <stddef.h>
#include <stdint.h>

typedef ptrdiff_t cs_ssz;

/* Rows per correlate block for OB output channels: 24 accumulators when OB allows, few filters
 * (the data gradient of a 3-channel image) traded for more rows. */
#define CS_ROWS(OB) \
    ((OB) >= 7 ? 3 : (OB) >= 5 ? 4 : (OB) == 4 ? 6 : (OB) == 3 ? 7 : (OB) == 2 ? 10 : 15)

#define CS_CAT_(a, b) a##b
#define CS_CAT(a, b) CS_CAT_(a, b)

#if defined(__GNUC__) && defined(__x86_64__)
#define CS_DIRECT_AVX512 1
#include <immintrin.h>

#define CS_AVX512 __attribute__((target("avx512f,fma")))
#define CS_INLINE static inline __attribute__((always_inline)) CS_AVX512

static int cs_direct_supported(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
}

/* The first count lanes of a float (16) or double (8) vector. */
static inline __mmask16 cs_mask16(cs_ssz count)
{
    if (count <= 0)
        return 0;
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1u);
}

static inline __mmask8 cs_mask8(cs_ssz count)
{
    if (count <= 0)
        return 0;
    return count >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << count) - 1u);
}

/* c[j][i] = r[i][j] for a 16 x 16 block held in registers. */
CS_INLINE void cs_transpose16(const __m512* r, __m512* c)
{
    __m512 t[16], u[16];
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
#pragma GCC unroll 4
    for (int q = 0; q < 4; q++) {  /* u[4q + j], lane k: rows 4q..4q+3, column 4k + j */
        const __m512d a = _mm512_castps_pd(t[4 * q]), b = _mm512_castps_pd(t[4 * q + 2]);
        const __m512d e = _mm512_castps_pd(t[4 * q + 1]), d = _mm512_castps_pd(t[4 * q + 3]);
        u[4 * q] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, b));
        u[4 * q + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, b));
        u[4 * q + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(e, d));
        u[4 * q + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(e, d));
    }
#pragma GCC unroll 4
    for (int j = 0; j < 4; j++) {  /* column 4k + j gathers lane k of u[j], u[4+j], u[8+j], u[12+j] */
        const __m512 v0 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x88);
        const __m512 v1 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x88);
        const __m512 w0 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xdd);
        const __m512 w1 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xdd);
        c[j] = _mm512_shuffle_f32x4(v0, v1, 0x88);
        c[8 + j] = _mm512_shuffle_f32x4(v0, v1, 0xdd);
        c[4 + j] = _mm512_shuffle_f32x4(w0, w1, 0x88);
        c[12 + j] = _mm512_shuffle_f32x4(w0, w1, 0xdd);
    }
}

/* c[j][i] = r[i][j] for an 8 x 8 block of doubles held in registers. */
CS_INLINE void cs_transpose8(const __m512d* r, __m512d* c)
{
    __m512d t[8], u[8];
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {  /* 128-bit lane k of t[2i]: r[2i][2k], r[2i + 1][2k] */
        t[2 * i] = _mm512_unpacklo_pd(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_pd(r[2 * i], r[2 * i + 1]);
    }
#pragma GCC unroll 2
    for (int q = 0; q < 2; q++) {  /* u[4q + j]: rows 4q..4q+3 of the columns noted */
        u[4 * q] = _mm512_shuffle_f64x2(t[4 * q], t[4 * q + 2], 0x88);      /* columns 0, 4 */
        u[4 * q + 1] = _mm512_shuffle_f64x2(t[4 * q], t[4 * q + 2], 0xdd);  /* columns 2, 6 */
        u[4 * q + 2] = _mm512_shuffle_f64x2(t[4 * q + 1], t[4 * q + 3], 0x88);  /* 1, 5 */
        u[4 * q + 3] = _mm512_shuffle_f64x2(t[4 * q + 1], t[4 * q + 3], 0xdd);  /* 3, 7 */
    }
    static const int column[4][2] = {{0, 4}, {2, 6}, {1, 5}, {3, 7}};
#pragma GCC unroll 4
    for (int j = 0; j < 4; j++) {
        c[column[j][0]] = _mm512_shuffle_f64x2(u[j], u[4 + j], 0x88);
        c[column[j][1]] = _mm512_shuffle_f64x2(u[j], u[4 + j], 0xdd);
    }
}

#else /* not GCC-compatible on x86-64: the direct path is never taken */
#define CS_DIRECT_AVX512 0

static int cs_direct_supported(void) { return 0; }

#endif

/* float32: cs_correlate_f32, cs_filter_grad_f32, ... */
#define CS_T float
#define CS_V __m512
#define CS_L 16
#define CS_M __mmask16
#define CS_I int32_t
#define CS_MASK(n) cs_mask16(n)
#define CS_PS(op) CS_CAT(op, _ps)
#define CS_FN(name) CS_CAT(name, _f32)
#define CS_TRANSPOSE_BLOCK(r, c) cs_transpose16(r, c)
#include "_direct_kernels.h"  /* undefines the type macros at its end */

/* float64: cs_correlate_f64, cs_filter_grad_f64, ... */
#define CS_T double
#define CS_V __m512d
#define CS_L 8
#define CS_M __mmask8
#define CS_I int64_t
#define CS_MASK(n) cs_mask8(n)
#define CS_PS(op) CS_CAT(op, _pd)
#define CS_FN(name) CS_CAT(name, _f64)
#define CS_TRANSPOSE_BLOCK(r, c) cs_transpose8(r, c)
#include "_direct_kernels.h"  /* undefines the type macros at its end */

#endif
