"""batchnorm_forward normalises with the batch's own mean and variance in test mode too.

Training is right; at test time the running averages are ignored, so a single test example
(or a shifted test batch) is normalised with the wrong statistics.
"""
# ruff: noqa: F821
import numpy as np

LOSES = {
    "batchnorm_forward": 2,
    # spatial_batchnorm_forward, built on batchnorm_forward, keeps its points: graded again with
    # the reference's batchnorm_forward (autograder/substitute.py)
}


def batchnorm_forward(x, gamma, beta, bn_param):
    if bn_param.get("mode", "train") == "test":
        eps = bn_param.get("eps", 1e-5)
        mean, var = x.mean(axis=0), x.var(axis=0)  # bug: should be the running averages
        out = gamma * (x - mean) / np.sqrt(var + eps) + beta
        return out, None
    return _reference_batchnorm_forward(x, gamma, beta, bn_param)
