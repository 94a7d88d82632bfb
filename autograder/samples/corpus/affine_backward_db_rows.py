"""affine_backward sums dout over the outputs instead of over the batch for db."""
import numpy as np

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"affine_backward": 0.5}
HINTS = {"affine_backward": ("db sums dout over the batch",)}


def affine_backward(dout, cache):
    x, w, b = cache
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T.dot(dout)
    db = np.sum(dout, axis=1)
    return dx, dw, db
