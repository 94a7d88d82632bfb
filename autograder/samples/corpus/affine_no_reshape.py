"""affine_forward multiplies x by w without flattening each example first (the 2-D-only bug)."""

LOSES = {"affine_forward": 1.5, "ThreeLayerConvNet": 10}
HINTS = {"affine_forward": ("right for 2-D input only",)}
MESSAGES = {"affine_forward": ("ValueError",), "ThreeLayerConvNet": ("ValueError",)}


def affine_forward(x, w, b):
    out = x.dot(w) + b
    cache = (x, w, b)
    return out, cache
