"""spatial_groupnorm_forward reshapes to (N, C // G, G, H, W): each group takes every G-th
channel instead of C // G consecutive ones."""
import numpy as np

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"spatial_groupnorm_forward": 4.5}
HINTS = {"spatial_groupnorm_forward": ("a group holds C // G consecutive channels",)}


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", 1e-5)
    N, C, H, W = x.shape
    xg = x.reshape(N, C // G, G, H, W)
    mu = xg.mean(axis=(1, 3, 4), keepdims=True)
    var = xg.var(axis=(1, 3, 4), keepdims=True)
    x_hat = ((xg - mu) / np.sqrt(var + eps)).reshape(N, C, H, W)
    out = gamma * x_hat + beta
    return out, (x_hat, gamma, 1 / np.sqrt(var + eps).reshape(N, G, 1), G)
