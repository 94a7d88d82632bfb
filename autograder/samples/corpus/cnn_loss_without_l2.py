"""ThreeLayerConvNet adds reg * W to the gradients but leaves the L2 term out of the loss."""
import numpy as np

LOSES = {"ThreeLayerConvNet": 1}
HINTS = {"ThreeLayerConvNet": ("the loss is missing the L2 term",)}


class ThreeLayerConvNet:
    def loss(self, X, y=None):
        result = self._reference_loss(X, y)
        if y is None:
            return result
        loss, grads = result
        for name in ("W1", "W2", "W3"):
            loss -= 0.5 * self.reg * np.sum(self.params[name] ** 2)
        return loss, grads
