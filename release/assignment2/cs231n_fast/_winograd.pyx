"""Winograd F(2x2, 3x3) convolution (3x3 filters, stride 1): forward, data and filter gradient.

Lavin and Gray (2016): every 2x2 output tile is Y = A^T [U (.) V] A, where U = G g G^T is the
transformed 3x3 filter and V = B^T d B the transformed 4x4 input patch; summed over channels,
each of the 16 positions xi of the 4x4 transform becomes one GEMM, with 2.25x fewer
multiplications than im2col.  The gradients are the adjoints of the same linear maps:
    dM = A dY A^T,   dU = sum over tiles of dM V^T,   dV = U^T dM,   dd = B dV B^T.
Shapes (the validated Python layer in ``cs231n_fast.winograd`` calls these):
    x      (N, C, H, W)           input;  out, dout (N, F, H_out, W_out)
    U, dU  (16, F, C)             transformed filters (the Python layer applies G)
    V, dV  (16, C*T + 16)         transformed input patches of a group of images, T tiles:
                                  V[xi] is (C, T); the 16 extra elements keep the 16 blocks
                                  off the same cache sets (C*T*4 bytes is often 64 KiB, and
                                  the transforms read or write all 16 blocks at once)
    M, dM  (16, F*T + 16)         products before the output transform, M[xi] (F, T)
    plane  (H_pad, W_pad)         one zero-padded input (or dx) plane, H_pad = 2*tiles_h + 2
Each thread transforms a group of images (enough tiles for cache-sized GEMMs) in its own
buffers.  Groups go to threads statically in the backward pass, so the partial filter
gradients are the same from run to run.
"""

from cython.parallel cimport parallel, prange, threadid

from cython cimport floating

from cs231n_fast._conv cimport NO_TRANS, TRANS, _gemm

cdef enum:
    SKEW = 16  # elements between consecutive transform positions' blocks, see above


cdef void _pad_plane(const floating* x, Py_ssize_t H, Py_ssize_t W, Py_ssize_t pad,
                     floating* plane, Py_ssize_t H_pad, Py_ssize_t W_pad) noexcept nogil:
    """plane (H_pad, W_pad) = x (H, W) moved down and right by pad, zeros elsewhere."""
    cdef Py_ssize_t i, j
    for i in range(H_pad * W_pad):
        plane[i] = 0
    for i in range(H):
        for j in range(W):
            plane[(i + pad) * W_pad + j + pad] = x[i * W + j]


cdef void _input_tiles(const floating* plane, Py_ssize_t W_pad, Py_ssize_t tiles_h,
                       Py_ssize_t tiles_w, floating* V, Py_ssize_t stride_xi) noexcept nogil:
    """V[xi * stride_xi + t] = (B^T d B)[xi] for each tile t of the padded plane."""
    cdef Py_ssize_t ty, tx, i, t = 0
    cdef const floating* d
    cdef floating r[4][4]
    for ty in range(tiles_h):
        for tx in range(tiles_w):
            d = plane + 2 * ty * W_pad + 2 * tx
            for i in range(4):  # rows of B^T d
                r[0][i] = d[i] - d[2 * W_pad + i]
                r[1][i] = d[W_pad + i] + d[2 * W_pad + i]
                r[2][i] = d[2 * W_pad + i] - d[W_pad + i]
                r[3][i] = d[W_pad + i] - d[3 * W_pad + i]
            for i in range(4):  # (B^T d) B
                V[(4 * i + 0) * stride_xi + t] = r[i][0] - r[i][2]
                V[(4 * i + 1) * stride_xi + t] = r[i][1] + r[i][2]
                V[(4 * i + 2) * stride_xi + t] = r[i][2] - r[i][1]
                V[(4 * i + 3) * stride_xi + t] = r[i][1] - r[i][3]
            t = t + 1


cdef void _output_tiles(const floating* M, Py_ssize_t stride_xi, floating bias,
                        floating* out, Py_ssize_t H_out, Py_ssize_t W_out,
                        Py_ssize_t tiles_h, Py_ssize_t tiles_w) noexcept nogil:
    """out (H_out, W_out) = A^T m A + bias for each tile's m[xi] = M[xi * stride_xi + t]."""
    cdef Py_ssize_t ty, tx, i, j, t = 0
    cdef floating r[2][4]
    cdef floating y[2][2]
    for ty in range(tiles_h):
        for tx in range(tiles_w):
            for j in range(4):  # rows of A^T m
                r[0][j] = (M[j * stride_xi + t] + M[(4 + j) * stride_xi + t]
                           + M[(8 + j) * stride_xi + t])
                r[1][j] = (M[(4 + j) * stride_xi + t] - M[(8 + j) * stride_xi + t]
                           - M[(12 + j) * stride_xi + t])
            for i in range(2):  # (A^T m) A
                y[i][0] = r[i][0] + r[i][1] + r[i][2]
                y[i][1] = r[i][1] - r[i][2] - r[i][3]
            for i in range(2):
                if 2 * ty + i < H_out:
                    for j in range(2):
                        if 2 * tx + j < W_out:
                            out[(2 * ty + i) * W_out + 2 * tx + j] = y[i][j] + bias
            t = t + 1


cdef floating _output_tile_grads(const floating* dout, Py_ssize_t H_out, Py_ssize_t W_out,
                                 Py_ssize_t tiles_h, Py_ssize_t tiles_w, floating* dM,
                                 Py_ssize_t stride_xi) noexcept nogil:
    """dM[xi * stride_xi + t] = (A dy A^T)[xi] for each 2x2 tile dy of dout (H_out, W_out),
    zero beyond its edge; returns the sum of dout."""
    cdef Py_ssize_t ty, tx, i, j, t = 0
    cdef floating total = 0
    cdef floating dy[2][2]
    cdef floating r[4][2]
    for ty in range(tiles_h):
        for tx in range(tiles_w):
            for i in range(2):
                for j in range(2):
                    if 2 * ty + i < H_out and 2 * tx + j < W_out:
                        dy[i][j] = dout[(2 * ty + i) * W_out + 2 * tx + j]
                    else:
                        dy[i][j] = 0
                    total = total + dy[i][j]
            for j in range(2):  # rows of A dy
                r[0][j] = dy[0][j]
                r[1][j] = dy[0][j] + dy[1][j]
                r[2][j] = dy[0][j] - dy[1][j]
                r[3][j] = -dy[1][j]
            for i in range(4):  # (A dy) A^T
                dM[(4 * i + 0) * stride_xi + t] = r[i][0]
                dM[(4 * i + 1) * stride_xi + t] = r[i][0] + r[i][1]
                dM[(4 * i + 2) * stride_xi + t] = r[i][0] - r[i][1]
                dM[(4 * i + 3) * stride_xi + t] = -r[i][1]
            t = t + 1
    return total


cdef void _input_tile_grads(const floating* dV, Py_ssize_t stride_xi, floating* plane,
                            Py_ssize_t H_pad, Py_ssize_t W_pad, Py_ssize_t tiles_h,
                            Py_ssize_t tiles_w) noexcept nogil:
    """plane (H_pad, W_pad) = sum over tiles of B dV B^T at each tile's 4x4 patch."""
    cdef Py_ssize_t ty, tx, i, t = 0
    cdef floating v[4][4]
    cdef floating r[4][4]
    cdef floating* d
    for i in range(H_pad * W_pad):
        plane[i] = 0
    for ty in range(tiles_h):
        for tx in range(tiles_w):
            for i in range(16):
                v[i // 4][i % 4] = dV[i * stride_xi + t]
            for i in range(4):  # rows of B v
                r[0][i] = v[0][i]
                r[1][i] = v[1][i] - v[2][i] + v[3][i]
                r[2][i] = -v[0][i] + v[1][i] + v[2][i]
                r[3][i] = -v[3][i]
            d = plane + 2 * ty * W_pad + 2 * tx
            for i in range(4):  # (B v) B^T, added onto the patch
                d[i * W_pad + 0] += r[i][0]
                d[i * W_pad + 1] += r[i][1] - r[i][2] + r[i][3]
                d[i * W_pad + 2] += -r[i][0] + r[i][1] + r[i][2]
                d[i * W_pad + 3] += -r[i][3]
            t = t + 1


def winograd_forward(const floating[:, :, :, ::1] x, const floating[:, :, ::1] U,
                     const floating[::1] b, floating[:, :, :, ::1] out, floating[:, ::1] V,
                     floating[:, ::1] M, floating[:, ::1] planes, Py_ssize_t pad,
                     Py_ssize_t group,
                     int n_threads):
    """out (N, F, H_out, W_out) from x and U (16, F, C), ``group`` images per GEMM.

    V (threads, 16*C*T), M (threads, 16*F*T) and planes (threads, H_pad*W_pad) are scratch,
    T = group * tiles per image.  BLAS must be bound and held single-threaded by the caller.
    """
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t F = U.shape[1], H_out = out.shape[2], W_out = out.shape[3]
    cdef Py_ssize_t tiles_h = (H_out + 1) // 2, tiles_w = (W_out + 1) // 2
    cdef Py_ssize_t tiles = tiles_h * tiles_w, H_pad = 2 * tiles_h + 2, W_pad = 2 * tiles_w + 2
    cdef Py_ssize_t n_groups = (N + group - 1) // group, g, n, n0, count, T, c, f, xi, sv, sm
    cdef floating* v
    cdef floating* m
    cdef floating* plane
    with nogil, parallel(num_threads=n_threads):
        v = &V[threadid(), 0]
        m = &M[threadid(), 0]
        plane = &planes[threadid(), 0]
        for g in prange(n_groups, schedule="dynamic"):
            n0 = g * group
            count = N - n0 if N - n0 < group else group
            T = count * tiles
            sv = C * T + SKEW
            sm = F * T + SKEW
            for n in range(count):
                for c in range(C):
                    _pad_plane(&x[n0 + n, c, 0, 0], H, W, pad, plane, H_pad, W_pad)
                    _input_tiles(plane, W_pad, tiles_h, tiles_w, v + c * T + n * tiles, sv)
            for xi in range(16):
                # M[xi] (F, T) = U[xi] (F, C) @ V[xi] (C, T)
                _gemm(NO_TRANS, NO_TRANS, F, T, C, &U[xi, 0, 0], C, v + xi * sv, T,
                      0, m + xi * sm, T)
            for n in range(count):
                for f in range(F):
                    _output_tiles(m + f * T + n * tiles, sm, b[f], &out[n0 + n, f, 0, 0],
                                  H_out, W_out, tiles_h, tiles_w)


def winograd_backward(const floating[:, :, :, ::1] x, const floating[:, :, ::1] U,
                      const floating[:, :, :, ::1] dout, floating[:, :, :, ::1] dx,
                      floating[:, :, :, ::1] dU_partial, floating[:, ::1] db_partial,
                      floating[:, ::1] V, floating[:, ::1] dM, floating[:, ::1] dV,
                      floating[:, ::1] planes, Py_ssize_t pad, Py_ssize_t group,
                      int n_threads):
    """dx (N, C, H, W), per-thread partial dU (threads, 16, F, C) and db (threads, F), the
    partials zeroed by the caller; scratch as for winograd_forward, dV like V."""
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t F = U.shape[1], H_out = dout.shape[2], W_out = dout.shape[3]
    cdef Py_ssize_t tiles_h = (H_out + 1) // 2, tiles_w = (W_out + 1) // 2
    cdef Py_ssize_t tiles = tiles_h * tiles_w, H_pad = 2 * tiles_h + 2, W_pad = 2 * tiles_w + 2
    cdef Py_ssize_t n_groups = (N + group - 1) // group, g, n, n0, count, T, c, f, xi, t, i, j
    cdef Py_ssize_t sv, sm
    cdef floating* v
    cdef floating* dm
    cdef floating* dv
    cdef floating* plane
    with nogil, parallel(num_threads=n_threads):
        t = threadid()
        v = &V[t, 0]
        dm = &dM[t, 0]
        dv = &dV[t, 0]
        plane = &planes[t, 0]
        for g in prange(n_groups, schedule="static"):
            n0 = g * group
            count = N - n0 if N - n0 < group else group
            T = count * tiles
            sv = C * T + SKEW
            sm = F * T + SKEW
            for n in range(count):
                for c in range(C):
                    _pad_plane(&x[n0 + n, c, 0, 0], H, W, pad, plane, H_pad, W_pad)
                    _input_tiles(plane, W_pad, tiles_h, tiles_w, v + c * T + n * tiles, sv)
                for f in range(F):
                    db_partial[t, f] += _output_tile_grads(
                        &dout[n0 + n, f, 0, 0], H_out, W_out, tiles_h, tiles_w,
                        dm + f * T + n * tiles, sm)
            for xi in range(16):
                # dU[xi] (F, C) += dM[xi] (F, T) @ V[xi].T (T, C)
                _gemm(NO_TRANS, TRANS, F, C, T, dm + xi * sm, T, v + xi * sv, T,
                      1, &dU_partial[t, xi, 0, 0], C)
                # dV[xi] (C, T) = U[xi].T (C, F) @ dM[xi] (F, T)
                _gemm(TRANS, NO_TRANS, C, T, F, &U[xi, 0, 0], C, dm + xi * sm, T,
                      0, dv + xi * sv, T)
            for n in range(count):
                for c in range(C):
                    _input_tile_grads(dv + c * T + n * tiles, sv, plane, H_pad, W_pad,
                                      tiles_h, tiles_w)
                    for i in range(H):
                        for j in range(W):
                            dx[n0 + n, c, i, j] = plane[(i + pad) * W_pad + j + pad]
