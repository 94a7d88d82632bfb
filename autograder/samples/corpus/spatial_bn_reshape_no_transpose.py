"""spatial_batchnorm_forward reshapes (N, C, H, W) straight to (-1, C) without moving C last,
so each "feature" mixes channels and positions."""

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"spatial_batchnorm_forward": 5}
HINTS = {"spatial_batchnorm_forward": ("a plain reshape(-1, C) mixes channels",)}


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    out, cache = batchnorm_forward(x.reshape(-1, C), gamma, beta, bn_param)  # noqa: F821
    return out.reshape(N, C, H, W), cache
