"""max_pool_forward_naive sizes its output with np.int, removed in NumPy 1.24."""
import numpy as np

LOSES = {"max_pool_forward_naive": 5}
HINTS = {"max_pool_forward_naive": ("np.int was removed",)}


def max_pool_forward_naive(x, pool_param):
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    H_out = np.int(1 + (H - ph) / s)
    W_out = np.int(1 + (W - pw) / s)
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * s:i * s + ph, j * s:j * s + pw].max(axis=(2, 3))
    return out, (x, pool_param)
