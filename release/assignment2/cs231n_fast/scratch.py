"""Scratch buffers of the AVX-512 kernels, kept per Python thread and reused across calls.

A training step calls the same convolutions with the same shapes again and again; allocating
their scratch afresh each time cost a page fault per 4 KiB touched (measured: about 0.3 ms of
a 5x5 backward pass of 8 ms).  ``buffer(key, shape, zeroed)`` returns the array made the
first time for exactly that key and shape.

Invariants: a buffer asked for ``zeroed`` was zero when made, and every user of a key writes
the same positions each call (the key carries the whole geometry), so positions no call
writes (the kernels' zero padding) stay zero.  Buffers are per thread (threading.local), so
two Python threads never share one; at most MAX_BUFFERS live per thread (least recently used
dropped first).
"""

import threading
from collections import OrderedDict

import numpy as np

MAX_BUFFERS = 32
_local = threading.local()


def buffer(key, shape, zeroed=False, dtype=np.float32):
    """The thread's buffer for (key, shape), made (zero-filled if zeroed) on first use."""
    cache = getattr(_local, "buffers", None)
    if cache is None:
        cache = _local.buffers = OrderedDict()
    full_key = (key, tuple(int(s) for s in shape), bool(zeroed), np.dtype(dtype).str)
    found = cache.get(full_key)
    if found is not None:
        cache.move_to_end(full_key)
        return found
    made = np.zeros(shape, dtype=dtype) if zeroed else np.empty(shape, dtype=dtype)
    cache[full_key] = made
    while len(cache) > MAX_BUFFERS:
        cache.popitem(last=False)
    return made


def clear():
    """Drop this thread's buffers."""
    getattr(_local, "buffers", OrderedDict()).clear()
