"""Max-pooling kernels for any window and stride (tiling or overlapping).

Shapes (the validated Python layer in ``cs231n_fast.pool`` calls these):
    x       (N, C, H, W)              input, C-contiguous
    out     (N, C, H_out, W_out)      window maxima
    argmax  (N, C, H_out, W_out)      int32 flat index h * W + w of each maximum in its plane

The forward pass records where each maximum is, so the backward pass is one scatter-add
per output pixel instead of a second search.  Work is split over the N * C planes: every
thread owns whole planes, so overlapping windows never race in the backward scatter.
Ties go to the first maximum in row-major order; a NaN in a window wins (as in np.max).
"""

from cython.parallel cimport prange

# floating and the plane helpers: _pool.pxd (shared with the fused sandwich kernels).


cdef inline bint _beats(floating v, floating best) noexcept nogil:
    """v replaces the running maximum: larger, or the first NaN (`v != v`) of the window."""
    return v > best or (v != v and best == best)


cdef inline floating _larger(floating a, floating b) noexcept nogil:
    # exactly x86's maxss/maxsd, so it compiles without a branch
    return a if a > b else b


cdef void _pool_plane(const floating* x, Py_ssize_t W, floating* out, int* argmax,
                      Py_ssize_t H_out, Py_ssize_t W_out, Py_ssize_t pool_height,
                      Py_ssize_t pool_width, Py_ssize_t stride) noexcept nogil:
    """Maxima and their flat indices for one plane x (H, W) -> out, argmax (H_out, W_out).

    Two passes per window, both free of data-dependent branches (on random data "is this
    larger?" mispredicts about every other time): the maximum from max instructions, then
    the first position holding it, in integer arithmetic.  NaN windows take a plain loop.
    """
    cdef Py_ssize_t ho, wo, i, j, at, best_at, hit, found, has_nan
    cdef floating best, v
    cdef const floating* window
    for ho in range(H_out):
        for wo in range(W_out):
            at = ho * stride * W + wo * stride
            window = x + at
            best = window[0]
            has_nan = 0
            for i in range(pool_height):
                for j in range(pool_width):
                    v = window[i * W + j]
                    best = _larger(v, best)
                    has_nan = has_nan | (v != v)
            best_at = at
            if has_nan:
                best = window[0]
                for i in range(pool_height):
                    for j in range(pool_width):
                        v = window[i * W + j]
                        if _beats(v, best):
                            best = v
                            best_at = at + i * W + j
            else:
                found = 0
                for i in range(pool_height):
                    for j in range(pool_width):
                        hit = (window[i * W + j] == best) & (1 - found)
                        best_at = best_at + hit * (i * W + j)
                        found = found | hit
            out[ho * W_out + wo] = best
            argmax[ho * W_out + wo] = <int>best_at


cdef void _pool_plane_2x2(const floating* x, Py_ssize_t W, floating* out, int* argmax,
                          Py_ssize_t H_out, Py_ssize_t W_out) noexcept nogil:
    """_pool_plane for the common 2x2 window with stride 2, without data-dependent branches.

    On random data "is this larger?" mispredicts about every other time; instead the maximum
    comes from max instructions and its position from integer selects (first match wins).
    NaN windows, rare, take the general path.
    """
    cdef Py_ssize_t ho, wo, at, best_at, is_a, is_b, is_c
    cdef floating a, b, c, d, best
    cdef const floating* top
    for ho in range(H_out):
        top = x + 2 * ho * W
        for wo in range(W_out):
            at = 2 * ho * W + 2 * wo
            a = top[2 * wo]
            b = top[2 * wo + 1]
            c = top[W + 2 * wo]
            d = top[W + 2 * wo + 1]
            if (a != a) | (b != b) | (c != c) | (d != d):
                _pool_plane(x + at, W, out + ho * W_out + wo, argmax + ho * W_out + wo,
                            1, 1, 2, 2, 2)
                argmax[ho * W_out + wo] += <int>at
                continue
            best = _larger(_larger(a, b), _larger(c, d))
            # first of a, b, c, d equal to the maximum, in integer arithmetic (no branches)
            is_a = a == best
            is_b = b == best
            is_c = c == best
            best_at = at + (1 - is_a) * (is_b + (1 - is_b) * (W + 1 - is_c))
            out[ho * W_out + wo] = best
            argmax[ho * W_out + wo] = <int>best_at


def max_pool_forward_into(const floating[:, :, ::1] x, floating[:, :, ::1] out,
                          int[:, :, ::1] argmax, Py_ssize_t pool_height, Py_ssize_t pool_width,
                          Py_ssize_t stride,
                          int n_threads):
    """x (P, H, W) planes -> out, argmax (P, H_out, W_out)."""
    cdef Py_ssize_t planes = x.shape[0], W = x.shape[2]
    cdef Py_ssize_t H_out = out.shape[1], W_out = out.shape[2], p
    cdef bint two_by_two = pool_height == 2 and pool_width == 2 and stride == 2
    if planes == 0 or H_out * W_out == 0:
        return
    for p in prange(planes, nogil=True, schedule="static", num_threads=n_threads):
        if two_by_two:
            _pool_plane_2x2(&x[p, 0, 0], W, &out[p, 0, 0], &argmax[p, 0, 0], H_out, W_out)
        else:
            _pool_plane(&x[p, 0, 0], W, &out[p, 0, 0], &argmax[p, 0, 0], H_out, W_out,
                        pool_height, pool_width, stride)


cdef void _unpool_plane(const floating* dout, const int* argmax, Py_ssize_t size,
                        floating* dx) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(size):
        dx[argmax[k]] += dout[k]


def max_pool_backward_into(const floating[:, :, ::1] dout, const int[:, :, ::1] argmax,
                           floating[:, ::1] dx,
                           int n_threads):
    """Scatter-add dout (P, H_out, W_out) into a zeroed dx (P, H * W) at argmax."""
    cdef Py_ssize_t planes = dout.shape[0], size = dout.shape[1] * dout.shape[2], p
    if planes == 0 or size == 0:
        return
    for p in prange(planes, nogil=True, schedule="static", num_threads=n_threads):
        _unpool_plane(&dout[p, 0, 0], &argmax[p, 0, 0], size, &dx[p, 0])


def relu_pool_forward_into(const floating[:, :, ::1] x, floating[:, :, ::1] out,
                           int[:, :, ::1] argmax, Py_ssize_t pool_height, Py_ssize_t pool_width,
                           Py_ssize_t stride,
                           int n_threads):
    """max_pool_forward_into, then the ReLU on the maxima: where a maximum is not above 0,
    out = 0 (NaN stays NaN, as np.maximum(NaN, 0)) and argmax = -1 (no gradient flows)."""
    cdef Py_ssize_t planes = x.shape[0], W = x.shape[2]
    cdef Py_ssize_t H_out = out.shape[1], W_out = out.shape[2], p, k
    cdef bint two_by_two = pool_height == 2 and pool_width == 2 and stride == 2
    cdef floating v
    if planes == 0 or H_out * W_out == 0:
        return
    for p in prange(planes, nogil=True, schedule="static", num_threads=n_threads):
        if two_by_two:
            _pool_plane_2x2(&x[p, 0, 0], W, &out[p, 0, 0], &argmax[p, 0, 0], H_out, W_out)
        else:
            _pool_plane(&x[p, 0, 0], W, &out[p, 0, 0], &argmax[p, 0, 0], H_out, W_out,
                        pool_height, pool_width, stride)
        for k in range(H_out * W_out):
            v = (&out[p, 0, 0])[k]
            if not (v > 0):
                (&argmax[p, 0, 0])[k] = -1
                if v == v:
                    (&out[p, 0, 0])[k] = 0


def relu_pool_backward_into(const floating[:, :, ::1] dout, const int[:, :, ::1] argmax,
                            floating[:, ::1] dx,
                            int n_threads):
    """dx (P, H * W) = dout (P, H_out, W_out) scattered to argmax where it is >= 0, zero
    elsewhere: each thread zeroes and fills whole planes (one pass, no separate zeroing)."""
    cdef Py_ssize_t planes = dout.shape[0], size = dout.shape[1] * dout.shape[2], p, k, at
    cdef Py_ssize_t plane = dx.shape[1]
    cdef floating* target
    if planes == 0:
        return
    for p in prange(planes, nogil=True, schedule="static", num_threads=n_threads):
        target = &dx[p, 0]
        for k in range(plane):
            target[k] = 0
        for k in range(size):
            at = (&argmax[p, 0, 0])[k]
            if at >= 0:
                target[at] += (&dout[p, 0, 0])[k]
