"""ThreeLayerConvNet adds L2 regularisation to the loss but forgets it in the gradients.

The loss is right for every reg; the gradients of W1, W2, W3 are right only for reg = 0.
"""

LOSES = {"ThreeLayerConvNet": 3}


class ThreeLayerConvNet:
    def loss(self, X, y=None):
        result = self._reference_loss(X, y)
        if y is None:
            return result
        loss, grads = result
        for name in ("W1", "W2", "W3"):
            grads[name] = grads[name] - self.reg * self.params[name]  # bug: drops reg * W
        return loss, grads
