"""affine_forward flattens with np.reshape(x, newshape=...), a keyword NumPy 2 removed."""
import numpy as np

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"affine_forward": 2}
HINTS = {"affine_forward": ("no longer exists in NumPy 2",)}


def affine_forward(x, w, b):
    out = np.reshape(x, newshape=(x.shape[0], -1)).dot(w) + b
    return out, (x, w, b)
