"""spatial_groupnorm_forward normalises over all channels of an example whatever G is."""
import numpy as np

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"spatial_groupnorm_forward": 5.5}
HINTS = {"spatial_groupnorm_forward": ("layer norm",)}


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", 1e-5)
    N, C, H, W = x.shape
    flat = x.reshape(N, -1)
    mu = flat.mean(axis=1, keepdims=True)
    inv_std = 1 / np.sqrt(flat.var(axis=1, keepdims=True) + eps)
    x_hat = ((flat - mu) * inv_std).reshape(x.shape)
    out = gamma * x_hat + beta
    return out, (x_hat, gamma, inv_std.reshape(N, 1, 1), 1)
