"""spatial_groupnorm_backward reshapes with a hard-coded 2 groups (the notebook's G): right for
G = 2, raises for the other group counts."""
import numpy as np

LOSES = {"spatial_groupnorm_backward": 3}
HINTS = {"spatial_groupnorm_backward": ("right for one group count only",)}


def spatial_groupnorm_backward(dout, cache):
    x_hat, gamma, inv_std, G = cache
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3)).reshape(np.shape(gamma))
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3)).reshape(np.shape(gamma))
    dxh = (dout * gamma.reshape(1, C, 1, 1)).reshape(N, 2, -1)
    xh = x_hat.reshape(N, 2, -1)
    inv = inv_std.reshape(N, 2, 1)
    dx = inv * (dxh - dxh.mean(axis=2, keepdims=True)
                - xh * (dxh * xh).mean(axis=2, keepdims=True))
    return dx.reshape(N, C, H, W), dgamma, dbeta
