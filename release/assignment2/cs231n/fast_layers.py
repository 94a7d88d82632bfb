"""Fast convolution and max-pooling layers, backed by the compiled ``cs231n_fast`` package.

Same API as the naive layers in ``cs231n.layers``: ``conv_forward_fast(x, w, b, conv_param)``
and ``max_pool_forward_fast(x, pool_param)`` return ``(out, cache)``; the backward passes take
``(dout, cache)`` and return the gradients.  float32 stays float32, float64 stays float64.
Any filter shape, stride and padding, and overlapping pooling windows, are supported.
``conv_relu_pool_forward_fast`` / ``conv_relu_pool_backward_fast`` are convolution, ReLU and
max pooling in one pass (what ``cs231n.layer_utils.conv_relu_pool_forward`` uses).
"""

try:
    from cs231n_fast import (
        col2im,
        conv_backward_fast,
        conv_forward_fast,
        conv_relu_pool_backward_fast,
        conv_relu_pool_forward_fast,
        im2col,
        max_pool_backward_fast,
        max_pool_forward_fast,
    )
except ModuleNotFoundError as error:
    # Any other ImportError comes from cs231n_fast itself, with its own message: let it through.
    if error.name != "cs231n_fast":
        raise
    raise ImportError(
        "The fast layers are not installed: this Python environment has no cs231n_fast. "
        "In a terminal, in the assignment folder (the one holding setup.py), run "
        "`pip install -e .` with the Python your notebook kernel uses, then restart the kernel."
    ) from None

__all__ = [
    "col2im",
    "conv_backward_fast",
    "conv_forward_fast",
    "conv_relu_pool_backward_fast",
    "conv_relu_pool_forward_fast",
    "im2col",
    "max_pool_backward_fast",
    "max_pool_forward_fast",
]
