"""conv_forward_naive pads by 1 whatever conv_param says (the notebook's first test uses 1)."""
import numpy as np

LOSES = {"conv_forward_naive": 2}
HINTS = {"conv_forward_naive": ("padding looks hard-coded",)}


def conv_forward_naive(x, w, b, conv_param):
    stride = conv_param["stride"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    H_out = 1 + (H + 2 - HH) // stride
    W_out = 1 + (W + 2 - WW) // stride
    out = np.zeros((N, F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            win = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.tensordot(win, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (x, w, b, conv_param)
