"""ThreeLayerConvNet built from the naive layers directly (no sandwich layers): right."""
import numpy as np

from cs231n.layers import (
    affine_backward,
    affine_forward,
    conv_backward_naive,
    conv_forward_naive,
    max_pool_backward_naive,
    max_pool_forward_naive,
    relu_backward,
    relu_forward,
    softmax_loss,
)

LOSES = {}


class ThreeLayerConvNet:
    def loss(self, X, y=None):
        p = self.params
        conv_param = {"stride": 1, "pad": (p["W1"].shape[2] - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        c, c_cache = conv_forward_naive(X, p["W1"], p["b1"], conv_param)
        r, r_cache = relu_forward(c)
        m, m_cache = max_pool_forward_naive(r, pool_param)
        h, h_cache = affine_forward(m, p["W2"], p["b2"])
        hr, hr_cache = relu_forward(h)
        scores, s_cache = affine_forward(hr, p["W3"], p["b3"])
        if y is None:
            return scores
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * (np.sum(p["W1"] ** 2) + np.sum(p["W2"] ** 2)
                                  + np.sum(p["W3"] ** 2))
        grads = {}
        dhr, grads["W3"], grads["b3"] = affine_backward(dscores, s_cache)
        dh = relu_backward(dhr, hr_cache)
        dm, grads["W2"], grads["b2"] = affine_backward(dh, h_cache)
        dr = max_pool_backward_naive(dm, m_cache)
        dc = relu_backward(dr, r_cache)
        _, grads["W1"], grads["b1"] = conv_backward_naive(dc, c_cache)
        for name in ("W1", "W2", "W3"):
            grads[name] += self.reg * p[name]
        return loss, grads
