"""spatial_batchnorm_backward computed directly, treating the batch statistics as constants."""
import numpy as np

LOSES = {"spatial_batchnorm_backward": 3}
HINTS = {"spatial_batchnorm_backward": ("the batch mean and variance depend on x",)}


def spatial_batchnorm_backward(dout, cache):
    x_hat_rows, gamma, inv_std = cache
    N, C, H, W = dout.shape
    x_hat = np.moveaxis(x_hat_rows.reshape(N, H, W, C), -1, 1)
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3))
    dx = dout * (gamma * inv_std).reshape(1, C, 1, 1)
    return dx, dgamma, dbeta
