"""Compiled fast layers for the CS231n convolutional-networks assignment.

Same contract as the naive layers in ``cs231n.layers``: ``*_forward_fast(...) -> (out, cache)``
and ``*_backward_fast(dout, cache) -> grads``, float32 or float64 in, same dtype out.
Convolution on a CPU with AVX-512 runs as direct kernels without im2col (``direct.py``,
``_direct.h``, float32 and float64), except 3x3 and 5x5 stride-1 filters over enough channels:
in float32 Winograd F(2x2, 3x3) and F(2x2, 5x5) (``winograd512.py``), in float64 (3x3 only)
Winograd on BLAS (``conv.avx512_path`` decides).  Without AVX-512 it runs as im2col fused with
one GEMM per image inside an OpenMP loop (NumPy's own OpenBLAS, see ``cs231n_fast.blas``), 3x3
stride-1 filters as Winograd F(2x2, 3x3) on BLAS (``winograd.py``).  Pooling is a direct
kernel for any window and stride; ``conv_relu_pool_*_fast`` fuse the three for the convnet's
sandwich layer.
``adam_step`` is Adam in one multi-threaded pass (``cs231n.optim.adam`` uses it when built).
Inputs are validated in Python (``conv.py``, ``pool.py``, ``optim.py``) and never modified.
Threads: ``set_num_threads(n)`` / ``limit(n)``, passed to every kernel explicitly
(``cs231n_fast.threads``; default OMP_NUM_THREADS, else the cores this process may use).
May import NumPy (and, by address, NumPy's own OpenBLAS) only: it ships in the student release.
"""

import os

from .threads import openmp_defaults

# Before the kernels load libgomp, which reads them once (see threads.openmp_defaults).
os.environ.update(openmp_defaults(os.environ))

try:
    from . import (  # noqa: F401  (compiled)
        _conv,
        _direct,
        _optim,
        _pool,
        _sandwich,
        _winograd,
        _winograd512,
    )
except ImportError:  # pragma: no cover - exercised only on an unbuilt checkout
    # Python's own message for a missing compiled module blames a circular import: replace it.
    raise ImportError(
        "The fast layers are not built: cs231n_fast has no compiled kernels for this Python. "
        "In a terminal, in the assignment folder (the one holding setup.py), run "
        "`pip install -e .` with the Python your notebook kernel uses, then restart the kernel."
    ) from None

from .conv import col2im, conv_backward_fast, conv_forward_fast, im2col
from .optim import adam_step
from .pool import max_pool_backward_fast, max_pool_forward_fast
from .sandwich import conv_relu_pool_backward_fast, conv_relu_pool_forward_fast
from .threads import get_num_threads, limit, set_num_threads

__all__ = [
    "adam_step",
    "col2im",
    "conv_backward_fast",
    "conv_forward_fast",
    "conv_relu_pool_backward_fast",
    "conv_relu_pool_forward_fast",
    "get_num_threads",
    "im2col",
    "limit",
    "max_pool_backward_fast",
    "max_pool_forward_fast",
    "set_num_threads",
]
