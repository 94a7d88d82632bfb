"""batchnorm_forward updates the running averages with momentum and 1 - momentum swapped."""
import numpy as np

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"batchnorm_forward": 1.5}
HINTS = {"batchnorm_forward": ("running averages go the wrong way round",)}


def batchnorm_forward(x, gamma, beta, bn_param):
    m = bn_param.get("momentum", 0.9)
    before_mean = bn_param.get("running_mean", np.zeros(x.shape[1]))
    before_var = bn_param.get("running_var", np.zeros(x.shape[1]))
    out, cache = _reference_batchnorm_forward(x, gamma, beta, bn_param)  # noqa: F821
    if bn_param["mode"] == "train":
        bn_param["running_mean"] = (1 - m) * before_mean + m * x.mean(axis=0)
        bn_param["running_var"] = (1 - m) * before_var + m * x.var(axis=0)
    return out, cache
