"""conv_forward_naive through an im2col matrix and one matrix product: right."""
import numpy as np

LOSES = {}
APPEND = {"layers.py": '''
def _im2col(xp, HH, WW, stride, H_out, W_out):
    N, C = xp.shape[:2]
    cols = np.zeros((C * HH * WW, N * H_out * W_out))
    for i in range(H_out):
        for j in range(W_out):
            patch = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            cols[:, (i * W_out + j)::H_out * W_out] = patch.reshape(N, -1).T
    return cols
'''}


def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
    cols = _im2col(xp, HH, WW, stride, H_out, W_out)  # noqa: F821
    out = w.reshape(F, -1) @ cols + b[:, None]  # (F, N*H_out*W_out)
    out = out.reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)
    return out, (x, w, b, conv_param)
