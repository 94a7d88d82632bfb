/* The direct kernels for one element type (documented in _direct.h, which includes this file
 * once per type).  Written against the type macros _direct.h defines:
 *   CS_T        the element (float, double)       CS_V  its vector (__m512, __m512d)
 *   CS_L        lanes per vector (16, 8)          CS_M  a lane mask (__mmask16, __mmask8)
 *   CS_I        a permute index (int32_t, int64_t)
 *   CS_MASK(n)  the first n lanes (none for n <= 0)
 *   CS_PS(op)   the intrinsic op for CS_V (op##_ps, op##_pd)
 *   CS_FN(name) the function name for this type (name##_f32, name##_f64)
 *   CS_TRANSPOSE_BLOCK(r, c)  c[j][i] = r[i][j] for CS_L x CS_L in registers
 * No include guard: every inclusion makes one type's functions, and undefines these macros at
 * the end, ready for the next type.
 */

#if CS_DIRECT_AVX512

/* even[j] = src[2j], odd[j] = src[2j + 1] for 2j (+ 1) < W: the stride-2 phase split. */
static CS_AVX512 void CS_FN(cs_deinterleave2)(const CS_T* src, cs_ssz W, CS_T* even, CS_T* odd)
{
    CS_I even_lanes[CS_L], odd_lanes[CS_L];
    for (int k = 0; k < CS_L; k++) {
        even_lanes[k] = 2 * k;
        odd_lanes[k] = 2 * k + 1;
    }
    const __m512i ie = _mm512_loadu_si512(even_lanes), io = _mm512_loadu_si512(odd_lanes);
    for (cs_ssz w = 0; w < W; w += 2 * CS_L) {
        const cs_ssz n = W - w;
        const CS_V a = CS_PS(_mm512_maskz_loadu)(CS_MASK(n), src + w);
        const CS_V b = CS_PS(_mm512_maskz_loadu)(CS_MASK(n - CS_L), src + w + CS_L);
        CS_PS(_mm512_mask_storeu)(even + w / 2, CS_MASK((n + 1) / 2),
                                  CS_PS(_mm512_permutex2var)(a, ie, b));
        CS_PS(_mm512_mask_storeu)(odd + w / 2, CS_MASK(n / 2),
                                  CS_PS(_mm512_permutex2var)(a, io, b));
    }
}

/* dst[2j] = even[j], dst[2j + 1] = odd[j] for 2j (+ 1) < W: the inverse of cs_deinterleave2. */
static CS_AVX512 void CS_FN(cs_interleave2)(const CS_T* even, const CS_T* odd, cs_ssz W,
                                            CS_T* dst)
{
    CS_I low_lanes[CS_L], high_lanes[CS_L];  /* lane 2k: even[k (+ L/2)], 2k + 1: odd[...] */
    for (int k = 0; k < CS_L / 2; k++) {
        low_lanes[2 * k] = k;
        low_lanes[2 * k + 1] = CS_L + k;
        high_lanes[2 * k] = CS_L / 2 + k;
        high_lanes[2 * k + 1] = CS_L + CS_L / 2 + k;
    }
    const __m512i lo = _mm512_loadu_si512(low_lanes), hi = _mm512_loadu_si512(high_lanes);
    for (cs_ssz w = 0; w < W; w += 2 * CS_L) {
        const cs_ssz n = W - w;
        const CS_V e = CS_PS(_mm512_maskz_loadu)(CS_MASK((n + 1) / 2), even + w / 2);
        const CS_V o = CS_PS(_mm512_maskz_loadu)(CS_MASK(n / 2), odd + w / 2);
        CS_PS(_mm512_mask_storeu)(dst + w, CS_MASK(n), CS_PS(_mm512_permutex2var)(e, lo, o));
        CS_PS(_mm512_mask_storeu)(dst + w + CS_L, CS_MASK(n - CS_L),
                                  CS_PS(_mm512_permutex2var)(e, hi, o));
    }
}

/* dst[j * ld + i] = src[i * ls + j] for i < rows, j < cols, in CS_L x CS_L blocks. */
static CS_AVX512 void CS_FN(cs_transpose)(const CS_T* src, cs_ssz ls, cs_ssz rows, cs_ssz cols,
                                          CS_T* dst, cs_ssz ld)
{
    for (cs_ssz i0 = 0; i0 < rows; i0 += CS_L) {
        const cs_ssz ni = rows - i0 < CS_L ? rows - i0 : CS_L;
        for (cs_ssz j0 = 0; j0 < cols; j0 += CS_L) {
            const cs_ssz nj = cols - j0 < CS_L ? cols - j0 : CS_L;
            CS_V r[CS_L], c[CS_L];
            for (int i = 0; i < CS_L; i++)
                r[i] = i < ni ? CS_PS(_mm512_maskz_loadu)(CS_MASK(nj), src + (i0 + i) * ls + j0)
                              : CS_PS(_mm512_setzero)();
            CS_TRANSPOSE_BLOCK(r, c);
            for (int j = 0; j < nj; j++)
                CS_PS(_mm512_mask_storeu)(dst + (j0 + j) * ld + i0, CS_MASK(ni), c[j]);
        }
    }
}

/* sums[i] += sum over j < cols of g[i * cols + j] (the bias gradient of one image). */
static CS_AVX512 void CS_FN(cs_row_sums)(const CS_T* g, cs_ssz rows, cs_ssz cols, CS_T* sums)
{
    for (cs_ssz i = 0; i < rows; i++, g += cols) {
        /* four chains: the adds' latency overlaps */
        CS_V acc[4] = {CS_PS(_mm512_setzero)(), CS_PS(_mm512_setzero)(),
                       CS_PS(_mm512_setzero)(), CS_PS(_mm512_setzero)()};
        cs_ssz j = 0;
        for (; j + 4 * CS_L <= cols; j += 4 * CS_L)
            for (int v = 0; v < 4; v++)
                acc[v] = CS_PS(_mm512_add)(acc[v], CS_PS(_mm512_loadu)(g + j + CS_L * v));
        for (; j < cols; j += CS_L)
            acc[0] = CS_PS(_mm512_add)(acc[0],
                                       CS_PS(_mm512_maskz_loadu)(CS_MASK(cols - j), g + j));
        sums[i] += CS_PS(_mm512_reduce_add)(CS_PS(_mm512_add)(CS_PS(_mm512_add)(acc[0], acc[1]),
                                                              CS_PS(_mm512_add)(acc[2], acc[3])));
    }
}

/* dst[g * group_ld + r * ld + j] = src[(g * rows + r) * cols + j] for g < groups, r < rows,
 * j < cols: an image's channels (rows x cols each) into a padded buffer. */
static CS_AVX512 void CS_FN(cs_copy_rows)(const CS_T* src, cs_ssz groups, cs_ssz rows,
                                          cs_ssz cols, CS_T* dst, cs_ssz ld, cs_ssz group_ld)
{
    for (cs_ssz g = 0; g < groups; g++)
        for (cs_ssz r = 0; r < rows; r++, src += cols)
            for (cs_ssz j = 0; j < cols; j += CS_L) {
                const CS_M m = CS_MASK(cols - j);
                CS_PS(_mm512_mask_storeu)(dst + g * group_ld + r * ld + j, m,
                                          CS_PS(_mm512_maskz_loadu)(m, src + j));
            }
}

/* The accumulators of a block of R rows x OB filters: start (at the bias, or 0), one tap's
 * multiply-add (R row vectors by OB broadcast weights), and the masked store. */
CS_INLINE void CS_FN(cs_block_start)(CS_V acc[][8], const CS_T* bias, cs_ssz o0, const int R,
                                     const int OB)
{
    for (int o = 0; o < OB; o++) {
        const CS_V start = bias ? CS_PS(_mm512_set1)(bias[o0 + o]) : CS_PS(_mm512_setzero)();
        for (int r = 0; r < R; r++)
            acc[r][o] = start;
    }
}

CS_INLINE void CS_FN(cs_block_fma)(CS_V acc[][8], const CS_V* xv, const CS_T* wp, const int R,
                                   const int OB)
{
    for (int o = 0; o < OB; o++) {
        const CS_V wv = CS_PS(_mm512_set1)(wp[o]);
        for (int r = 0; r < R; r++)
            acc[r][o] = CS_PS(_mm512_fmadd)(xv[r], wv, acc[r][o]);
    }
}

CS_INLINE void CS_FN(cs_block_store)(CS_V acc[][8], CS_T* out, cs_ssz ocs, cs_ssz ors,
                                     cs_ssz y0, cs_ssz x0, cs_ssz o0, CS_M m, const int R,
                                     const int OB)
{
    for (int r = 0; r < R; r++)
        for (int o = 0; o < OB; o++)
            CS_PS(_mm512_mask_storeu)(out + (o0 + o) * ocs + (y0 + r) * ors + x0, m, acc[r][o]);
}

/* R output rows x OB output channels (1..8) x CS_L columns, fully in registers (R * OB <= 24,
 * R + R * OB < 32 zmm: CS_ROWS). */
CS_INLINE void CS_FN(cs_correlate_block)(const CS_T* in, cs_ssz ics, cs_ssz irs,
                                         const cs_ssz* off, cs_ssz ntaps, const CS_T* wt,
                                         cs_ssz Cin, cs_ssz Cout, const CS_T* bias, CS_T* out,
                                         cs_ssz ocs, cs_ssz ors, cs_ssz y0, cs_ssz x0,
                                         cs_ssz o0, CS_M m, const int R, const int OB)
{
    CS_V acc[15][8];
    CS_FN(cs_block_start)(acc, bias, o0, R, OB);
    for (cs_ssz c = 0; c < Cin; c++) {
        const CS_T* ic = in + c * ics + y0 * irs + x0;
        const CS_T* wc = wt + (o0 / 8) * Cin * ntaps * 8 + c * ntaps * 8;
        for (cs_ssz t = 0; t < ntaps; t++) {
            const CS_T* ip = ic + off[t];
            CS_V xv[15];
            for (int r = 0; r < R; r++)
                xv[r] = CS_PS(_mm512_maskz_loadu)(m, ip + r * irs);
            CS_FN(cs_block_fma)(acc, xv, wc + t * 8, R, OB);
        }
    }
    CS_FN(cs_block_store)(acc, out, ocs, ors, y0, x0, o0, m, R, OB);
}

/* cs_correlate_block for taps on a GH x GW grid (off[t] = off0 + i * irs + j for t = i * GW + j),
 * few filters: the R rows a tap reads overlap the next tap row's in all but one row, so each
 * (c, j) slides a window of R row vectors down the grid, one load per tap row instead of R.
 * (With 3 filters a tap's loads feed only 3 FMAs each: the generic block was load-bound.) */
CS_INLINE void CS_FN(cs_correlate_grid_block)(const CS_T* in, cs_ssz ics, cs_ssz irs,
                                              cs_ssz off0, cs_ssz GH, cs_ssz GW,
                                              const CS_T* wt, cs_ssz Cin, cs_ssz Cout,
                                              const CS_T* bias, CS_T* out, cs_ssz ocs,
                                              cs_ssz ors, cs_ssz y0, cs_ssz x0, cs_ssz o0,
                                              CS_M m, const int R, const int OB)
{
    CS_V acc[15][8];
    const cs_ssz ntaps = GH * GW;
    CS_FN(cs_block_start)(acc, bias, o0, R, OB);
    for (cs_ssz c = 0; c < Cin; c++) {
        const CS_T* ic = in + c * ics + y0 * irs + x0 + off0;
        const CS_T* wc = wt + (o0 / 8) * Cin * ntaps * 8 + c * ntaps * 8;
        for (cs_ssz j = 0; j < GW; j++) {
            CS_V xv[15];
            for (int r = 0; r + 1 < R; r++)
                xv[r + 1] = CS_PS(_mm512_maskz_loadu)(m, ic + j + r * irs);
            for (cs_ssz i = 0; i < GH; i++) {
                for (int r = 0; r + 1 < R; r++)
                    xv[r] = xv[r + 1];
                xv[R - 1] = CS_PS(_mm512_maskz_loadu)(m, ic + j + (i + R - 1) * irs);
                CS_FN(cs_block_fma)(acc, xv, wc + (i * GW + j) * 8, R, OB);
            }
        }
    }
    CS_FN(cs_block_store)(acc, out, ocs, ors, y0, x0, o0, m, R, OB);
}

CS_INLINE void CS_FN(cs_correlate_filters)(const CS_T* in, cs_ssz ics, cs_ssz irs,
                                           const cs_ssz* off, cs_ssz ntaps, const CS_T* wt,
                                           cs_ssz Cin, cs_ssz Cout, const CS_T* bias,
                                           CS_T* out, cs_ssz ocs, cs_ssz ors, cs_ssz Hout,
                                           cs_ssz Wout, cs_ssz o0, const int OB, cs_ssz GH,
                                           cs_ssz GW)
{
    const int R = CS_ROWS(OB);
    const int grid = OB <= 4 && GH > 1 && GH * GW == ntaps;
    for (cs_ssz x0 = 0; x0 < Wout; x0 += CS_L) {
        const CS_M m = CS_MASK(Wout - x0);
        cs_ssz y0 = 0;
        for (; y0 + R <= Hout; y0 += R)
            if (grid)
                CS_FN(cs_correlate_grid_block)(in, ics, irs, off[0], GH, GW, wt, Cin, Cout,
                                               bias, out, ocs, ors, y0, x0, o0, m, R, OB);
            else
                CS_FN(cs_correlate_block)(in, ics, irs, off, ntaps, wt, Cin, Cout, bias, out,
                                          ocs, ors, y0, x0, o0, m, R, OB);
        for (; y0 + 2 <= Hout; y0 += 2)
            CS_FN(cs_correlate_block)(in, ics, irs, off, ntaps, wt, Cin, Cout, bias, out, ocs,
                                      ors, y0, x0, o0, m, 2, OB);
        if (y0 < Hout)
            CS_FN(cs_correlate_block)(in, ics, irs, off, ntaps, wt, Cin, Cout, bias, out, ocs,
                                      ors, y0, x0, o0, m, 1, OB);
    }
}

/* GH, GW > 0: the taps lie on a GH x GW grid, off[t] = off[0] + i * irs + j for t = i * GW + j
 * (lets few-filter blocks reuse rows, cs_correlate_grid_block); 0, 0: any taps. */
static CS_AVX512 void CS_FN(cs_correlate)(const CS_T* in, cs_ssz ics, cs_ssz irs,
                                          const cs_ssz* off, cs_ssz ntaps, const CS_T* wt,
                                          cs_ssz Cin, cs_ssz Cout, const CS_T* bias, CS_T* out,
                                          cs_ssz ocs, cs_ssz ors, cs_ssz Hout, cs_ssz Wout,
                                          cs_ssz GH, cs_ssz GW)
{
#define CS_FILTERS(OB) CS_FN(cs_correlate_filters)(in, ics, irs, off, ntaps, wt, Cin, Cout, \
                                                   bias, out, ocs, ors, Hout, Wout, o0, OB,   \
                                                   GH, GW)
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

/* KB (channel, tap) pairs (1..12) x OV vectors of CS_L output channels (1..4), KB * OV <= 24. */
CS_INLINE void CS_FN(cs_filter_grad_block)(const CS_T* const* src, cs_ssz irs,
                                           const CS_T* doutT, cs_ssz Cout, cs_ssz y0,
                                           cs_ssz y1, cs_ssz Wout, CS_T* dwt,
                                           const cs_ssz* rows, cs_ssz o0, CS_M last,
                                           const int KB, const int OV)
{
    CS_V acc[12][4];
    for (int k = 0; k < KB; k++)
        for (int v = 0; v < OV; v++)
            acc[k][v] = CS_PS(_mm512_setzero)();
    for (cs_ssz y = y0; y < y1; y++) {
        const CS_T* g = doutT + y * Wout * Cout + o0;
        for (cs_ssz x = 0; x < Wout; x++, g += Cout) {
            CS_V gv[4];
            for (int v = 0; v < OV; v++)
                gv[v] = CS_PS(_mm512_maskz_loadu)(v == OV - 1 ? last : (CS_M)-1, g + CS_L * v);
            for (int k = 0; k < KB; k++) {
                CS_V xv = CS_PS(_mm512_set1)(src[k][y * irs + x]);
                for (int v = 0; v < OV; v++)
                    acc[k][v] = CS_PS(_mm512_fmadd)(xv, gv[v], acc[k][v]);
            }
        }
    }
    for (int k = 0; k < KB; k++) {
        CS_T* d = dwt + rows[k] * Cout + o0;
        for (int v = 0; v < OV; v++) {
            CS_M m = v == OV - 1 ? last : (CS_M)-1;
            CS_V sum = CS_PS(_mm512_add)(CS_PS(_mm512_maskz_loadu)(m, d + CS_L * v), acc[k][v]);
            CS_PS(_mm512_mask_storeu)(d + CS_L * v, m, sum);
        }
    }
}

#define CS_FILTER_GRAD_BLOCK(KB, OV)                                                          \
    CS_FN(cs_filter_grad_block)(src, irs, doutT, Cout, y0, y1, Wout, dwt, rows, o0, last, KB, \
                                OV)
#define CS_FILTER_GRAD_PAIRS(KB)                                                              \
    switch (OV) {                                                                             \
    case 4: CS_FILTER_GRAD_BLOCK(KB, 4); break;                                               \
    case 3: CS_FILTER_GRAD_BLOCK(KB, 3); break;                                               \
    case 2: CS_FILTER_GRAD_BLOCK(KB, 2); break;                                               \
    default: CS_FILTER_GRAD_BLOCK(KB, 1); break;                                              \
    }

static CS_AVX512 void CS_FN(cs_filter_grad)(const CS_T* in, cs_ssz ics, cs_ssz irs,
                                            const cs_ssz* off, cs_ssz ntaps, cs_ssz Cin,
                                            const CS_T* doutT, cs_ssz Cout, cs_ssz Hout,
                                            cs_ssz Wout, CS_T* dwt)
{
    const cs_ssz pairs = Cin * ntaps;
    /* rows of doutT per sweep over the pairs: about 64 pixels, so the 4 * CS_L output channels
     * a sweep reads of them (256 bytes a pixel) stay in L1 */
    const cs_ssz chunk = Wout >= 64 ? 1 : 64 / Wout;
    for (cs_ssz o0 = 0; o0 < Cout; o0 += 4 * CS_L) {
        const cs_ssz width = Cout - o0 < 4 * CS_L ? Cout - o0 : 4 * CS_L;
        const int OV = (int)((width + CS_L - 1) / CS_L);
        const CS_M last = CS_MASK(width - CS_L * (OV - 1));
        /* pairs per block: 24 accumulators when OV allows (12 x 2, 8 x 3, 6 x 4), at most 12 */
        const int full = OV == 4 ? 6 : OV == 3 ? 8 : 12;
        for (cs_ssz y0 = 0; y0 < Hout; y0 += chunk) {
            const cs_ssz y1 = y0 + chunk < Hout ? y0 + chunk : Hout;
            for (cs_ssz k0 = 0; k0 < pairs;) {
                const CS_T* src[12];
                cs_ssz rows[12];
                const int KB = pairs - k0 >= full ? full : pairs - k0 < 6 ? (int)(pairs - k0) : 6;
                for (int k = 0; k < KB; k++) {
                    rows[k] = k0 + k;
                    src[k] = in + (rows[k] / ntaps) * ics + off[rows[k] % ntaps];
                }
                if (KB == 12 && OV == 1)
                    CS_FILTER_GRAD_BLOCK(12, 1);
                else if (KB == 12)
                    CS_FILTER_GRAD_BLOCK(12, 2);
                else if (KB == 8)
                    CS_FILTER_GRAD_BLOCK(8, 3);
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

#undef CS_FILTER_GRAD_PAIRS
#undef CS_FILTER_GRAD_BLOCK

#else /* not GCC-compatible on x86-64: the direct path is never taken */

static void CS_FN(cs_deinterleave2)(const CS_T* src, cs_ssz W, CS_T* even, CS_T* odd) {}

static void CS_FN(cs_interleave2)(const CS_T* even, const CS_T* odd, cs_ssz W, CS_T* dst) {}

static void CS_FN(cs_transpose)(const CS_T* src, cs_ssz ls, cs_ssz rows, cs_ssz cols,
                                CS_T* dst, cs_ssz ld) {}

static void CS_FN(cs_row_sums)(const CS_T* g, cs_ssz rows, cs_ssz cols, CS_T* sums) {}

static void CS_FN(cs_copy_rows)(const CS_T* src, cs_ssz groups, cs_ssz rows, cs_ssz cols,
                                CS_T* dst, cs_ssz ld, cs_ssz group_ld) {}

static void CS_FN(cs_correlate)(const CS_T* in, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                                cs_ssz ntaps, const CS_T* wt, cs_ssz Cin, cs_ssz Cout,
                                const CS_T* bias, CS_T* out, cs_ssz ocs, cs_ssz ors,
                                cs_ssz Hout, cs_ssz Wout, cs_ssz GH, cs_ssz GW) {}

static void CS_FN(cs_filter_grad)(const CS_T* in, cs_ssz ics, cs_ssz irs, const cs_ssz* off,
                                  cs_ssz ntaps, cs_ssz Cin, const CS_T* doutT, cs_ssz Cout,
                                  cs_ssz Hout, cs_ssz Wout, CS_T* dwt) {}

#endif

#undef CS_T
#undef CS_V
#undef CS_L
#undef CS_M
#undef CS_I
#undef CS_MASK
#undef CS_PS
#undef CS_FN
#undef CS_TRANSPOSE_BLOCK
