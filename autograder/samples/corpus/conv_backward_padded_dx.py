"""conv_backward_naive returns the gradient of the padded input."""
import numpy as np

LOSES = {"conv_backward_naive": 4.5}
HINTS = {"conv_backward_naive": ("dx must drop the padding",)}


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
    return dxp, dw, dout.sum(axis=(0, 2, 3))
