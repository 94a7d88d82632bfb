"""affine_forward flattening with np.prod of the trailing dimensions and the @ operator: right."""
import numpy as np

LOSES = {}


def affine_forward(x, w, b):
    N = x.shape[0]
    D = int(np.prod(x.shape[1:]))
    out = np.reshape(x, (N, D)) @ w + b
    return out, (x, w, b)
