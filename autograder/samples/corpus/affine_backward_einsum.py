"""affine_backward with np.einsum and a flattened view of x: right."""
import numpy as np

LOSES = {}


def affine_backward(dout, cache):
    x, w, b = cache
    N = x.shape[0]
    x_flat = x.reshape(N, -1)
    dx = np.einsum("nm,dm->nd", dout, w).reshape(x.shape)
    dw = np.einsum("nd,nm->dm", x_flat, dout)
    db = np.einsum("nm->m", dout)
    return dx, dw, db
