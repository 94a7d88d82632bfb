/* Direct float32 convolution kernels in AVX-512 (called by _direct.pyx, planned by direct.py).
 *
 * Two kernels, both over "planes": a channel's pixels at in[c*ics + row*irs + col], with a
 * list of taps, each an element offset off[t] inside a channel's planes.
 *
 *   cs_correlate:   out[o*ocs + y*ors + x] = bias[o]
 *                        + sum_c sum_t wt[o/8][c*ntaps + t][o%8] * in[c*ics + off[t] + y*irs + x]
 *   cs_filter_grad: dwt[(c*ntaps + t)*Cout + o] +=
 *                        sum_y sum_x in[c*ics + off[t] + y*irs + x] * doutT[(y*Wout + x)*Cout + o]
 *
 * The forward pass is cs_correlate over the zero-padded input split into stride x stride phase
 * planes (so every tap reads 16 consecutive floats); the data gradient is cs_correlate over the
 * zero-padded upstream gradient, one call per phase of dx; the filter gradient is cs_filter_grad.
 * cs_correlate's weights come in blocks of 8 output channels (wt is (ceil(Cout/8), Cin*ntaps, 8),
 * zero-filled past Cout), so one block's weights are contiguous and stay in L1 while it sweeps
 * the rows.
 * Register blocking: cs_correlate keeps 3 output rows x 16 columns x 8 output channels in 24
 * zmm accumulators (a vector load per row and a broadcast weight per channel feed 24 FMAs;
 * fewer channels, more rows: CS_ROWS);
 * cs_filter_grad keeps up to 24 accumulators: 6 (channel, tap) pairs x 64 output channels (or
 * 8 x 48, 12 x 32, 12 x 16), broadcasting one input pixel per pair, over about 64 pixels of
 * doutT at a time (kept in L1 across all pairs).  Column tails use AVX-512 masks, so any width works; the masked-off lanes are
 * never read or written.
 *
 * Invariants the caller keeps: every index the formulas above name for y < Hout, x < Wout lies
 * inside its buffer; Cin, Cout, ntaps, Hout, Wout >= 1.  cs_direct_supported() says whether the
 * CPU runs AVX-512F; without it (or on other architectures / compilers) nothing here may be
 * called, and it returns 0.
 */
#ifndef CS231N_DIRECT_H
#define CS231N_DIRECT_H

#include <stddef.h>

typedef ptrdiff_t cs_ssz;

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>

#define CS_AVX512 __attribute__((target("avx512f,fma")))
#define CS_INLINE static inline __attribute__((always_inline)) CS_AVX512

static int cs_direct_supported(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
}

static inline __mmask16 cs_mask(cs_ssz count)
{
    if (count <= 0)
        return 0;
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1u);
}

/* even[j] = src[2j], odd[j] = src[2j + 1] for 2j (+ 1) < W: the stride-2 phase split. */
static CS_AVX512 void cs_deinterleave2(const float* src, cs_ssz W, float* even, float* odd)
{
    const __m512i ie = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i io = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
    for (cs_ssz w = 0; w < W; w += 32) {
        const cs_ssz n = W - w;
        const __m512 a = _mm512_maskz_loadu_ps(cs_mask(n), src + w);
        const __m512 b = _mm512_maskz_loadu_ps(cs_mask(n - 16), src + w + 16);
        _mm512_mask_storeu_ps(even + w / 2, cs_mask((n + 1) / 2), _mm512_permutex2var_ps(a, ie, b));
        _mm512_mask_storeu_ps(odd + w / 2, cs_mask(n / 2), _mm512_permutex2var_ps(a, io, b));
    }
}

/* dst[2j] = even[j], dst[2j + 1] = odd[j] for 2j (+ 1) < W: the inverse of cs_deinterleave2. */
static CS_AVX512 void cs_interleave2(const float* even, const float* odd, cs_ssz W, float* dst)
{
    const __m512i lo = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    const __m512i hi = _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9,
                                        24, 8);
    for (cs_ssz w = 0; w < W; w += 32) {
        const cs_ssz n = W - w;
        const __m512 e = _mm512_maskz_loadu_ps(cs_mask((n + 1) / 2), even + w / 2);
        const __m512 o = _mm512_maskz_loadu_ps(cs_mask(n / 2), odd + w / 2);
        _mm512_mask_storeu_ps(dst + w, cs_mask(n), _mm512_permutex2var_ps(e, lo, o));
        _mm512_mask_storeu_ps(dst + w + 16, cs_mask(n - 16), _mm512_permutex2var_ps(e, hi, o));
    }
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

/* dst[j * ld + i] = src[i * ls + j] for i < rows, j < cols, in 16 x 16 blocks. */
static CS_AVX512 void cs_transpose(const float* src, cs_ssz ls, cs_ssz rows, cs_ssz cols,
                                   float* dst, cs_ssz ld)
{
    for (cs_ssz i0 = 0; i0 < rows; i0 += 16) {
        const cs_ssz ni = rows - i0 < 16 ? rows - i0 : 16;
        for (cs_ssz j0 = 0; j0 < cols; j0 += 16) {
            const cs_ssz nj = cols - j0 < 16 ? cols - j0 : 16;
            __m512 r[16], c[16];
            for (int i = 0; i < 16; i++)
                r[i] = i < ni ? _mm512_maskz_loadu_ps(cs_mask(nj), src + (i0 + i) * ls + j0)
                              : _mm512_setzero_ps();
            cs_transpose16(r, c);
            for (int j = 0; j < nj; j++)
                _mm512_mask_storeu_ps(dst + (j0 + j) * ld + i0, cs_mask(ni), c[j]);
        }
    }
}

/* sums[i] += sum over j < cols of g[i * cols + j] (the bias gradient of one image). */
static CS_AVX512 void cs_row_sums(const float* g, cs_ssz rows, cs_ssz cols, float* sums)
{
    for (cs_ssz i = 0; i < rows; i++, g += cols) {
        __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                         _mm512_setzero_ps()};  /* four chains: the adds' latency overlaps */
        cs_ssz j = 0;
        for (; j + 64 <= cols; j += 64)
            for (int v = 0; v < 4; v++)
                acc[v] = _mm512_add_ps(acc[v], _mm512_loadu_ps(g + j + 16 * v));
        for (; j < cols; j += 16)
            acc[0] = _mm512_add_ps(acc[0], _mm512_maskz_loadu_ps(cs_mask(cols - j), g + j));
        sums[i] += _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(acc[0], acc[1]),
                                                      _mm512_add_ps(acc[2], acc[3])));
    }
}

/* dst[g * group_ld + r * ld + j] = src[(g * rows + r) * cols + j] for g < groups, r < rows,
 * j < cols: an image's channels (rows x cols each) into a padded buffer. */
static CS_AVX512 void cs_copy_rows(const float* src, cs_ssz groups, cs_ssz rows, cs_ssz cols,
                                   float* dst, cs_ssz ld, cs_ssz group_ld)
{
    for (cs_ssz g = 0; g < groups; g++)
        for (cs_ssz r = 0; r < rows; r++, src += cols)
            for (cs_ssz j = 0; j < cols; j += 16) {
                const __mmask16 m = cs_mask(cols - j);
                _mm512_mask_storeu_ps(dst + g * group_ld + r * ld + j, m,
                                      _mm512_maskz_loadu_ps(m, src + j));
            }
}

/* The accumulators of a block of R rows x OB filters: start (at the bias, or 0), one tap's
 * multiply-add (R row vectors by OB broadcast weights), and the masked store. */
CS_INLINE void cs_block_start(__m512 acc[][8], const float* bias, cs_ssz o0, const int R,
                              const int OB)
{
    for (int o = 0; o < OB; o++) {
        const __m512 start = bias ? _mm512_set1_ps(bias[o0 + o]) : _mm512_setzero_ps();
        for (int r = 0; r < R; r++)
            acc[r][o] = start;
    }
}

CS_INLINE void cs_block_fma(__m512 acc[][8], const __m512* xv, const float* wp, const int R,
                            const int OB)
{
    for (int o = 0; o < OB; o++) {
        const __m512 wv = _mm512_set1_ps(wp[o]);
        for (int r = 0; r < R; r++)
            acc[r][o] = _mm512_fmadd_ps(xv[r], wv, acc[r][o]);
    }
}

CS_INLINE void cs_block_store(__m512 acc[][8], float* out, cs_ssz ocs, cs_ssz ors, cs_ssz y0,
                              cs_ssz x0, cs_ssz o0, __mmask16 m, const int R, const int OB)
{
    for (int r = 0; r < R; r++)
        for (int o = 0; o < OB; o++)
            _mm512_mask_storeu_ps(out + (o0 + o) * ocs + (y0 + r) * ors + x0, m, acc[r][o]);
}

/* R output rows x OB output channels (1..8) x 16 columns, fully in registers (R * OB <= 24,
 * R + R * OB < 32 zmm: CS_ROWS). */
CS_INLINE void cs_correlate_block(const float* in, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                                  cs_ssz ntaps, const float* wt, cs_ssz Cin, cs_ssz Cout,
                                  const float* bias, float* out, cs_ssz ocs, cs_ssz ors,
                                  cs_ssz y0, cs_ssz x0, cs_ssz o0, __mmask16 m,
                                  const int R, const int OB)
{
    __m512 acc[15][8];
    cs_block_start(acc, bias, o0, R, OB);
    for (cs_ssz c = 0; c < Cin; c++) {
        const float* ic = in + c * ics + y0 * irs + x0;
        const float* wc = wt + (o0 / 8) * Cin * ntaps * 8 + c * ntaps * 8;
        for (cs_ssz t = 0; t < ntaps; t++) {
            const float* ip = ic + off[t];
            __m512 xv[15];
            for (int r = 0; r < R; r++)
                xv[r] = _mm512_maskz_loadu_ps(m, ip + r * irs);
            cs_block_fma(acc, xv, wc + t * 8, R, OB);
        }
    }
    cs_block_store(acc, out, ocs, ors, y0, x0, o0, m, R, OB);
}

/* cs_correlate_block for taps on a GH x GW grid (off[t] = off0 + i * irs + j for t = i * GW + j),
 * few filters: the R rows a tap reads overlap the next tap row's in all but one row, so each
 * (c, j) slides a window of R row vectors down the grid, one load per tap row instead of R.
 * (With 3 filters a tap's loads feed only 3 FMAs each: the generic block was load-bound.) */
CS_INLINE void cs_correlate_grid_block(const float* in, cs_ssz ics, cs_ssz irs, cs_ssz off0,
                                       cs_ssz GH, cs_ssz GW, const float* wt, cs_ssz Cin,
                                       cs_ssz Cout, const float* bias, float* out, cs_ssz ocs,
                                       cs_ssz ors, cs_ssz y0, cs_ssz x0, cs_ssz o0,
                                       __mmask16 m, const int R, const int OB)
{
    __m512 acc[15][8];
    const cs_ssz ntaps = GH * GW;
    cs_block_start(acc, bias, o0, R, OB);
    for (cs_ssz c = 0; c < Cin; c++) {
        const float* ic = in + c * ics + y0 * irs + x0 + off0;
        const float* wc = wt + (o0 / 8) * Cin * ntaps * 8 + c * ntaps * 8;
        for (cs_ssz j = 0; j < GW; j++) {
            __m512 xv[15];
            for (int r = 0; r + 1 < R; r++)
                xv[r + 1] = _mm512_maskz_loadu_ps(m, ic + j + r * irs);
            for (cs_ssz i = 0; i < GH; i++) {
                for (int r = 0; r + 1 < R; r++)
                    xv[r] = xv[r + 1];
                xv[R - 1] = _mm512_maskz_loadu_ps(m, ic + j + (i + R - 1) * irs);
                cs_block_fma(acc, xv, wc + (i * GW + j) * 8, R, OB);
            }
        }
    }
    cs_block_store(acc, out, ocs, ors, y0, x0, o0, m, R, OB);
}

/* Rows per block for OB output channels: 24 accumulators when OB allows, few filters (the data
 * gradient of a 3-channel image) traded for more rows. */
#define CS_ROWS(OB) ((OB) >= 7 ? 3 : (OB) >= 5 ? 4 : (OB) == 4 ? 6 : (OB) == 3 ? 7 : (OB) == 2 ? 10 : 15)

CS_INLINE void cs_correlate_filters(const float* in, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                                    cs_ssz ntaps, const float* wt, cs_ssz Cin, cs_ssz Cout,
                                    const float* bias, float* out, cs_ssz ocs, cs_ssz ors,
                                    cs_ssz Hout, cs_ssz Wout, cs_ssz o0, const int OB,
                                    cs_ssz GH, cs_ssz GW)
{
    const int R = CS_ROWS(OB);
    const int grid = OB <= 4 && GH > 1 && GH * GW == ntaps;
    for (cs_ssz x0 = 0; x0 < Wout; x0 += 16) {
        const __mmask16 m = cs_mask(Wout - x0);
        cs_ssz y0 = 0;
        for (; y0 + R <= Hout; y0 += R)
            if (grid)
                cs_correlate_grid_block(in, ics, irs, off[0], GH, GW, wt, Cin, Cout, bias, out,
                                        ocs, ors, y0, x0, o0, m, R, OB);
            else
                cs_correlate_block(in, ics, irs, off, ntaps, wt, Cin, Cout, bias, out, ocs,
                                   ors, y0, x0, o0, m, R, OB);
        for (; y0 + 2 <= Hout; y0 += 2)
            cs_correlate_block(in, ics, irs, off, ntaps, wt, Cin, Cout, bias, out, ocs, ors,
                               y0, x0, o0, m, 2, OB);
        if (y0 < Hout)
            cs_correlate_block(in, ics, irs, off, ntaps, wt, Cin, Cout, bias, out, ocs, ors,
                               y0, x0, o0, m, 1, OB);
    }
}

/* GH, GW > 0: the taps lie on a GH x GW grid, off[t] = off[0] + i * irs + j for t = i * GW + j
 * (lets few-filter blocks reuse rows, cs_correlate_grid_block); 0, 0: any taps. */
static CS_AVX512 void cs_correlate(const float* in, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                                   cs_ssz ntaps, const float* wt, cs_ssz Cin, cs_ssz Cout,
                                   const float* bias, float* out, cs_ssz ocs, cs_ssz ors,
                                   cs_ssz Hout, cs_ssz Wout, cs_ssz GH, cs_ssz GW)
{
#define CS_FILTERS(OB) cs_correlate_filters(in, ics, irs, off, ntaps, wt, Cin, Cout, bias, out, \
                                            ocs, ors, Hout, Wout, o0, OB, GH, GW)
    for (cs_ssz o0 = 0; o0 < Cout; o0 += 8) {
        switch (Cout - o0 < 8 ? (int)(Cout - o0) : 8) {
        case 8: CS_FILTERS(8); break;
        case 7: CS_FILTERS(7); break;
        case 6: CS_FILTERS(6); break;
        case 5: CS_FILTERS(5); break;
        case 4: CS_FILTERS(4); break;
        case 3: CS_FILTERS(3); break;
        case 2: CS_FILTERS(2); break;
        default: CS_FILTERS(1); break;
        }
    }
#undef CS_FILTERS
}

/* KB (channel, tap) pairs (1..12) x OV vectors of 16 output channels (1..4), KB * OV <= 24. */
CS_INLINE void cs_filter_grad_block(const float* const* src, cs_ssz irs, const float* doutT,
                                    cs_ssz Cout, cs_ssz y0, cs_ssz y1, cs_ssz Wout, float* dwt,
                                    const cs_ssz* rows, cs_ssz o0, __mmask16 last,
                                    const int KB, const int OV)
{
    __m512 acc[12][4];
    for (int k = 0; k < KB; k++)
        for (int v = 0; v < OV; v++)
            acc[k][v] = _mm512_setzero_ps();
    for (cs_ssz y = y0; y < y1; y++) {
        const float* g = doutT + y * Wout * Cout + o0;
        for (cs_ssz x = 0; x < Wout; x++, g += Cout) {
            __m512 gv[4];
            for (int v = 0; v < OV; v++)
                gv[v] = _mm512_maskz_loadu_ps(v == OV - 1 ? last : (__mmask16)0xFFFF, g + 16 * v);
            for (int k = 0; k < KB; k++) {
                __m512 xv = _mm512_set1_ps(src[k][y * irs + x]);
                for (int v = 0; v < OV; v++)
                    acc[k][v] = _mm512_fmadd_ps(xv, gv[v], acc[k][v]);
            }
        }
    }
    for (int k = 0; k < KB; k++) {
        float* d = dwt + rows[k] * Cout + o0;
        for (int v = 0; v < OV; v++) {
            __mmask16 m = v == OV - 1 ? last : (__mmask16)0xFFFF;
            __m512 sum = _mm512_add_ps(_mm512_maskz_loadu_ps(m, d + 16 * v), acc[k][v]);
            _mm512_mask_storeu_ps(d + 16 * v, m, sum);
        }
    }
}

#define CS_FILTER_GRAD_PAIRS(KB)                                                              \
    switch (OV) {                                                                             \
    case 4: cs_filter_grad_block(src, irs, doutT, Cout, y0, y1, Wout, dwt, rows, o0, last,      \
                                 KB, 4); break;                                               \
    case 3: cs_filter_grad_block(src, irs, doutT, Cout, y0, y1, Wout, dwt, rows, o0, last,      \
                                 KB, 3); break;                                               \
    case 2: cs_filter_grad_block(src, irs, doutT, Cout, y0, y1, Wout, dwt, rows, o0, last,      \
                                 KB, 2); break;                                               \
    default: cs_filter_grad_block(src, irs, doutT, Cout, y0, y1, Wout, dwt, rows, o0, last,     \
                                  KB, 1); break;                                              \
    }

static CS_AVX512 void cs_filter_grad(const float* in, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                                     cs_ssz ntaps, cs_ssz Cin, const float* doutT, cs_ssz Cout,
                                     cs_ssz Hout, cs_ssz Wout, float* dwt)
{
    const cs_ssz pairs = Cin * ntaps;
    /* rows of doutT per sweep over the pairs: about 64 pixels, so they stay in L1 */
    const cs_ssz chunk = Wout >= 64 ? 1 : 64 / Wout;
    for (cs_ssz o0 = 0; o0 < Cout; o0 += 64) {
        const cs_ssz width = Cout - o0 < 64 ? Cout - o0 : 64;
        const int OV = (int)((width + 15) / 16);
        const __mmask16 last = cs_mask(width - 16 * (OV - 1));
        /* pairs per block: 24 accumulators when OV allows (12 x 2, 8 x 3, 6 x 4), at most 12 */
        const int full = OV == 4 ? 6 : OV == 3 ? 8 : 12;
        for (cs_ssz y0 = 0; y0 < Hout; y0 += chunk) {
            const cs_ssz y1 = y0 + chunk < Hout ? y0 + chunk : Hout;
            for (cs_ssz k0 = 0; k0 < pairs;) {
                const float* src[12];
                cs_ssz rows[12];
                const int KB = pairs - k0 >= full ? full : pairs - k0 < 6 ? (int)(pairs - k0) : 6;
                for (int k = 0; k < KB; k++) {
                    rows[k] = k0 + k;
                    src[k] = in + (rows[k] / ntaps) * ics + off[rows[k] % ntaps];
                }
                if (KB == 12 && OV == 1)
                    cs_filter_grad_block(src, irs, doutT, Cout, y0, y1, Wout, dwt, rows, o0,
                                         last, 12, 1);
                else if (KB == 12)
                    cs_filter_grad_block(src, irs, doutT, Cout, y0, y1, Wout, dwt, rows, o0,
                                         last, 12, 2);
                else if (KB == 8)
                    cs_filter_grad_block(src, irs, doutT, Cout, y0, y1, Wout, dwt, rows, o0,
                                         last, 8, 3);
                else
                    switch (KB) {
                    case 6: CS_FILTER_GRAD_PAIRS(6) break;
                    case 5: CS_FILTER_GRAD_PAIRS(5) break;
                    case 4: CS_FILTER_GRAD_PAIRS(4) break;
                    case 3: CS_FILTER_GRAD_PAIRS(3) break;
                    case 2: CS_FILTER_GRAD_PAIRS(2) break;
                    default: CS_FILTER_GRAD_PAIRS(1) break;
                    }
                k0 += KB;
            }
        }
    }
}

#else /* not GCC-compatible on x86-64: the direct path is never taken */

static int cs_direct_supported(void) { return 0; }

static void cs_deinterleave2(const float* src, cs_ssz W, float* even, float* odd) {}

static void cs_transpose(const float* src, cs_ssz ls, cs_ssz rows, cs_ssz cols, float* dst,
                         cs_ssz ld) {}

static void cs_row_sums(const float* g, cs_ssz rows, cs_ssz cols, float* sums) {}

static void cs_copy_rows(const float* src, cs_ssz groups, cs_ssz rows, cs_ssz cols, float* dst,
                         cs_ssz ld, cs_ssz group_ld) {}

static void cs_interleave2(const float* even, const float* odd, cs_ssz W, float* dst) {}

static void cs_correlate(const float* in, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                         cs_ssz ntaps, const float* wt, cs_ssz Cin, cs_ssz Cout,
                         const float* bias, float* out, cs_ssz ocs, cs_ssz ors,
                         cs_ssz Hout, cs_ssz Wout, cs_ssz GH, cs_ssz GW) {}

static void cs_filter_grad(const float* in, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                           cs_ssz ntaps, cs_ssz Cin, const float* doutT, cs_ssz Cout,
                           cs_ssz Hout, cs_ssz Wout, float* dwt) {}

#endif
#endif
