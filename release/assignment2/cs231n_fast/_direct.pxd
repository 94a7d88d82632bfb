"""The helper _direct.pyx shares with _winograd512.pyx (defined in _direct.pyx)."""

from cython cimport floating

cdef void _phase_planes(const floating* x, Py_ssize_t C, Py_ssize_t H, Py_ssize_t W,
                        Py_ssize_t s, Py_ssize_t pad, Py_ssize_t H_ph, Py_ssize_t W_ph,
                        floating* planes) noexcept nogil
