"""ThreeLayerConvNet written for Python 2: adds the regularization with dict.iteritems()."""

LOSES = {"ThreeLayerConvNet": 8}
HINTS = {"ThreeLayerConvNet": ("dict.iteritems() is Python 2",)}
MESSAGES = {"ThreeLayerConvNet": ("AttributeError", "cnn.py")}


class ThreeLayerConvNet:
    def loss(self, X, y=None):
        result = self._reference_loss(X, y)
        if y is None:
            return result
        loss, grads = result
        for name, value in self.params.iteritems():
            grads[name] = grads[name] + 0 * value
        return loss, grads
