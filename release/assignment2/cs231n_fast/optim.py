"""Fused Adam step: the validated Python layer over ``cs231n_fast._optim``.

``cs231n.optim.adam`` calls :func:`adam_step` when this package is built; the arithmetic is
torch.optim.Adam's, in its order, done in one multi-threaded pass that writes new arrays.
"""

import math
import numbers

import numpy as np

from . import _checks, blas
from ._optim import adam_into
from .threads import get_num_threads

# adam_into's threshold for going multi-threaded (a smaller step runs on the calling thread)
PARALLEL_MIN = 65536


def _real(name, value, low=None, high=None):
    """``value`` as a finite Python float in [low, high), or ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    if (low is not None and value < low) or (high is not None and value >= high):
        raise ValueError(f"{name} must be in [{low}, {high}), got {value!r}")
    return float(value)


def adam_step(w, dw, m, v, learning_rate, beta1, beta2, epsilon, t):
    """One Adam step, bias-corrected for step number ``t``, as ``torch.optim.Adam`` does it::

        m' = beta1 * m + (1 - beta1) * dw
        v' = beta2 * v + (1 - beta2) * dw * dw
        w' = w - learning_rate / (1 - beta1**t) * m' / (sqrt(v') / sqrt(1 - beta2**t) + epsilon)

    Parameters
    ----------
    w : ndarray, any shape, float32 or float64
        Current weights.
    dw, m, v : ndarray, shape and dtype of ``w``
        Gradient, first and second moment estimates after step ``t - 1``.
    learning_rate, epsilon : float, >= 0
    beta1, beta2 : float, in [0, 1)
    t : int, >= 1
        Number of this step (incremented by the caller before the call).

    Returns
    -------
    next_w, next_m, next_v : ndarray, shape and dtype of ``w``
        New arrays; the inputs are never modified.
    """
    w = np.asarray(w)
    if w.dtype not in _checks.SUPPORTED_DTYPES:
        raise ValueError(f"w must be float32 or float64, got dtype {w.dtype}")
    arrays = {"dw": np.asarray(dw), "m": np.asarray(m), "v": np.asarray(v)}
    for name, array in arrays.items():
        if array.shape != w.shape:
            raise ValueError(f"{name} has shape {array.shape} but w has shape {w.shape}")
        if array.dtype != w.dtype:
            raise ValueError(f"{name} has dtype {array.dtype} but w has dtype {w.dtype}")
    learning_rate = _real("learning_rate", learning_rate, low=0.0)
    beta1 = _real("beta1", beta1, 0.0, 1.0)
    beta2 = _real("beta2", beta2, 0.0, 1.0)
    epsilon = _real("epsilon", epsilon, low=0.0)
    t = _checks.check_int("t", t)

    flat = [np.ascontiguousarray(a).reshape(-1) for a in (w, *arrays.values())]  # views if C
    next_w, next_m, next_v = (np.empty(w.shape, dtype=w.dtype) for _ in range(3))
    if w.size >= PARALLEL_MIN:
        blas.park_workers()  # a spinning OpenBLAS worker would halve this memory-bound loop
    adam_into(*flat, next_w.reshape(-1), next_m.reshape(-1), next_v.reshape(-1),
              learning_rate, beta1, beta2, epsilon, int(t), get_num_threads())
    return next_w, next_m, next_v
