"""spatial_batchnorm_forward computed directly over axes (0, 2, 3) with keepdims, without
calling batchnorm_forward: right."""
import numpy as np

LOSES = {}


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    C = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(C))
    running_var = bn_param.get("running_var", np.zeros(C))
    g, b = gamma.reshape(1, C, 1, 1), beta.reshape(1, C, 1, 1)
    if mode == "train":
        mu = x.mean(axis=(0, 2, 3))
        var = x.var(axis=(0, 2, 3))
        inv_std = 1 / np.sqrt(var + eps)
        x_hat = (x - mu.reshape(1, C, 1, 1)) * inv_std.reshape(1, C, 1, 1)
        out = g * x_hat + b
        rows = np.moveaxis(x_hat, 1, -1).reshape(-1, C)
        cache = (rows, gamma, inv_std)
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    else:
        out = g * (x - running_mean.reshape(1, C, 1, 1)) / np.sqrt(
            running_var.reshape(1, C, 1, 1) + eps) + b
        cache = None
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache
