"""max_pool_forward_naive with the course's reshape trick, which assumes the windows tile the
image with stride == window: fails (raises) for overlapping and for non-square windows."""

LOSES = {"max_pool_forward_naive": 3}
NO_HINT = ("overlapping and non-square windows both fail: several causes give that pattern, and "
           "the reshape's own ValueError says what went wrong")


def max_pool_forward_naive(x, pool_param):
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    N, C, H, W = x.shape
    out = x.reshape(N, C, H // ph, ph, W // pw, pw).max(axis=(3, 5))
    return out, (x, pool_param)
