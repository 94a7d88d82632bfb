"""conv_backward_naive loops over flat output positions and takes the row as idx // H_out
(right: idx // W_out): invisible on square outputs."""
import numpy as np

LOSES = {"conv_backward_naive": 2}
HINTS = {"conv_backward_naive": ("right only when H_out == W_out",)}


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    F, C, HH, WW = w.shape
    N, _, H_out, W_out = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for idx in range(H_out * W_out):
        i, j = idx // H_out, idx % H_out
        hs, ws = i * stride, j * stride
        d = dout[:, :, i, j]  # (N, F)
        dw += np.tensordot(d, xp[:, :, hs:hs + HH, ws:ws + WW], axes=([0], [0]))
        dxp[:, :, hs:hs + HH, ws:ws + WW] += np.tensordot(d, w, axes=([1], [0]))
    dx = dxp[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]]
    return dx, dw, dout.sum(axis=(0, 2, 3))
