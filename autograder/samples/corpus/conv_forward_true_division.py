"""conv_forward_naive written for Python 2: output sizes with / are floats in Python 3."""
import numpy as np

LOSES = {"conv_forward_naive": 10}
HINTS = {"conv_forward_naive": ("compute sizes and indices with //",)}
MESSAGES = {"conv_forward_naive": ("TypeError", "layers.py")}


def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) / stride
    W_out = 1 + (W + 2 * pad - WW) / stride
    out = np.zeros((N, F, H_out, W_out))
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    for i in range(H_out):
        for j in range(W_out):
            win = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.tensordot(win, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (x, w, b, conv_param)
