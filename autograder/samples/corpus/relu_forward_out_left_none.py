"""relu_forward computes the ReLU into a new name and returns the stub's out = None."""
import numpy as np

LOSES = {"relu_forward": 1}
MESSAGES = {"relu_forward": ("out is None",)}
NO_HINT = "the failure message itself says out came back as None"


def relu_forward(x):
    out = None
    relu = np.maximum(0, x)  # noqa: F841
    cache = x
    return out, cache
