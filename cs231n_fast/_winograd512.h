/* Winograd F(2x2, 3x3) and F(2x2, 5x5) transforms on AVX-512, 16 tiles per vector (called by
 * _winograd512.pyx, planned by winograd512.py).
 *
 * A tile is a 2x2 block of outputs; alpha = r + 1 (4 for 3x3 filters, 6 for 5x5).  Tiles are
 * numbered t = ty * tiles_w + tx.  With the input split into 2 x 2 phase planes of width pitch
 * (phase (a % 2, b % 2) holds padded pixels (2i + a % 2, 2j + b % 2)), pixel (a, b) of tile
 * (ty, tx)'s alpha x alpha patch is phase[(a % 2) * 2 + b % 2][(ty + a / 2) * pitch + tx + b / 2]:
 * for 16 consecutive tiles, one contiguous run per tile row they span ("segments": one masked
 * load or store each).
 *
 * Matrices (points 0, 1, -1 (, 2, -2), infinity; derived and checked in winograd512.py):
 *   V = B^T d B       input transform            d: alpha x alpha patch
 *   Y = A^T M A       output transform           M = U (.) V summed over channels, Y: 2 x 2
 *   dM = A dY A^T     adjoint of the output transform
 *   dd = B dV B^T     adjoint of the input transform, added onto the patch
 * Transformed vectors of position xi = i * alpha + j live at base + xi * xi_stride + t.
 * The backward pass also needs V tile-major, VT[xi][t][c] (for the filter gradient on
 * cs_filter_grad): cs_wino_input_channels transforms 16 channels per vector from the input
 * stored channel-last.
 * Coefficients are compile-time constants, so zeros vanish and +-1 become adds.
 *
 * Invariants the caller keeps: every vector touched (t .. t + 15 under the mask m, or a
 * segment's run) lies inside its buffer; pitch >= tiles_w + (alpha - 1) / 2 and the phase
 * planes have tiles_h + (alpha - 1) / 2 rows.
 */
#ifndef CS231N_WINOGRAD512_H
#define CS231N_WINOGRAD512_H

#include "_direct.h"

#if defined(__GNUC__) && defined(__x86_64__)

static const float CS_BT4[4][4] = {{-1, 0, 1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, -1, 0, 1}};
static const float CS_AT4[2][4] = {{1, 1, 1, 0}, {0, 1, -1, 1}};
static const float CS_BT6[6][6] = {{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0},
                                   {0, 4, -4, -1, 1, 0}, {0, -2, -1, 2, 1, 0},
                                   {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
static const float CS_AT6[2][6] = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 1}};

/* acc + c * x, with c a compile-time constant */
CS_INLINE __m512 cs_term(__m512 acc, float c, __m512 x)
{
    if (c == 1.0f)
        return _mm512_add_ps(acc, x);
    if (c == -1.0f)
        return _mm512_sub_ps(acc, x);
    return _mm512_fmadd_ps(_mm512_set1_ps(c), x, acc);
}

/* out[i * os] = sum_j M[i][j] * in[j * is], or the transpose (sum_j M[j][i] * in[j * is]) */
CS_INLINE void cs_apply(const float* M, int rows, int cols, int transpose, const __m512* in,
                        int is, __m512* out, int os)
{
    const int n_out = transpose ? cols : rows, n_in = transpose ? rows : cols;
    #pragma GCC unroll 36
    for (int i = 0; i < n_out; i++) {
        __m512 acc = _mm512_setzero_ps();
        #pragma GCC unroll 36
        for (int j = 0; j < n_in; j++) {
            const float c = transpose ? M[j * cols + i] : M[i * cols + j];
            if (c != 0.0f)
                acc = cs_term(acc, c, in[j * is]);
        }
        out[i * os] = acc;
    }
}

/* Lanes [lane, lane + count) of a 16-tile vector live at offset + (l - lane) in a phase plane. */
typedef struct {
    __mmask16 mask;
    cs_ssz shift;  /* offset - lane: the address of lane 0 */
} cs_segment;

/* The segments of tiles t .. t + 15 (t < T), one per tile row; returns how many. */
static inline int cs_segments(cs_ssz t, cs_ssz T, cs_ssz tiles_w, cs_ssz pitch, cs_segment* seg)
{
    int n = 0;
    for (cs_ssz lane = 0; lane < 16 && t + lane < T;) {
        const cs_ssz ty = (t + lane) / tiles_w, tx = (t + lane) % tiles_w;
        cs_ssz count = tiles_w - tx;
        if (count > 16 - lane)
            count = 16 - lane;
        if (count > T - t - lane)
            count = T - t - lane;
        seg[n].mask = (__mmask16)(((1u << count) - 1u) << lane);
        seg[n].shift = ty * pitch + tx - lane;
        n++;
        lane += count;
    }
    return n;
}

/* V[xi][t..t+15] = (B^T d B)[xi] for the 16 tiles from t; phase = the channel's 4 planes. */
CS_INLINE void cs_input_tiles(const float* BT, const int A, const float* phase,
                              cs_ssz plane, cs_ssz pitch, const cs_segment* seg, int nseg,
                              cs_ssz t, __mmask16 m, float* V, cs_ssz xi_stride)
{
    __m512 d[36], r[36], v[36];
    #pragma GCC unroll 36
    for (int a = 0; a < A; a++)
        #pragma GCC unroll 36
        for (int b = 0; b < A; b++) {
            const float* p = phase + ((a % 2) * 2 + b % 2) * plane + (a / 2) * pitch + b / 2;
            __m512 x = _mm512_setzero_ps();
            for (int k = 0; k < nseg; k++)
                x = _mm512_mask_loadu_ps(x, seg[k].mask, p + seg[k].shift);
            d[a * A + b] = x;
        }
    #pragma GCC unroll 36
    for (int b = 0; b < A; b++)  /* r = B^T d, column by column */
        cs_apply(BT, A, A, 0, d + b, A, r + b, A);
    #pragma GCC unroll 36
    for (int i = 0; i < A; i++)  /* v = r B, row by row */
        cs_apply(BT, A, A, 0, r + i * A, 1, v + i * A, 1);
    #pragma GCC unroll 36
    for (int xi = 0; xi < A * A; xi++)
        _mm512_mask_storeu_ps(V + xi * xi_stride + t, m, v[xi]);
}

/* VT[xi][t][c0..c0+15] = (B^T d B)[xi] of tile t, 16 channels at a time: xT is the padded
 * input channel-last, xT[(row * Wp + col) * C + c], and the tile's patch starts at (y0, x0). */
CS_INLINE void cs_input_tile_channels(const float* BT, const int A, const float* xT,
                                      cs_ssz Wp, cs_ssz C, cs_ssz y0, cs_ssz x0, cs_ssz c0,
                                      __mmask16 m, float* VT, cs_ssz xi_stride, cs_ssz t)
{
    __m512 d[36], r[36], v[36];
#pragma GCC unroll 36
    for (int a = 0; a < A; a++)
#pragma GCC unroll 36
        for (int b = 0; b < A; b++)
            d[a * A + b] = _mm512_maskz_loadu_ps(m, xT + ((y0 + a) * Wp + x0 + b) * C + c0);
#pragma GCC unroll 36
    for (int b = 0; b < A; b++)
        cs_apply(BT, A, A, 0, d + b, A, r + b, A);
#pragma GCC unroll 36
    for (int i = 0; i < A; i++)
        cs_apply(BT, A, A, 0, r + i * A, 1, v + i * A, 1);
#pragma GCC unroll 36
    for (int xi = 0; xi < A * A; xi++)
        _mm512_mask_storeu_ps(VT + xi * xi_stride + t * C + c0, m, v[xi]);
}

/* D[a * A + b][t..t+15] = (B dV B^T)[a][b]: the patch pixels of tiles t .. t + 15. */
CS_INLINE void cs_input_tile_grads(const float* BT, const int A, const float* dV,
                                   cs_ssz xi_stride, cs_ssz t, __mmask16 m, float* D,
                                   cs_ssz T_pad)
{
    __m512 v[36], r[36], d[36];
    #pragma GCC unroll 36
    for (int xi = 0; xi < A * A; xi++)
        v[xi] = _mm512_maskz_loadu_ps(m, dV + xi * xi_stride + t);
    #pragma GCC unroll 36
    for (int j = 0; j < A; j++)  /* r = B v, column by column */
        cs_apply(BT, A, A, 1, v + j, A, r + j, A);
    #pragma GCC unroll 36
    for (int a = 0; a < A; a++)  /* d = r B^T, row by row */
        cs_apply(BT, A, A, 1, r + a * A, 1, d + a * A, 1);
    #pragma GCC unroll 36
    for (int k = 0; k < A * A; k++)
        _mm512_mask_storeu_ps(D + k * T_pad + t, m, d[k]);
}

/* out phase (i, j)[t..t+15] = (A^T M A)[i][j] + bias for the 16 tiles from t. */
CS_INLINE void cs_output_tiles(const float* AT, const int A, const float* M, cs_ssz xi_stride,
                               cs_ssz t, __mmask16 m, float bias, float* out, cs_ssz plane)
{
    __m512 x[36], r[12], y[4];
    #pragma GCC unroll 36
    for (int xi = 0; xi < A * A; xi++)
        x[xi] = _mm512_maskz_loadu_ps(m, M + xi * xi_stride + t);
    #pragma GCC unroll 36
    for (int b = 0; b < A; b++)  /* r (2 x A) = A^T x */
        cs_apply(AT, 2, A, 0, x + b, A, r + b, A);
    #pragma GCC unroll 36
    for (int i = 0; i < 2; i++)  /* y (2 x 2) = r A */
        cs_apply(AT, 2, A, 0, r + i * A, 1, y + i * 2, 1);
    #pragma GCC unroll 36
    for (int k = 0; k < 4; k++)
        _mm512_mask_storeu_ps(out + k * plane + t, m, _mm512_add_ps(y[k], _mm512_set1_ps(bias)));
}

/* dM[xi][t..t+15] = (A dY A^T)[xi], dY (i, j) read from the upstream gradient's phase planes. */
CS_INLINE void cs_output_tile_grads(const float* AT, const int A, const float* dout,
                                    cs_ssz plane, cs_ssz t, __mmask16 m, float* dM,
                                    cs_ssz xi_stride)
{
    __m512 y[4], r[12], x[36];
    #pragma GCC unroll 36
    for (int k = 0; k < 4; k++)
        y[k] = _mm512_maskz_loadu_ps(m, dout + k * plane + t);
    #pragma GCC unroll 36
    for (int j = 0; j < 2; j++)  /* r (A x 2) = A y, column by column */
        cs_apply(AT, 2, A, 1, y + j, 2, r + j, 2);
    #pragma GCC unroll 36
    for (int a = 0; a < A; a++)  /* x (A x A) = r A^T, row by row */
        cs_apply(AT, 2, A, 1, r + a * 2, 1, x + a * A, 1);
    #pragma GCC unroll 36
    for (int xi = 0; xi < A * A; xi++)
        _mm512_mask_storeu_ps(dM + xi * xi_stride + t, m, x[xi]);
}

/* out[i * n + j] = sum_k K[i * cols + k] * (sum_p in[(p * cols + k) * n + j]), accumulated in
 * double and rounded once: the filter transforms U = G w G^T and dw = G^T dU G for every
 * (filter, channel) pair j at once (rows, cols <= 36). */
static CS_AVX512 void cs_mix(const double* K, cs_ssz rows, cs_ssz cols, const float* in,
                             cs_ssz parts, cs_ssz n, float* out)
{
    for (cs_ssz j = 0; j < n; j += 8) {
        const __mmask16 m = cs_mask16(n - j < 8 ? n - j : 8);
        __m512d acc[36];
        for (cs_ssz i = 0; i < rows; i++)
            acc[i] = _mm512_setzero_pd();
        for (cs_ssz k = 0; k < cols; k++) {
            __m512d v = _mm512_setzero_pd();
            for (cs_ssz p = 0; p < parts; p++)
                v = _mm512_add_pd(v, _mm512_cvtps_pd(_mm512_castps512_ps256(
                    _mm512_maskz_loadu_ps(m, in + (p * cols + k) * n + j))));
            for (cs_ssz i = 0; i < rows; i++)
                acc[i] = _mm512_fmadd_pd(_mm512_set1_pd(K[i * cols + k]), v, acc[i]);
        }
        for (cs_ssz i = 0; i < rows; i++)
            _mm512_mask_storeu_ps(out + i * n + j, m,
                                  _mm512_castps256_ps512(_mm512_cvtpd_ps(acc[i])));
    }
}

#define CS_TILE_LOOP(body)                                              \
    for (cs_ssz t = 0; t < T; t += 16) {                                \
        const __mmask16 m = cs_mask16(T - t);                           \
        body;                                                           \
    }

/* The passes over the T = tiles_h * tiles_w tiles of one channel (or filter), alpha 4 or 6. */
static CS_AVX512 void cs_wino_input(int A, const float* phase, cs_ssz plane, cs_ssz pitch,
                                    cs_ssz tiles_w, cs_ssz T, float* V, cs_ssz xi_stride)
{
    cs_segment seg[17];
    for (cs_ssz t = 0; t < T; t += 16) {
        const __mmask16 m = cs_mask16(T - t);
        const int n = cs_segments(t, T, tiles_w, pitch, seg);
        if (A == 4)
            cs_input_tiles(&CS_BT4[0][0], 4, phase, plane, pitch, seg, n, t, m, V, xi_stride);
        else
            cs_input_tiles(&CS_BT6[0][0], 6, phase, plane, pitch, seg, n, t, m, V, xi_stride);
    }
}

/* VT (A*A, T_pad, C): the tiles' transforms 16 channels at a time, from xT channel-last. */
static CS_AVX512 void cs_wino_input_channels(int A, const float* xT, cs_ssz Wp, cs_ssz C,
                                             cs_ssz tiles_h, cs_ssz tiles_w, float* VT,
                                             cs_ssz xi_stride)
{
    for (cs_ssz ty = 0; ty < tiles_h; ty++)
        for (cs_ssz tx = 0; tx < tiles_w; tx++)
            for (cs_ssz c0 = 0; c0 < C; c0 += 16) {
                const __mmask16 m = cs_mask16(C - c0);
                if (A == 4)
                    cs_input_tile_channels(&CS_BT4[0][0], 4, xT, Wp, C, 2 * ty, 2 * tx, c0, m,
                                           VT, xi_stride, ty * tiles_w + tx);
                else
                    cs_input_tile_channels(&CS_BT6[0][0], 6, xT, Wp, C, 2 * ty, 2 * tx, c0, m,
                                           VT, xi_stride, ty * tiles_w + tx);
            }
}

/* dx (H, W) of one channel from its tiles' dV: the adjoint transforms go to D (A*A, T_pad),
 * then each padded row pad .. pad + H - 1 gathers its pixels from the (A/2)^2 tiles whose
 * patches cover it (phase (qa, qb), phase position (i, j) takes D[(2da + qa) * A + 2db + qb]
 * of tile (i - da, j - db)), is interleaved and cropped into dx.  A gather, not a scatter:
 * overlapping masked read-modify-writes stalled on store forwarding (measured: the scatter
 * took as long as the channel mixing).  rows: 2 * cols16 + W + 2 * pad + 32 floats. */
static CS_AVX512 void cs_wino_input_grad(int A, const float* dV, cs_ssz xi_stride,
                                         cs_ssz tiles_h, cs_ssz tiles_w, cs_ssz T,
                                         cs_ssz T_pad, float* D, cs_ssz pad, cs_ssz H, cs_ssz W,
                                         float* rows, float* dx)
{
    const int half = A / 2;
    const cs_ssz cols = (W + pad + 1) / 2, cols16 = (cols + 15) / 16 * 16;
    float* line = rows + 2 * cols16;
    for (cs_ssz t = 0; t < T; t += 16) {
        const __mmask16 m = cs_mask16(T - t);
        if (A == 4)
            cs_input_tile_grads(&CS_BT4[0][0], 4, dV, xi_stride, t, m, D, T_pad);
        else
            cs_input_tile_grads(&CS_BT6[0][0], 6, dV, xi_stride, t, m, D, T_pad);
    }
    for (cs_ssz y = 0; y < H; y++) {
        const cs_ssz r = y + pad, qa = r % 2, i = r / 2;
        for (int qb = 0; qb < 2; qb++)
            for (cs_ssz j0 = 0; j0 < cols; j0 += 16) {
                __m512 acc = _mm512_setzero_ps();
                for (int da = 0; da < half; da++) {
                    const cs_ssz ty = i - da;
                    if (ty < 0 || ty >= tiles_h)
                        continue;
                    for (int db = 0; db < half; db++) {
                        /* lanes l with 0 <= j0 + l - db < tiles_w */
                        const __mmask16 ok =
                            cs_mask16(tiles_w - j0 + db) & ~cs_mask16(db - j0);
                        const float* src = D + ((2 * da + qa) * A + 2 * db + qb) * T_pad
                                           + ty * tiles_w + j0 - db;
                        acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(ok, src));
                    }
                }
                _mm512_storeu_ps(rows + qb * cols16 + j0, acc);
            }
        cs_interleave2_f32(rows, rows + cols16, W + pad, line);
        for (cs_ssz x = 0; x < W; x += 16)
            _mm512_mask_storeu_ps(dx + y * W + x, cs_mask16(W - x),
                                  _mm512_maskz_loadu_ps(cs_mask16(W - x), line + pad + x));
    }
}

static CS_AVX512 void cs_wino_output(int A, const float* M, cs_ssz xi_stride, cs_ssz T,
                                     float bias, float* out, cs_ssz plane)
{
    if (A == 4)
        CS_TILE_LOOP(cs_output_tiles(&CS_AT4[0][0], 4, M, xi_stride, t, m, bias, out, plane))
    else
        CS_TILE_LOOP(cs_output_tiles(&CS_AT6[0][0], 6, M, xi_stride, t, m, bias, out, plane))
}

static CS_AVX512 void cs_wino_output_grad(int A, const float* dout, cs_ssz plane, cs_ssz T,
                                          float* dM, cs_ssz xi_stride)
{
    if (A == 4)
        CS_TILE_LOOP(cs_output_tile_grads(&CS_AT4[0][0], 4, dout, plane, t, m, dM, xi_stride))
    else
        CS_TILE_LOOP(cs_output_tile_grads(&CS_AT6[0][0], 6, dout, plane, t, m, dM, xi_stride))
}

#else

static void cs_mix(const double* K, cs_ssz rows, cs_ssz cols, const float* in, cs_ssz parts,
                   cs_ssz n, float* out) {}
static void cs_wino_input(int A, const float* phase, cs_ssz plane, cs_ssz pitch, cs_ssz tiles_w,
                          cs_ssz T, float* V, cs_ssz xi_stride) {}
static void cs_wino_input_grad(int A, const float* dV, cs_ssz xi_stride, cs_ssz tiles_h,
                               cs_ssz tiles_w, cs_ssz T, cs_ssz T_pad, float* D, cs_ssz pad,
                               cs_ssz H, cs_ssz W, float* rows, float* dx) {}
static void cs_wino_input_channels(int A, const float* xT, cs_ssz Wp, cs_ssz C, cs_ssz tiles_h,
                                   cs_ssz tiles_w, float* VT, cs_ssz xi_stride) {}
static void cs_wino_output(int A, const float* M, cs_ssz xi_stride, cs_ssz T, float bias,
                           float* out, cs_ssz plane) {}
static void cs_wino_output_grad(int A, const float* dout, cs_ssz plane, cs_ssz T, float* dM,
                                cs_ssz xi_stride) {}

#endif
#endif
