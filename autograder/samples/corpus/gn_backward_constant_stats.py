"""spatial_groupnorm_backward treats the group mean and variance as constants."""
import numpy as np

LOSES = {"spatial_groupnorm_backward": 6}
HINTS = {"spatial_groupnorm_backward": ("the group mean and variance depend on x",)}


def spatial_groupnorm_backward(dout, cache):
    x_hat, gamma, inv_std, G = cache
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True).reshape(np.shape(gamma))
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3), keepdims=True).reshape(np.shape(gamma))
    dy = (dout * gamma.reshape(1, C, 1, 1)).reshape(N, G, -1)
    dx = (dy * inv_std).reshape(N, C, H, W)
    return dx, dgamma, dbeta
