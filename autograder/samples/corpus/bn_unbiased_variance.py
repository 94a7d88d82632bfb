"""batchnorm_forward normalizes with the unbiased batch variance (ddof=1), as PyTorch's running
average does, where the course uses the biased one."""
import numpy as np

LOSES = {"batchnorm_forward": 2.75}
HINTS = {"batchnorm_forward": ("biased batch variance",)}


def batchnorm_forward(x, gamma, beta, bn_param):
    if bn_param["mode"] != "train":
        return _reference_batchnorm_forward(x, gamma, beta, bn_param)  # noqa: F821
    eps, m = bn_param.get("eps", 1e-5), bn_param.get("momentum", 0.9)
    D = x.shape[1]
    mu, var = x.mean(axis=0), x.var(axis=0, ddof=1)
    x_hat = (x - mu) / np.sqrt(var + eps)
    bn_param["running_mean"] = m * bn_param.get("running_mean", np.zeros(D)) + (1 - m) * mu
    bn_param["running_var"] = m * bn_param.get("running_var", np.zeros(D)) + (1 - m) * var
    return gamma * x_hat + beta, (x_hat, gamma, 1 / np.sqrt(var + eps))
