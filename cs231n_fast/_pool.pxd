"""The pooling plane kernels shared by _pool.pyx and _sandwich.pyx (defined in _pool.pyx)."""

from cython cimport floating

cdef void _pool_plane(const floating* x, Py_ssize_t W, floating* out, int* argmax,
                      Py_ssize_t H_out, Py_ssize_t W_out, Py_ssize_t pool_height,
                      Py_ssize_t pool_width, Py_ssize_t stride) noexcept nogil

cdef void _pool_plane_2x2(const floating* x, Py_ssize_t W, floating* out, int* argmax,
                          Py_ssize_t H_out, Py_ssize_t W_out) noexcept nogil
