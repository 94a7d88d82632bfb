"""relu_forward as x * (x > 0) (which gives -0.0 for negative entries): right."""

LOSES = {}


def relu_forward(x):
    out = x * (x > 0)
    cache = x
    return out, cache
