"""affine_backward returns dx as (N, D) without reshaping it back to x's shape."""
import numpy as np

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"affine_backward": 1.0}
HINTS = {"affine_backward": ("dx must have the shape of the original x",)}


def affine_backward(dout, cache):
    x, w, b = cache
    x2 = x.reshape(x.shape[0], -1)
    dx = dout.dot(w.T)
    dw = x2.T.dot(dout)
    db = np.sum(dout, axis=0)
    return dx, dw, db
