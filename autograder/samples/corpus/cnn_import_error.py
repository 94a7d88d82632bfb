"""cnn.py imports a sandwich layer under a name that does not exist (conv_relu_pool_fwd)."""
from cs231n.layer_utils import conv_relu_pool_fwd  # noqa: F401

LOSES = {"ThreeLayerConvNet": 12}
MESSAGES = {"ThreeLayerConvNet": ("ImportError", "cnn.py")}
NO_HINT = "a crash: the ImportError and the student's own line are the feedback"


class ThreeLayerConvNet:
    def loss(self, X, y=None):
        return self._reference_loss(X, y)
