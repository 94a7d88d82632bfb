"""affine_forward multiplies x by w without flattening each example first (the 2-D-only bug)."""

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"affine_forward": 1.5}
HINTS = {"affine_forward": ("right for 2-D input only",)}
MESSAGES = {"affine_forward": ("ValueError",)}


def affine_forward(x, w, b):
    out = x.dot(w) + b
    cache = (x, w, b)
    return out, cache
