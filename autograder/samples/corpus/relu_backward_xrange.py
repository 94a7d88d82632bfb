"""relu_backward written for Python 2: loops with xrange."""
import numpy as np

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"relu_backward": 2}
HINTS = {"relu_backward": ("xrange is Python 2",)}
MESSAGES = {"relu_backward": ("NameError", "layers.py")}


def relu_backward(dout, cache):
    x = cache
    dx = np.zeros_like(dout)
    flat_x, flat_d, flat_dx = x.reshape(-1), dout.reshape(-1), dx.reshape(-1)
    for i in xrange(flat_x.size):  # noqa: F821
        flat_dx[i] = flat_d[i] if flat_x[i] > 0 else 0.0
    return dx
