"""max_pool_forward_naive moves its window one pixel at a time."""
import numpy as np

LOSES = {"max_pool_forward_naive": 5}
HINTS = {"max_pool_forward_naive": ("windows must move by the stride",)}


def max_pool_forward_naive(x, pool_param):
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H - ph) // s, 1 + (W - pw) // s
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    out[n, c, i, j] = np.max(x[n, c, i:i + ph, j:j + pw])
    return out, (x, pool_param)
