"""conv_backward_naive with sliding_window_view and einsum for dw and a loop for dx: right."""
import numpy as np

LOSES = {}


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    HH, WW = w.shape[2:]
    H_out, W_out = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (HH, WW), axis=(2, 3))
    win = win[:, :, ::stride, ::stride][:, :, :H_out, :W_out]  # (N, C, H_out, W_out, HH, WW)
    dw = np.einsum("nfhw,nchwij->fcij", dout, win)
    contrib = np.einsum("nfhw,fcij->nchwij", dout, w)
    dxp = np.zeros_like(xp)
    for i in range(H_out):
        for j in range(W_out):
            dxp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += contrib[:, :, i, j]
    dx = dxp[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]]
    return dx, dw, dout.sum(axis=(0, 2, 3))
