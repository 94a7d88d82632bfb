"""affine_forward flattens each example in Fortran order (a reshape, but the wrong one)."""

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"affine_forward": 1.0}
HINTS = {"affine_forward": ("flatten each example in C order",)}


def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1, order="F").dot(w) + b
    return out, (x, w, b)
