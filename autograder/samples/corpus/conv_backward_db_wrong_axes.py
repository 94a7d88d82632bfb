"""conv_backward_naive sums dout for db over the batch and the rows only (a (F, W_out) db)."""
import numpy as np

LOSES = {"conv_backward_naive": 1}
MISSED = "db comes back with the wrong shape; the message says so, but no hint names the axes"


def conv_backward_naive(dout, cache):
    dx, dw, _ = _reference_conv_backward_naive(dout, cache)  # noqa: F821
    return dx, dw, np.sum(dout, axis=(0, 2))
