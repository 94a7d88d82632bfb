"""A three-layer convolutional network, built from the layers and sandwich layers.

Architecture: conv - relu - 2x2 max pool - affine - relu - affine - softmax.

Shape letters: ``N`` images of ``C`` channels, ``H`` x ``W`` pixels; ``F`` filters of
``filter_size`` x ``filter_size``; ``hidden_dim`` hidden units; ``num_classes`` classes.
"""


import numpy as np

from .. import _checks
from ..layer_utils import (
    affine_relu_backward,
    affine_relu_forward,
    conv_relu_pool_backward,
    conv_relu_pool_forward,
)
from ..layers import affine_backward, affine_forward, softmax_loss


class ThreeLayerConvNet:
    """A three-layer convolutional network: conv - relu - 2x2 max pool - affine - relu - affine.

    The convolution has stride 1 and pads by ``(filter_size - 1) // 2`` so its output keeps
    the input's H x W; the pool (2x2, stride 2) halves it.  The network works on minibatches
    of shape (N, C, H, W) and is trained with the softmax loss plus L2 regularization
    ``0.5 * reg * sum(W**2)`` over the weights W1, W2, W3 (not the biases).

    Parameters
    ----------
    input_dim : tuple of 3 ints
        ``(C, H, W)`` of one input; H and W must be even (the 2x2 pool must tile them).
    num_filters : int
        Number of filters F of the convolutional layer.
    filter_size : int
        Height and width of the filters; must be odd (so the padding keeps H x W).
    hidden_dim : int
        Number of units of the hidden affine layer.
    num_classes : int
        Number of scores produced by the last affine layer.
    weight_scale : float
        Standard deviation of the normal distribution the weights are drawn from.
    reg : float
        L2 regularization strength.
    dtype : numpy float type
        Type of every parameter and of the computation; float64 for gradient checks.

    Attributes
    ----------
    params : dict of str to ndarray
        ``W1`` (F, C, filter_size, filter_size), ``b1`` (F,),
        ``W2`` (F * H//2 * W//2, hidden_dim), ``b2`` (hidden_dim,),
        ``W3`` (hidden_dim, num_classes), ``b3`` (num_classes,); weights drawn from
        N(0, weight_scale**2), biases zero, all of ``dtype``.
    input_dim : tuple of 3 ints
        ``(C, H, W)``, as given.
    reg : float
    dtype : numpy float type
    """

    def __init__(
        self,
        input_dim=(3, 32, 32),
        num_filters=32,
        filter_size=7,
        hidden_dim=100,
        num_classes=10,
        weight_scale=1e-3,
        reg=0.0,
        dtype=np.float32,
    ):
        if len(input_dim) != 3:
            raise ValueError(f"input_dim must be (C, H, W), got {input_dim!r}")
        for name, value in zip(("C", "H", "W"), input_dim, strict=True):
            _checks.check_int(f"input_dim {name}", value)
        if input_dim[1] % 2 or input_dim[2] % 2:
            raise ValueError(
                f"input_dim H and W must be even for the 2x2 stride-2 pool, got "
                f"H = {input_dim[1]}, W = {input_dim[2]}"
            )
        _checks.check_int("filter_size", filter_size)
        if filter_size % 2 == 0:
            raise ValueError(
                f"filter_size must be odd so that padding (filter_size - 1) // 2 keeps H x W, "
                f"got {filter_size}"
            )
        if filter_size > 2 * input_dim[1] + 1 or filter_size > 2 * input_dim[2] + 1:
            raise ValueError(
                f"filter_size {filter_size} is too large for input H x W = "
                f"{input_dim[1]} x {input_dim[2]}"
            )
        for name, value in (("num_filters", num_filters), ("hidden_dim", hidden_dim),
                            ("num_classes", num_classes)):
            _checks.check_int(name, value)
        if not weight_scale >= 0:
            raise ValueError(f"weight_scale must be >= 0, got {weight_scale!r}")
        if not reg >= 0:
            raise ValueError(f"reg must be >= 0, got {reg!r}")

        self.input_dim = tuple(int(size) for size in input_dim)
        self.params = {}
        self.reg = reg
        self.dtype = dtype

        ### BEGIN SOLUTION
        channels, height, width = input_dim
        pooled_size = num_filters * (height // 2) * (width // 2)  # F * H/2 * W/2
        self.params["W1"] = weight_scale * np.random.randn(
            num_filters, channels, filter_size, filter_size
        )
        self.params["b1"] = np.zeros(num_filters)
        self.params["W2"] = weight_scale * np.random.randn(pooled_size, hidden_dim)
        self.params["b2"] = np.zeros(hidden_dim)
        self.params["W3"] = weight_scale * np.random.randn(hidden_dim, num_classes)
        self.params["b3"] = np.zeros(num_classes)
        ### END SOLUTION

        for name, value in self.params.items():
            self.params[name] = value.astype(dtype)

    def loss(self, X, y=None):
        """Compute the class scores, or the loss and its gradients.

        Parameters
        ----------
        X : ndarray, shape (N, C, H, W), float
            Input images (cast to ``self.dtype``; the caller's array is not modified).
        y : ndarray, shape (N,), int, optional
            Labels, ``0 <= y[i] < num_classes``.

        Returns
        -------
        scores : ndarray, shape (N, num_classes)
            When ``y`` is None (test time).
        loss, grads : float, dict of str to ndarray
            When ``y`` is given: the softmax loss plus ``0.5 * reg * sum(W**2)`` over W1..W3,
            and the gradient of that loss for every entry of ``self.params`` (same shapes).
        """
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        W3, b3 = self.params["W3"], self.params["b3"]
        if np.ndim(X) != 4 or tuple(X.shape[1:]) != self.input_dim:
            raise ValueError(
                f"X must have shape (N, {', '.join(map(str, self.input_dim))}) to match "
                f"input_dim {self.input_dim}, got {np.shape(X)}"
            )
        if y is not None:
            _checks.check_labels(y, X.shape[0], W3.shape[1])
        X = X.astype(self.dtype, copy=False)

        # pass conv_param to the forward pass for the convolutional layer
        # Padding and stride chosen to preserve the input spatial size
        filter_size = W1.shape[2]
        conv_param = {"stride": 1, "pad": (filter_size - 1) // 2}

        # pass pool_param to the forward pass for the max-pooling layer
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}

        scores = None
        ### BEGIN SOLUTION
        pooled, conv_cache = conv_relu_pool_forward(X, W1, b1, conv_param, pool_param)
        hidden, hidden_cache = affine_relu_forward(pooled, W2, b2)  # (N, hidden_dim)
        scores, scores_cache = affine_forward(hidden, W3, b3)  # (N, num_classes)
        ### END SOLUTION

        if y is None:
            return scores

        loss, grads = 0, {}
        ### BEGIN SOLUTION
        loss, dscores = softmax_loss(scores, y)
        # sum(W**2) as a dot product of flat views: no 16 MB temporary for W2
        loss += 0.5 * self.reg * float(sum(np.vdot(W.ravel(), W.ravel()) for W in (W1, W2, W3)))
        dhidden, grads["W3"], grads["b3"] = affine_backward(dscores, scores_cache)
        dpooled, grads["W2"], grads["b2"] = affine_relu_backward(dhidden, hidden_cache)
        # the images need no gradient: skip dx
        _, grads["W1"], grads["b1"] = conv_relu_pool_backward(dpooled, conv_cache,
                                                              compute_dx=False)
        grads["W1"] += self.reg * W1
        grads["W2"] += self.reg * W2
        grads["W3"] += self.reg * W3
        ### END SOLUTION

        return loss, grads
