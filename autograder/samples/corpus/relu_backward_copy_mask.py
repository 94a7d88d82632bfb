"""relu_backward copies dout and zeroes it where x <= 0 (boolean mask assignment): right."""

LOSES = {}


def relu_backward(dout, cache):
    x = cache
    dx = dout.copy()
    dx[x <= 0] = 0
    return dx
