"""spatial_batchnorm_forward computed directly, with the batch statistics in test mode too."""
import numpy as np

LOSES = {"spatial_batchnorm_forward": 1.5}
HINTS = {"spatial_batchnorm_forward": ("test mode used the batch statistics",)}


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    eps, m = bn_param.get("eps", 1e-5), bn_param.get("momentum", 0.9)
    C = x.shape[1]
    g, b = gamma.reshape(1, C, 1, 1), beta.reshape(1, C, 1, 1)
    running_mean = bn_param.get("running_mean", np.zeros(C))
    running_var = bn_param.get("running_var", np.zeros(C))
    cache = None
    if bn_param["mode"] == "train" or bn_param["mode"] == "test":
        mu, var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
        inv_std = 1 / np.sqrt(var + eps)
        x_hat = (x - mu.reshape(1, C, 1, 1)) * inv_std.reshape(1, C, 1, 1)
        out = g * x_hat + b
        cache = (np.moveaxis(x_hat, 1, -1).reshape(-1, C), gamma, inv_std)
        if bn_param["mode"] == "train":
            running_mean = m * running_mean + (1 - m) * mu
            running_var = m * running_var + (1 - m) * var
    else:
        out = g * (x - running_mean.reshape(1, C, 1, 1)) / np.sqrt(running_var.reshape(1, C, 1, 1) + eps) + b
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache
