"""spatial_groupnorm with its own cache, gamma used as (1, C, 1, 1), and dgamma, dbeta
returned with shape (C,) (the shape the docstring allows for a (C,) gamma): right."""
import numpy as np

LOSES = {}


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", 1e-5)
    N, C, H, W = x.shape
    xg = x.reshape(N, G, C // G, H, W)
    mu = xg.mean(axis=(2, 3, 4), keepdims=True)
    var = xg.var(axis=(2, 3, 4), keepdims=True)
    x_hat = ((xg - mu) / np.sqrt(var + eps)).reshape(N, C, H, W)
    out = gamma.reshape(1, C, 1, 1) * x_hat + beta.reshape(1, C, 1, 1)
    return out, {"x_hat": x_hat, "gamma": gamma, "var": var, "eps": eps, "G": G}


def spatial_groupnorm_backward(dout, cache):
    x_hat, gamma, var, eps, G = (cache[k] for k in ("x_hat", "gamma", "var", "eps", "G"))
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3))
    dxhat = (dout * gamma.reshape(1, C, 1, 1)).reshape(N, G, -1)
    xh = x_hat.reshape(N, G, -1)
    M = xh.shape[2]
    inv = 1 / np.sqrt(var.reshape(N, G, 1) + eps)
    dx = inv / M * (M * dxhat - dxhat.sum(axis=2, keepdims=True)
                    - xh * (dxhat * xh).sum(axis=2, keepdims=True))
    return dx.reshape(N, C, H, W), dgamma, dbeta
