"""affine_forward flattens with np.reshape(x, newshape=...), a keyword NumPy 2 removed."""
import numpy as np

LOSES = {"affine_forward": 2, "ThreeLayerConvNet": 10}
HINTS = {"affine_forward": ("no longer exists in NumPy 2",),
         "ThreeLayerConvNet": ("no longer exists in NumPy 2",)}


def affine_forward(x, w, b):
    out = np.reshape(x, newshape=(x.shape[0], -1)).dot(w) + b
    return out, (x, w, b)
