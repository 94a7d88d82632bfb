"""relu_forward clamps x in place and returns it: right values, but the caller's x changes."""

LOSES = {"relu_forward": 0.25}
MESSAGES = {"relu_forward": ("modified argument 1",)}
NO_HINT = "the failure message itself says the input was modified"


def relu_forward(x):
    x[x < 0] = 0
    return x, x
