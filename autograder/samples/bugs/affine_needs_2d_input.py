"""affine_forward multiplies x by w without flattening each example first.

Right for (N, D) input; (N, d_1, ..., d_k) input such as an image batch raises a shape error.
"""

LOSES = {
    "affine_forward": 1.5,
    # ThreeLayerConvNet (its affine layers get the pooled 4-D activations) keeps its 12: it is
    # graded again with the reference's layers, which score better (autograder/substitute.py)
}


def affine_forward(x, w, b):
    out = x.dot(w) + b  # bug: x.reshape(x.shape[0], -1) missing
    cache = (x, w, b)
    return out, cache
