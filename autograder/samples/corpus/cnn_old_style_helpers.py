"""ThreeLayerConvNet in the 2017 style: star imports of layers, fast_layers and layer_utils,
a dict comprehension for the regularization, dictionary iteration with .items(): right."""
import numpy as np

from cs231n.fast_layers import *  # noqa: F403
from cs231n.layer_utils import *  # noqa: F403
from cs231n.layers import *  # noqa: F403

LOSES = {}


class ThreeLayerConvNet:
    def loss(self, X, y=None):
        W1, b1 = self.params['W1'], self.params['b1']
        W2, b2 = self.params['W2'], self.params['b2']
        W3, b3 = self.params['W3'], self.params['b3']
        filter_size = W1.shape[2]
        conv_param = {'stride': 1, 'pad': (filter_size - 1) // 2}
        pool_param = {'pool_height': 2, 'pool_width': 2, 'stride': 2}
        a1, cache1 = conv_relu_pool_forward(X, W1, b1, conv_param, pool_param)  # noqa: F405
        a2, cache2 = affine_relu_forward(a1, W2, b2)  # noqa: F405
        scores, cache3 = affine_forward(a2, W3, b3)  # noqa: F405
        if y is None:
            return scores
        loss, grads = 0, {}
        data_loss, dscores = softmax_loss(scores, y)  # noqa: F405
        reg_loss = 0.5 * self.reg * sum(np.sum(W * W) for W in [W1, W2, W3])
        loss = data_loss + reg_loss
        da2, grads['W3'], grads['b3'] = affine_backward(dscores, cache3)  # noqa: F405
        da1, grads['W2'], grads['b2'] = affine_relu_backward(da2, cache2)  # noqa: F405
        _, grads['W1'], grads['b1'] = conv_relu_pool_backward(da1, cache1)  # noqa: F405
        for k, v in self.params.items():
            if k.startswith('W'):
                grads[k] += self.reg * v
        return loss, grads
