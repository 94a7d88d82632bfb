"""conv_backward_naive scatters each output's gradient to the window at (i, j), not
(i*stride, j*stride)."""
import numpy as np

LOSES = {"conv_backward_naive": 4}
HINTS = {"conv_backward_naive": ("right only for stride 1",)}


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    pad = conv_param["pad"]
    F, C, HH, WW = w.shape
    N, _, H_out, W_out = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    dw[f] += xp[n, :, i:i + HH, j:j + WW] * dout[n, f, i, j]
                    dxp[n, :, i:i + HH, j:j + WW] += w[f] * dout[n, f, i, j]
    dx = dxp[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]]
    db = np.sum(dout, axis=(0, 2, 3))
    return dx, dw, db
