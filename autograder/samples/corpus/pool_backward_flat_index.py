"""max_pool_backward_naive walks flat output positions with divmod(idx, H_out) (right:
W_out): invisible on square outputs."""
import numpy as np

LOSES = {"max_pool_backward_naive": 1}
HINTS = {"max_pool_backward_naive": ("right only when H_out == W_out",)}


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    for idx in range(H_out * W_out):
        i, j = divmod(idx, H_out)
        window = x[:, :, i * s:i * s + ph, j * s:j * s + pw]
        mask = window == window.max(axis=(2, 3), keepdims=True)
        dx[:, :, i * s:i * s + ph, j * s:j * s + pw] += mask * dout[:, :, i, j][:, :, None, None]
    return dx
