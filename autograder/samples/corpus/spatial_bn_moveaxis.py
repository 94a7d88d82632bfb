"""spatial batchnorm through np.moveaxis (forward and backward) instead of transpose: right."""
import numpy as np

LOSES = {}


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    rows = np.moveaxis(x, 1, -1).reshape(-1, C)  # (N*H*W, C)
    out, cache = batchnorm_forward(rows, gamma, beta, bn_param)  # noqa: F821
    return np.moveaxis(out.reshape(N, H, W, C), -1, 1), cache


def spatial_batchnorm_backward(dout, cache):
    N, C, H, W = dout.shape
    dx, dgamma, dbeta = batchnorm_backward(  # noqa: F821
        np.moveaxis(dout, 1, -1).reshape(-1, C), cache)
    return np.moveaxis(dx.reshape(N, H, W, C), -1, 1), dgamma, dbeta
