"""ThreeLayerConvNet adds L2 to the loss but not reg * W to the gradients."""

LOSES = {"ThreeLayerConvNet": 3}
HINTS = {"ThreeLayerConvNet": ("regularization term missing from the gradients",)}


class ThreeLayerConvNet:
    def loss(self, X, y=None):
        result = self._reference_loss(X, y)
        if y is None:
            return result
        loss, grads = result
        for name in ("W1", "W2", "W3"):
            grads[name] = grads[name] - self.reg * self.params[name]
        return loss, grads
