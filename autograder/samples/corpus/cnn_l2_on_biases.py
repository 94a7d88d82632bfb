"""ThreeLayerConvNet puts every parameter, the biases too, into the L2 term of the loss."""
import numpy as np

LOSES = {"ThreeLayerConvNet": 1}
HINTS = {"ThreeLayerConvNet": ("not the biases",)}


class ThreeLayerConvNet:
    def loss(self, X, y=None):
        result = self._reference_loss(X, y)
        if y is None:
            return result
        loss, grads = result
        for name in ("b1", "b2", "b3"):
            loss += 0.5 * self.reg * np.sum(self.params[name] ** 2)
        return loss, grads
