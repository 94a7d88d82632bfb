"""max_pool_backward_naive writes dx at each window's argmax with = instead of +=."""
import numpy as np

LOSES = {"max_pool_backward_naive": 1.5}
HINTS = {"max_pool_backward_naive": ("add both gradients (+=)",)}


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * s:i * s + ph, j * s:j * s + pw]
                    a, b = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * s + a, j * s + b] = dout[n, c, i, j]
    return dx
