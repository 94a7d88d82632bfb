"""conv_backward_naive crops the padding with [pad:-pad], which is empty for pad 0."""
import numpy as np

LOSES = {"conv_backward_naive": 0.75}
HINTS = {"conv_backward_naive": ("breaks for pad 0",)}


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    F, C, HH, WW = w.shape
    N, _, H_out, W_out = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for i in range(H_out):
        for j in range(W_out):
            hs, ws = i * stride, j * stride
            dw += np.tensordot(dout[:, :, i, j], xp[:, :, hs:hs + HH, ws:ws + WW], axes=(0, 0))
            dxp[:, :, hs:hs + HH, ws:ws + WW] += np.tensordot(dout[:, :, i, j], w, axes=(1, 0))
    dx = dxp[:, :, pad:-pad, pad:-pad]
    return dx, dw, dout.sum(axis=(0, 2, 3))
