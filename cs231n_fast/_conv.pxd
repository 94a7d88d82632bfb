"""The convolution helpers shared by _conv.pyx and _sandwich.pyx (defined in _conv.pyx)."""

from cython cimport floating
from libc.stdint cimport int64_t

cdef enum:
    # CBLAS constants
    ROW_MAJOR = 101
    NO_TRANS = 111
    TRANS = 112

cdef void _im2col_plane(const floating* x, Py_ssize_t H, Py_ssize_t W,
                        floating* cols, Py_ssize_t ld,
                        Py_ssize_t HH, Py_ssize_t WW, Py_ssize_t stride, Py_ssize_t pad,
                        Py_ssize_t H_out, Py_ssize_t W_out) noexcept nogil

cdef void _col2im_plane(const floating* cols, Py_ssize_t ld, floating* dx,
                        Py_ssize_t H, Py_ssize_t W,
                        Py_ssize_t HH, Py_ssize_t WW, Py_ssize_t stride, Py_ssize_t pad,
                        Py_ssize_t H_out, Py_ssize_t W_out) noexcept nogil

cdef void _gemm(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                const floating* a, int64_t lda, const floating* b, int64_t ldb,
                floating beta, floating* c, int64_t ldc) noexcept nogil
