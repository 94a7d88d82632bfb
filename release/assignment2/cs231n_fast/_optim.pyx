"""Fused optimizer steps: one pass over memory instead of one NumPy pass per operation.

Adam on the convnet's 4M-weight hidden layer is memory-bound: NumPy reads and writes the
16 MB arrays about eight times per step on one thread.  Here every element is read once
(w, dw, m, v) and written once (w', m', v'), split over OpenMP threads in contiguous chunks.
The validated Python layer is ``cs231n_fast.optim``; arrays arrive flattened and contiguous.
"""

from cython cimport floating
from cython.parallel cimport prange
from libc.math cimport sqrt, sqrtf

cdef enum:
    # Elements per chunk: a static schedule hands each thread neighbouring chunks, each one
    # a vectorisable loop over 64 KiB of every float32 array.
    CHUNK = 16384
    # Below this many elements a serial loop beats waking the threads (biases, small layers).
    PARALLEL_MIN = 65536


cdef inline void _adam_span(const floating* w, const floating* dw, const floating* m,
                            const floating* v, floating* w_out, floating* m_out,
                            floating* v_out, Py_ssize_t start, Py_ssize_t stop,
                            floating beta1, floating one_minus_beta1, floating beta2,
                            floating one_minus_beta2, floating sqrt_correction2,
                            floating epsilon, floating step_size) noexcept nogil:
    """torch.optim.Adam's arithmetic on elements [start, stop), in its order."""
    cdef Py_ssize_t i
    cdef floating g, m_new, v_new, denom
    for i in range(start, stop):
        g = dw[i]
        m_new = beta1 * m[i] + one_minus_beta1 * g
        v_new = beta2 * v[i] + one_minus_beta2 * g * g  # (1-b2)*g first, as addcmul
        if floating is float:
            denom = sqrtf(v_new) / sqrt_correction2 + epsilon
        else:
            denom = sqrt(v_new) / sqrt_correction2 + epsilon
        m_out[i] = m_new
        v_out[i] = v_new
        w_out[i] = w[i] - step_size * (m_new / denom)


def adam_into(const floating[::1] w, const floating[::1] dw, const floating[::1] m,
              const floating[::1] v, floating[::1] w_out, floating[::1] m_out,
              floating[::1] v_out, double learning_rate, double beta1, double beta2,
              double epsilon, long t,
              int n_threads):
    """Write one Adam step (step number t >= 1) of flat w, dw, m, v into w_out, m_out, v_out.

    All seven arrays have one length; the inputs are only read.  Hyperparameters are rounded
    to the arrays' dtype first, as NumPy and torch do with Python scalars.
    """
    cdef Py_ssize_t size = w.shape[0], chunk, n_chunks, start, stop
    cdef floating b1 = <floating>beta1, b2 = <floating>beta2
    cdef floating omb1 = <floating>(1.0 - beta1), omb2 = <floating>(1.0 - beta2)
    cdef floating sqrt_c2 = <floating>sqrt(1.0 - beta2 ** t)
    cdef floating eps = <floating>epsilon
    cdef floating step_size = <floating>(learning_rate / (1.0 - beta1 ** t))
    if size == 0:
        return
    if size < PARALLEL_MIN:
        with nogil:
            _adam_span(&w[0], &dw[0], &m[0], &v[0], &w_out[0], &m_out[0], &v_out[0],
                       0, size, b1, omb1, b2, omb2, sqrt_c2, eps, step_size)
        return
    n_chunks = (size + CHUNK - 1) // CHUNK
    for chunk in prange(n_chunks, nogil=True, schedule="static", num_threads=n_threads):
        start = chunk * CHUNK
        stop = start + CHUNK
        if stop > size:
            stop = size
        _adam_span(&w[0], &dw[0], &m[0], &v[0], &w_out[0], &m_out[0], &v_out[0],
                   start, stop, b1, omb1, b2, omb2, sqrt_c2, eps, step_size)
