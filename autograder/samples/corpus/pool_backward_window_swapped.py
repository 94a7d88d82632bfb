"""max_pool_backward_naive takes pool_width rows and pool_height columns."""
import numpy as np

LOSES = {"max_pool_backward_naive": 1}
HINTS = {"max_pool_backward_naive": ("square windows only",)}


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x[:, :, i * s:i * s + pw, j * s:j * s + ph]
            mask = window == window.max(axis=(2, 3), keepdims=True)
            dx[:, :, i * s:i * s + pw, j * s:j * s + ph] += mask * dout[:, :, i, j][:, :, None, None]
    return dx
