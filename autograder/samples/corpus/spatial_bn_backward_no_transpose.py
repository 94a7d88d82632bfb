"""spatial_batchnorm_backward reshapes dout straight to (-1, C) (the forward is right)."""

LOSES = {"spatial_batchnorm_backward": 5}
HINTS = {"spatial_batchnorm_backward": ("a plain reshape(-1, C) mixes channels",)}


def spatial_batchnorm_backward(dout, cache):
    N, C, H, W = dout.shape
    dx, dgamma, dbeta = batchnorm_backward(dout.reshape(-1, C), cache)  # noqa: F821
    return dx.reshape(N, C, H, W), dgamma, dbeta
