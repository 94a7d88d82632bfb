"""batchnorm_forward normalises with the batch's statistics in test mode too."""
import numpy as np

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"batchnorm_forward": 2}
HINTS = {"batchnorm_forward": ("test mode used the batch statistics",)}


def batchnorm_forward(x, gamma, beta, bn_param):
    if bn_param["mode"] == "test":
        eps = bn_param.get("eps", 1e-5)
        out = gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps) + beta
        return out, None
    return _reference_batchnorm_forward(x, gamma, beta, bn_param)  # noqa: F821
