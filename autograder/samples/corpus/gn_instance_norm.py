"""spatial_groupnorm_forward takes the statistics per channel (axes 2, 3), whatever G is."""
import numpy as np

LOSES = {"spatial_groupnorm_forward": 5.5}
HINTS = {"spatial_groupnorm_forward": ("instance norm",)}


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", 1e-5)
    mu = x.mean(axis=(2, 3), keepdims=True)
    var = x.var(axis=(2, 3), keepdims=True)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x_hat, gamma, 1 / np.sqrt(var + eps), G)
