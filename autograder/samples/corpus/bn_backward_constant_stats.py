"""batchnorm_backward treats the batch mean and variance as constants: dx = gamma * dout / std."""
import numpy as np

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"batchnorm_backward": 3}
HINTS = {"batchnorm_backward": ("the batch mean and variance depend on x",)}


def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = dout * gamma * inv_std
    return dx, dgamma, dbeta
