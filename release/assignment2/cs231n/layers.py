"""Forward and backward passes of the layers, in plain NumPy.

Every ``*_forward`` returns ``(out, cache)``; every ``*_backward(dout, cache)`` returns the
gradients of the loss with respect to the forward inputs, each with the shape of that input.

Shape letters used throughout:

- ``N``: minibatch size;  ``D``: input features of an affine layer;  ``M``: its outputs.
- ``C``: input channels (or classes, for the losses);  ``H``, ``W``: input height and width.
- ``F``: number of convolution filters;  ``HH``, ``WW``: filter height and width.
- ``H_out``, ``W_out``: output height and width of a convolution or pooling layer.
- ``G``: number of groups in group normalization (it divides ``C``).

Arrays keep the floating dtype of their inputs: float32 in, float32 out.  Bad input (wrong
shapes, impossible strides, unknown modes, out-of-range labels) raises ``ValueError`` naming
the expected and actual values.  No function modifies its arguments, except that the
normalization layers store their running statistics in ``bn_param`` as the course does.
"""

import numpy as np

from . import _checks


def affine_forward(x, w, b):
    """Compute the forward pass of an affine (fully connected) layer.

    Each example ``x[i]`` of shape ``(d_1, ..., d_k)`` is flattened into a vector of
    ``D = d_1 * ... * d_k`` values, then mapped to ``M`` outputs.

    Parameters
    ----------
    x : ndarray, shape (N, d_1, ..., d_k), float
        Minibatch of inputs.
    w : ndarray, shape (D, M), float
        Weights.
    b : ndarray, shape (M,), float
        Biases.

    Returns
    -------
    out : ndarray, shape (N, M), dtype of ``x @ w``
        ``x.reshape(N, D) @ w + b``.
    cache : tuple
        ``(x, w, b)`` for :func:`affine_backward`.
    """
    _checks.check_affine(x, w, b)
    out = None
    # YOUR CODE HERE
    raise NotImplementedError('Implement affine_forward in cs231n/layers.py')
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    """Compute the backward pass of an affine layer.

    Parameters
    ----------
    dout : ndarray, shape (N, M), float
        Upstream derivative.
    cache : tuple
        ``(x, w, b)`` from :func:`affine_forward`: x (N, d_1, ..., d_k), w (D, M), b (M,).

    Returns
    -------
    dx : ndarray, shape (N, d_1, ..., d_k)
        Gradient with respect to ``x``.
    dw : ndarray, shape (D, M)
        Gradient with respect to ``w``.
    db : ndarray, shape (M,)
        Gradient with respect to ``b``.
    """
    x, w, _ = cache
    _checks.check_shape("dout", dout, (x.shape[0], w.shape[1]))
    dx, dw, db = None, None, None
    # YOUR CODE HERE
    raise NotImplementedError('Implement affine_backward in cs231n/layers.py')
    return dx, dw, db


def relu_forward(x):
    """Compute the forward pass of a layer of rectified linear units (ReLUs).

    Parameters
    ----------
    x : ndarray, any shape, float
        Inputs.

    Returns
    -------
    out : ndarray, same shape and dtype as ``x``
        ``max(0, x)`` elementwise.
    cache : ndarray
        ``x`` for :func:`relu_backward`.
    """
    out = None
    # YOUR CODE HERE
    raise NotImplementedError('Implement relu_forward in cs231n/layers.py')
    cache = x
    return out, cache


def relu_backward(dout, cache):
    """Compute the backward pass of a layer of ReLUs.

    Parameters
    ----------
    dout : ndarray, same shape as ``x``, float
        Upstream derivative.
    cache : ndarray
        The input ``x`` of :func:`relu_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``x``
        Gradient with respect to ``x`` (zero where ``x <= 0``).
    """
    x = cache
    _checks.check_shape("dout", dout, np.shape(x))
    dx = None
    # YOUR CODE HERE
    raise NotImplementedError('Implement relu_backward in cs231n/layers.py')
    return dx


def svm_loss(x, y):
    """Compute the multiclass SVM (hinge) loss and its gradient, averaged over the batch.

    ``loss = mean_i sum_{j != y_i} max(0, x[i, j] - x[i, y_i] + 1)``.

    Parameters
    ----------
    x : ndarray, shape (N, C), float
        Class scores; ``x[i, j]`` is the score of class ``j`` for example ``i``.
    y : ndarray, shape (N,), int
        Labels, ``0 <= y[i] < C``.

    Returns
    -------
    loss : float
        Mean hinge loss.
    dx : ndarray, shape (N, C), dtype of ``x``
        Gradient of the loss with respect to ``x``.
    """
    _checks.check_scores(x, y)
    loss, dx = None, None
    # YOUR CODE HERE
    raise NotImplementedError('Implement svm_loss in cs231n/layers.py')
    return loss, dx


def softmax_loss(x, y):
    """Compute the softmax (cross-entropy) loss and its gradient, averaged over the batch.

    Stable for large scores: each row is shifted by its maximum before exponentiating.

    Parameters
    ----------
    x : ndarray, shape (N, C), float
        Class scores.
    y : ndarray, shape (N,), int
        Labels, ``0 <= y[i] < C``.

    Returns
    -------
    loss : float
        Mean negative log-probability of the correct class.
    dx : ndarray, shape (N, C), dtype of ``x``
        Gradient of the loss with respect to ``x``.
    """
    _checks.check_scores(x, y)
    loss, dx = None, None
    # YOUR CODE HERE
    raise NotImplementedError('Implement softmax_loss in cs231n/layers.py')
    return loss, dx


def conv_forward_naive(x, w, b, conv_param):
    """Compute the forward pass of a convolutional layer, naively (loops over positions).

    Each of the ``N`` inputs is zero-padded by ``pad`` on all four sides of H and W, then every
    filter slides over it with step ``stride`` in both directions:
    ``H_out = 1 + (H + 2*pad - HH) // stride`` and ``W_out = 1 + (W + 2*pad - WW) // stride``.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W), float
        Input images.
    w : ndarray, shape (F, C, HH, WW), float
        Filter weights.
    b : ndarray, shape (F,), float
        Filter biases.
    conv_param : dict
        ``'stride'`` (int >= 1) and ``'pad'`` (int >= 0).  The stride must tile the padded
        input: ``(H + 2*pad - HH) % stride == 0`` (same for W).

    Returns
    -------
    out : ndarray, shape (N, F, H_out, W_out), dtype of ``x``, ``w`` and ``b`` combined
        Convolution outputs.
    cache : tuple
        ``(x, w, b, conv_param)`` for :func:`conv_backward_naive`.
    """
    stride, pad = _checks.check_conv(x, w, b, conv_param)
    out = None
    # YOUR CODE HERE
    raise NotImplementedError('Implement conv_forward_naive in cs231n/layers.py')
    cache = (x, w, b, conv_param)
    return out, cache


def conv_backward_naive(dout, cache):
    """Compute the backward pass of a convolutional layer, naively.

    Parameters
    ----------
    dout : ndarray, shape (N, F, H_out, W_out), float
        Upstream derivative.
    cache : tuple
        ``(x, w, b, conv_param)`` from :func:`conv_forward_naive`.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
        Gradient with respect to ``x``.
    dw : ndarray, shape (F, C, HH, WW)
        Gradient with respect to ``w``.
    db : ndarray, shape (F,)
        Gradient with respect to ``b``.
    """
    x, w, b, conv_param = cache
    stride, pad = _checks.check_conv(x, w, b, conv_param)
    _checks.check_shape("dout", dout, (
        x.shape[0], w.shape[0],
        1 + (x.shape[2] + 2 * pad - w.shape[2]) // stride,
        1 + (x.shape[3] + 2 * pad - w.shape[3]) // stride,
    ))
    dx, dw, db = None, None, None
    # YOUR CODE HERE
    raise NotImplementedError('Implement conv_backward_naive in cs231n/layers.py')
    return dx, dw, db


def max_pool_forward_naive(x, pool_param):
    """Compute the forward pass of a max-pooling layer, naively.

    Windows of ``pool_height x pool_width`` slide with step ``stride`` (they may overlap):
    ``H_out = 1 + (H - pool_height) // stride``, ``W_out = 1 + (W - pool_width) // stride``.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W), float
        Input data.
    pool_param : dict
        ``'pool_height'``, ``'pool_width'`` and ``'stride'`` (ints >= 1).  The windows must fit
        and tile the input: ``(H - pool_height) % stride == 0`` (same for W).

    Returns
    -------
    out : ndarray, shape (N, C, H_out, W_out), dtype of ``x``
        Maximum of each window.
    cache : tuple
        ``(x, pool_param)`` for :func:`max_pool_backward_naive`.
    """
    pool_height, pool_width, stride = _checks.check_pool(x, pool_param)
    out = None
    # YOUR CODE HERE
    raise NotImplementedError('Implement max_pool_forward_naive in cs231n/layers.py')
    cache = (x, pool_param)
    return out, cache


def max_pool_backward_naive(dout, cache):
    """Compute the backward pass of a max-pooling layer, naively.

    Each window's upstream derivative goes to the position of its maximum (the first one in
    row-major order on ties); overlapping windows add up.

    Parameters
    ----------
    dout : ndarray, shape (N, C, H_out, W_out), float
        Upstream derivative.
    cache : tuple
        ``(x, pool_param)`` from :func:`max_pool_forward_naive`.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
        Gradient with respect to ``x``.
    """
    x, pool_param = cache
    pool_height, pool_width, stride = _checks.check_pool(x, pool_param)
    _checks.check_shape("dout", dout, (
        x.shape[0], x.shape[1],
        1 + (x.shape[2] - pool_height) // stride,
        1 + (x.shape[3] - pool_width) // stride,
    ))
    dx = None
    # YOUR CODE HERE
    raise NotImplementedError('Implement max_pool_backward_naive in cs231n/layers.py')
    return dx


def batchnorm_forward(x, gamma, beta, bn_param):
    """Compute the forward pass of batch normalization.

    In 'train' mode each feature is normalized with the minibatch mean and (biased) variance,
    and running averages are kept: ``running = momentum * running + (1 - momentum) * batch``.
    In 'test' mode the running averages are used instead.  Then ``out = gamma * x_hat + beta``.

    Parameters
    ----------
    x : ndarray, shape (N, D), float
        Input data.
    gamma : ndarray, shape (D,), float
        Scale parameters.
    beta : ndarray, shape (D,), float
        Shift parameters.
    bn_param : dict
        ``'mode'``: 'train' or 'test' (required); ``'eps'`` (default 1e-5);
        ``'momentum'`` (default 0.9); ``'running_mean'``, ``'running_var'``: arrays of shape
        (D,), created as zeros of ``x``'s dtype on the first call.  This dict is updated in
        place (new ``running_mean``/``running_var`` arrays are stored in it in 'train' mode;
        the arrays it held before are not modified).

    Returns
    -------
    out : ndarray, shape (N, D), dtype of ``x``
        Normalized, scaled and shifted data.
    cache : tuple
        Values needed by :func:`batchnorm_backward` (None in 'test' mode).
    """
    _checks.check_ndim("x", x, 2, "(N, D)")
    _checks.check_norm_param(bn_param, "bn_param", needs_mode=True)
    _checks.check_shape("gamma", gamma, (x.shape[1],))
    _checks.check_shape("beta", beta, (x.shape[1],))
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    num_features = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(num_features, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(num_features, dtype=x.dtype))
    _checks.check_shape("bn_param['running_mean']", running_mean, (num_features,))
    _checks.check_shape("bn_param['running_var']", running_var, (num_features,))

    out, cache = None, None
    if mode == "train":
        # YOUR CODE HERE
        raise NotImplementedError('Implement batchnorm_forward in cs231n/layers.py')
    else:
        # YOUR CODE HERE
        raise NotImplementedError('Implement batchnorm_forward in cs231n/layers.py')

    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    """Compute the backward pass of batch normalization ('train' mode).

    Parameters
    ----------
    dout : ndarray, shape (N, D), float
        Upstream derivative.
    cache : tuple
        From :func:`batchnorm_forward` in 'train' mode.

    Returns
    -------
    dx : ndarray, shape (N, D)
        Gradient with respect to ``x``.
    dgamma : ndarray, shape (D,)
        Gradient with respect to ``gamma``.
    dbeta : ndarray, shape (D,)
        Gradient with respect to ``beta``.
    """
    _checks.check_ndim("dout", dout, 2, "(N, D)")
    if cache is None:
        raise ValueError("batchnorm_backward needs the cache of a 'train' mode forward pass")
    dx, dgamma, dbeta = None, None, None
    # YOUR CODE HERE
    raise NotImplementedError('Implement batchnorm_backward in cs231n/layers.py')
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    """Compute the backward pass of batch normalization with a simplified closed form.

    Same contract as :func:`batchnorm_backward`.  Optional and not graded: the end of
    SpatialBatchNormalization.ipynb compares its results and speed with batchnorm_backward.

    Parameters
    ----------
    dout : ndarray, shape (N, D), float
        Upstream derivative.
    cache : tuple
        From :func:`batchnorm_forward` in 'train' mode.

    Returns
    -------
    dx : ndarray, shape (N, D)
    dgamma, dbeta : ndarray, shape (D,)
    """
    _checks.check_ndim("dout", dout, 2, "(N, D)")
    if cache is None:
        raise ValueError("batchnorm_backward_alt needs the cache of a 'train' mode forward pass")
    dx, dgamma, dbeta = None, None, None
    # YOUR CODE HERE
    raise NotImplementedError('Implement batchnorm_backward_alt in cs231n/layers.py')
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    """Compute the forward pass of layer normalization (per-example statistics).

    Optional and not graded: checked at the end of SpatialBatchNormalization.ipynb.

    Parameters
    ----------
    x : ndarray, shape (N, D), float
        Input data.
    gamma, beta : ndarray, shape (D,), float
        Scale and shift parameters.
    ln_param : dict
        ``'eps'`` (default 1e-5).

    Returns
    -------
    out : ndarray, shape (N, D), dtype of ``x``
    cache : tuple
        Values needed by :func:`layernorm_backward`.
    """
    _checks.check_ndim("x", x, 2, "(N, D)")
    _checks.check_norm_param(ln_param, "ln_param", needs_mode=False)
    _checks.check_shape("gamma", gamma, (x.shape[1],))
    _checks.check_shape("beta", beta, (x.shape[1],))
    eps = ln_param.get("eps", 1e-5)
    out, cache = None, None
    # YOUR CODE HERE
    raise NotImplementedError('Implement layernorm_forward in cs231n/layers.py')
    return out, cache


def layernorm_backward(dout, cache):
    """Compute the backward pass of layer normalization.

    Parameters
    ----------
    dout : ndarray, shape (N, D), float
        Upstream derivative.
    cache : tuple
        From :func:`layernorm_forward`.

    Returns
    -------
    dx : ndarray, shape (N, D)
        Gradient with respect to ``x``.
    dgamma, dbeta : ndarray, shape (D,)
        Gradients with respect to ``gamma`` and ``beta``.
    """
    _checks.check_ndim("dout", dout, 2, "(N, D)")
    dx, dgamma, dbeta = None, None, None
    # YOUR CODE HERE
    raise NotImplementedError('Implement layernorm_backward in cs231n/layers.py')
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    """Compute the forward pass of spatial batch normalization.

    Each channel is normalized over the batch and both spatial axes (N * H * W values), by
    reusing :func:`batchnorm_forward` on an (N*H*W, C) view of the data.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W), float
        Input data.
    gamma : ndarray, shape (C,), float
        Scale parameters.
    beta : ndarray, shape (C,), float
        Shift parameters.
    bn_param : dict
        As for :func:`batchnorm_forward` (running statistics of shape (C,)).

    Returns
    -------
    out : ndarray, shape (N, C, H, W), dtype of ``x``, C-contiguous
    cache : tuple
        Values needed by :func:`spatial_batchnorm_backward`.
    """
    _checks.check_ndim("x", x, 4, "(N, C, H, W)")
    _checks.check_norm_param(bn_param, "bn_param", needs_mode=True)
    _checks.check_shape("gamma", gamma, (x.shape[1],))
    _checks.check_shape("beta", beta, (x.shape[1],))
    out, cache = None, None
    # YOUR CODE HERE
    raise NotImplementedError('Implement spatial_batchnorm_forward in cs231n/layers.py')
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    """Compute the backward pass of spatial batch normalization.

    Parameters
    ----------
    dout : ndarray, shape (N, C, H, W), float
        Upstream derivative.
    cache : tuple
        From :func:`spatial_batchnorm_forward` in 'train' mode.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W), C-contiguous
        Gradient with respect to ``x``.
    dgamma : ndarray, shape (C,)
        Gradient with respect to ``gamma``.
    dbeta : ndarray, shape (C,)
        Gradient with respect to ``beta``.
    """
    _checks.check_ndim("dout", dout, 4, "(N, C, H, W)")
    dx, dgamma, dbeta = None, None, None
    # YOUR CODE HERE
    raise NotImplementedError('Implement spatial_batchnorm_backward in cs231n/layers.py')
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    """Compute the forward pass of spatial group normalization.

    The C channels of each example are split into G consecutive groups of C // G channels;
    each group is normalized over its (C // G) * H * W values, then every channel is scaled
    and shifted.  Statistics are per example, so train and test behave the same.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W), float
        Input data.
    gamma : ndarray, shape (1, C, 1, 1) or (C,), float
        Scale parameters.
    beta : ndarray, same shape as ``gamma``, float
        Shift parameters.
    G : int
        Number of groups; must divide C.
    gn_param : dict
        ``'eps'`` (default 1e-5).

    Returns
    -------
    out : ndarray, shape (N, C, H, W), dtype of ``x``
    cache : tuple
        Values needed by :func:`spatial_groupnorm_backward`.
    """
    _checks.check_ndim("x", x, 4, "(N, C, H, W)")
    channels = x.shape[1]
    _checks.check_groups(G, channels)
    _checks.check_param_shape("gamma", gamma, [(1, channels, 1, 1), (channels,)])
    _checks.check_shape("beta", beta, np.shape(gamma))
    _checks.check_norm_param(gn_param, "gn_param", needs_mode=False)
    eps = gn_param.get("eps", 1e-5)
    out, cache = None, None
    # YOUR CODE HERE
    raise NotImplementedError('Implement spatial_groupnorm_forward in cs231n/layers.py')
    return out, cache


def spatial_groupnorm_backward(dout, cache):
    """Compute the backward pass of spatial group normalization.

    Parameters
    ----------
    dout : ndarray, shape (N, C, H, W), float
        Upstream derivative.
    cache : tuple
        From :func:`spatial_groupnorm_forward`.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
        Gradient with respect to ``x``.
    dgamma : ndarray, shape of ``gamma`` ((1, C, 1, 1) or (C,))
        Gradient with respect to ``gamma``.
    dbeta : ndarray, shape of ``beta``
        Gradient with respect to ``beta``.
    """
    _checks.check_ndim("dout", dout, 4, "(N, C, H, W)")
    dx, dgamma, dbeta = None, None, None
    # YOUR CODE HERE
    raise NotImplementedError('Implement spatial_groupnorm_backward in cs231n/layers.py')
    return dx, dgamma, dbeta
