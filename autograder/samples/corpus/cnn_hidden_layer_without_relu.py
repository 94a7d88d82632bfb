"""ThreeLayerConvNet uses affine_forward for the hidden layer, leaving out its ReLU."""
import numpy as np

from cs231n.layers import affine_backward, affine_forward, softmax_loss
from cs231n.layer_utils import conv_relu_pool_backward, conv_relu_pool_forward

LOSES = {"ThreeLayerConvNet": 10}
MISSED = ("a wrong architecture gives wrong scores, loss and gradients; the grader does not "
          "recognise which layer is missing")


class ThreeLayerConvNet:
    def loss(self, X, y=None):
        W1, b1, W2, b2, W3, b3 = (self.params[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
        conv_param = {"stride": 1, "pad": (W1.shape[2] - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        a1, c1 = conv_relu_pool_forward(X, W1, b1, conv_param, pool_param)
        a2, c2 = affine_forward(a1, W2, b2)
        scores, c3 = affine_forward(a2, W3, b3)
        if y is None:
            return scores
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * sum(np.sum(W ** 2) for W in (W1, W2, W3))
        grads = {}
        da2, grads["W3"], grads["b3"] = affine_backward(dscores, c3)
        da1, grads["W2"], grads["b2"] = affine_backward(da2, c2)
        _, grads["W1"], grads["b1"] = conv_relu_pool_backward(da1, c1)
        for k in ("W1", "W2", "W3"):
            grads[k] += self.reg * self.params[k]
        return loss, grads
