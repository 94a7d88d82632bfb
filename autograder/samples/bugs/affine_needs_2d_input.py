"""affine_forward multiplies x by w without flattening each example first.

Right for (N, D) input; (N, d_1, ..., d_k) input such as an image batch raises a shape error.
"""

LOSES = {
    "affine_forward": 1.5,
    "ThreeLayerConvNet": 10,  # its affine layers get the pooled 4-D activations
}


def affine_forward(x, w, b):
    out = x.dot(w) + b  # bug: x.reshape(x.shape[0], -1) missing
    cache = (x, w, b)
    return out, cache
