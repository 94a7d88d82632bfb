"""Find the BLAS that NumPy itself uses, so the compiled kernels can call GEMM per image.

NumPy's Linux and Windows wheels bundle OpenBLAS (scipy-openblas, 64-bit integers).  Its CBLAS
``?gemm`` are looked up by name and handed to ``cs231n_fast._conv`` by address; inside the
kernels' OpenMP loop every thread then multiplies its own image's columns.  OpenBLAS is held
to one thread for the duration of such a loop (``single_threaded``), so one thread pool does
all the work instead of two pools taking turns on the same cores.
OpenBLAS's own worker threads spin for a while (about 0.1 s) after every multi-threaded call
before they sleep.  On a 2-core machine a spinning worker takes a core from the next OpenMP
loop of ours (measured: the convnet's convolution and Adam twice as slow right after the
affine layers' matrix products), so the kernels park them first (``park_workers``); OpenBLAS
starts them again at its next multi-threaded call, which costs microseconds.
Where the symbols cannot be found (macOS Accelerate, a NumPy built against another BLAS) or
``CS231N_FAST_NO_BLAS=1`` is set, the convolution falls back to NumPy's matmul on cache-sized
chunks: correct everywhere, slower with several threads.
"""

import contextlib
import ctypes
import glob
import os
import threading

import numpy as np

from . import _conv

# (dgemm, sgemm, get_num_threads, set_num_threads), ILP64 builds only (64-bit integers).
_SYMBOL_SETS = (
    ("scipy_cblas_dgemm64_", "scipy_cblas_sgemm64_",
     "scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
    ("cblas_dgemm64_", "cblas_sgemm64_", "openblas_get_num_threads64_",
     "openblas_set_num_threads64_"),
)
_PATTERNS = ("*openblas*64*.so*", "*openblas*64*.dll", "*openblas*64*.dylib")
_lock = threading.Lock()
_get_threads = _set_threads = _shutdown = None


def _candidate_libraries():
    package = os.path.dirname(np.__file__)
    for folder in (os.path.join(os.path.dirname(package), "numpy.libs"),
                   os.path.join(package, ".dylibs")):
        for pattern in _PATTERNS:
            yield from sorted(glob.glob(os.path.join(folder, pattern)))


def bind():
    """Bind NumPy's OpenBLAS to the kernels; True when the fused path is available."""
    global _get_threads, _set_threads, _shutdown
    _conv.bind_blas(0, 0)
    if os.environ.get("CS231N_FAST_NO_BLAS", "") not in ("", "0"):
        return False
    for path in _candidate_libraries():
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for dgemm, sgemm, get_threads, set_threads in _SYMBOL_SETS:
            try:
                addresses = [ctypes.cast(getattr(library, name), ctypes.c_void_p).value
                             for name in (dgemm, sgemm)]
                _get_threads = getattr(library, get_threads)
                _set_threads = getattr(library, set_threads)
            except AttributeError:
                continue
            _get_threads.restype, _get_threads.argtypes = ctypes.c_int, []
            _set_threads.restype, _set_threads.argtypes = None, [ctypes.c_int]
            _conv.bind_blas(*addresses)
            # exported for OpenBLAS's own fork handler; absent from some builds
            _shutdown = getattr(library, "blas_thread_shutdown_", None)
            if _shutdown is not None:
                _shutdown.restype, _shutdown.argtypes = ctypes.c_int, []
            return True
    return False


def park_workers():
    """Stop OpenBLAS's idle worker threads (if any) before an OpenMP loop of ours.

    Not to be called while another Python thread is inside a multi-threaded BLAS call.
    """
    if _shutdown is not None:
        with _lock:
            _shutdown()


@contextlib.contextmanager
def single_threaded():
    """OpenBLAS on one thread inside the block (process-wide), restored afterwards, its
    workers parked on both sides (``park_workers``).

    Changing OpenBLAS's thread count starts its workers again (they then spin), so the
    workers are parked after each change, not before.
    """
    with _lock:
        previous = _get_threads()
        if previous != 1:
            _set_threads(1)
        if _shutdown is not None:
            _shutdown()
        try:
            yield
        finally:
            if previous != 1:
                _set_threads(previous)
            if _shutdown is not None:
                _shutdown()


FUSED = bind()
