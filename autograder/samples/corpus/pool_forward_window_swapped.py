"""max_pool_forward_naive takes pool_width rows and pool_height columns."""
import numpy as np

LOSES = {"max_pool_forward_naive": 1}
HINTS = {"max_pool_forward_naive": ("square windows only",)}


def max_pool_forward_naive(x, pool_param):
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H - ph) // s, 1 + (W - pw) // s
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = np.max(x[:, :, i * s:i * s + pw, j * s:j * s + ph], axis=(2, 3))
    return out, (x, pool_param)
