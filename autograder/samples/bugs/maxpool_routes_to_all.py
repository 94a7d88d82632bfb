"""max_pool_backward_naive sends the upstream gradient to every cell of the window.

Only the cell that held the maximum should receive it; this is the bug behind the
"dx error: 1.0" in one of the course write-ups.
"""
import numpy as np

LOSES = {"max_pool_backward_naive": 6}


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache[0], cache[1]
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    H_out, W_out = dout.shape[2:]
    dx = np.zeros_like(x)
    for i in range(H_out):
        for j in range(W_out):
            hs, ws = i * stride, j * stride
            # bug: no argmax mask, every cell of the window gets the gradient
            dx[:, :, hs : hs + ph, ws : ws + pw] += dout[:, :, i, j][:, :, None, None]
    return dx
