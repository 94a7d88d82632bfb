"""relu_backward passes the gradient where x >= 0 (the convention at exactly 0 is 0)."""

LOSES = {"relu_backward": 0.25}
HINTS = {"relu_backward": ("at exactly x = 0",)}


def relu_backward(dout, cache):
    x = cache
    dx = dout * (x >= 0)
    return dx
