"""spatial_groupnorm_forward reshapes with a hard-coded 2 groups (the notebook's G)."""
import numpy as np

LOSES = {"spatial_groupnorm_forward": 4}
HINTS = {"spatial_groupnorm_forward": ("right for one group count only",)}


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", 1e-5)
    N, C, H, W = x.shape
    xg = x.reshape(N, 2, -1)
    mu = xg.mean(axis=2, keepdims=True)
    inv_std = 1 / np.sqrt(xg.var(axis=2, keepdims=True) + eps)
    x_hat = ((xg - mu) * inv_std).reshape(x.shape)
    out = gamma * x_hat + beta
    return out, (x_hat, gamma, inv_std, 2)
