"""max_pool_backward_naive sends the upstream gradient to every cell of the window."""
import numpy as np

LOSES = {"max_pool_backward_naive": 6}
HINTS = {"max_pool_backward_naive": ("only the cell that held the window's maximum",)}


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dx[:, :, i * s:i * s + ph, j * s:j * s + pw] += dout[:, :, i, j][:, :, None, None]
    return dx
