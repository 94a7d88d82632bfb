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
    ### BEGIN SOLUTION
    x_rows = x.reshape(x.shape[0], -1)  # (N, D)
    out = x_rows @ w + b  # (N, M)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    x_rows = x.reshape(x.shape[0], -1)  # (N, D)
    dx = (dout @ w.T).reshape(x.shape)  # (N, D) -> (N, d_1, ..., d_k)
    dw = x_rows.T @ dout  # (D, M)
    db = dout.sum(axis=0)  # (M,)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    out = np.maximum(x, 0)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    dx = dout * (x > 0)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    num_rows = x.shape[0]
    rows = np.arange(num_rows)
    correct_scores = x[rows, y][:, np.newaxis]  # (N, 1)
    margins = np.maximum(0, x - correct_scores + 1)  # (N, C)
    margins[rows, y] = 0
    loss = float(margins.sum() / num_rows)
    positive = (margins > 0).astype(x.dtype)  # (N, C)
    positive[rows, y] = -positive.sum(axis=1)
    dx = positive / num_rows
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    num_rows = x.shape[0]
    rows = np.arange(num_rows)
    shifted = x - x.max(axis=1, keepdims=True)  # (N, C), every row's max is 0
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # (N, C)
    loss = float(-log_probs[rows, y].mean())
    dx = np.exp(log_probs)  # (N, C) class probabilities
    dx[rows, y] -= 1
    dx /= num_rows
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    num_images = x.shape[0]
    num_filters, _, filter_height, filter_width = w.shape
    height_out = 1 + (x.shape[2] + 2 * pad - filter_height) // stride
    width_out = 1 + (x.shape[3] + 2 * pad - filter_width) // stride
    x_padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))  # (N, C, H+2p, W+2p)
    out = np.empty((num_images, num_filters, height_out, width_out), np.result_type(x, w, b))
    for i in range(height_out):
        top = i * stride
        for j in range(width_out):
            left = j * stride
            window = x_padded[:, :, top:top + filter_height, left:left + filter_width]
            # (N, C, HH, WW) . (F, C, HH, WW) over C, HH, WW -> (N, F)
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    _, _, height, width = x.shape
    _, _, filter_height, filter_width = w.shape
    _, _, height_out, width_out = dout.shape
    x_padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))  # (N, C, H+2p, W+2p)
    dx_padded = np.zeros(x_padded.shape, np.result_type(x, dout))
    dw = np.zeros(w.shape, np.result_type(w, dout))
    for i in range(height_out):
        top = i * stride
        rows = slice(top, top + filter_height)
        for j in range(width_out):
            left = j * stride
            cols = slice(left, left + filter_width)
            dout_ij = dout[:, :, i, j]  # (N, F)
            # (N, F) . (N, C, HH, WW) over N -> (F, C, HH, WW)
            dw += np.tensordot(dout_ij, x_padded[:, :, rows, cols], axes=([0], [0]))
            # (N, F) . (F, C, HH, WW) over F -> (N, C, HH, WW)
            dx_padded[:, :, rows, cols] += np.tensordot(dout_ij, w, axes=([1], [0]))
    dx = dx_padded[:, :, pad:pad + height, pad:pad + width].copy()  # (N, C, H, W)
    db = dout.sum(axis=(0, 2, 3))  # (F,)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    num_images, channels, height, width = x.shape
    height_out = 1 + (height - pool_height) // stride
    width_out = 1 + (width - pool_width) // stride
    out = np.empty((num_images, channels, height_out, width_out), x.dtype)
    for i in range(height_out):
        top = i * stride
        for j in range(width_out):
            left = j * stride
            window = x[:, :, top:top + pool_height, left:left + pool_width]  # (N, C, ph, pw)
            out[:, :, i, j] = window.max(axis=(2, 3))
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    num_images, channels, _, _ = x.shape
    _, _, height_out, width_out = dout.shape
    image_index = np.arange(num_images)[:, np.newaxis]  # (N, 1)
    channel_index = np.arange(channels)[np.newaxis, :]  # (1, C)
    dx = np.zeros(x.shape, np.result_type(x, dout))
    for i in range(height_out):
        top = i * stride
        for j in range(width_out):
            left = j * stride
            window = x[:, :, top:top + pool_height, left:left + pool_width]  # (N, C, ph, pw)
            flat_argmax = window.reshape(num_images, channels, -1).argmax(axis=2)  # (N, C)
            row, col = np.unravel_index(flat_argmax, (pool_height, pool_width))
            # one position per (image, channel) in this window, so += has no duplicates
            dx[image_index, channel_index, top + row, left + col] += dout[:, :, i, j]
    ### END SOLUTION
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
        ### BEGIN SOLUTION
        mean = x.mean(axis=0)  # (D,)
        var = x.var(axis=0)  # (D,)
        inv_std = 1 / np.sqrt(var + eps)  # (D,)
        x_hat = (x - mean) * inv_std  # (N, D)
        out = gamma * x_hat + beta
        cache = (x_hat, gamma, inv_std)
        running_mean = momentum * running_mean + (1 - momentum) * mean
        running_var = momentum * running_var + (1 - momentum) * var
        ### END SOLUTION
    else:
        ### BEGIN SOLUTION
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)  # (N, D)
        out = gamma * x_hat + beta
        ### END SOLUTION

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
    ### BEGIN SOLUTION
    x_hat, gamma, inv_std = cache
    num_rows = dout.shape[0]
    dbeta = dout.sum(axis=0)  # (D,)
    dgamma = (dout * x_hat).sum(axis=0)  # (D,)
    dx_hat = dout * gamma  # (N, D)
    # The mean and variance depend on every row, hence the two batch sums.
    dx = inv_std / num_rows * (
        num_rows * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)
    )
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    x_hat, gamma, inv_std = cache
    dbeta = dout.sum(axis=0)  # (D,)
    dgamma = (dout * x_hat).sum(axis=0)  # (D,)
    dx = gamma * inv_std * (dout - (dbeta + x_hat * dgamma) / dout.shape[0])  # (N, D)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    mean = x.mean(axis=1, keepdims=True)  # (N, 1)
    inv_std = 1 / np.sqrt(x.var(axis=1, keepdims=True) + eps)  # (N, 1)
    x_hat = (x - mean) * inv_std  # (N, D)
    out = gamma * x_hat + beta
    cache = (x_hat, gamma, inv_std)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    x_hat, gamma, inv_std = cache
    num_features = dout.shape[1]
    dbeta = dout.sum(axis=0)  # (D,)
    dgamma = (dout * x_hat).sum(axis=0)  # (D,)
    dx_hat = dout * gamma  # (N, D)
    dx = inv_std / num_features * (
        num_features * dx_hat
        - dx_hat.sum(axis=1, keepdims=True)
        - x_hat * (dx_hat * x_hat).sum(axis=1, keepdims=True)
    )
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    num_images, channels, height, width = x.shape
    x_rows = x.transpose(0, 2, 3, 1).reshape(-1, channels)  # (N*H*W, C)
    out_rows, cache = batchnorm_forward(x_rows, gamma, beta, bn_param)
    out = out_rows.reshape(num_images, height, width, channels)  # (N, H, W, C)
    out = np.ascontiguousarray(out.transpose(0, 3, 1, 2))  # (N, C, H, W)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    num_images, channels, height, width = dout.shape
    dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, channels)  # (N*H*W, C)
    dx_rows, dgamma, dbeta = batchnorm_backward(dout_rows, cache)
    dx = dx_rows.reshape(num_images, height, width, channels)  # (N, H, W, C)
    dx = np.ascontiguousarray(dx.transpose(0, 3, 1, 2))  # (N, C, H, W)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    num_images, channels, _, _ = x.shape
    x_groups = x.reshape(num_images, G, -1)  # (N, G, C//G * H * W)
    mean = x_groups.mean(axis=2, keepdims=True)  # (N, G, 1)
    inv_std = 1 / np.sqrt(x_groups.var(axis=2, keepdims=True) + eps)  # (N, G, 1)
    x_hat = ((x_groups - mean) * inv_std).reshape(x.shape)  # (N, C, H, W)
    scale = gamma.reshape(1, channels, 1, 1)  # (1, C, 1, 1)
    out = scale * x_hat + beta.reshape(1, channels, 1, 1)
    cache = (x_hat, gamma, inv_std, G)
    ### END SOLUTION
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
    ### BEGIN SOLUTION
    x_hat, gamma, inv_std, G = cache
    num_images, channels, _, _ = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3)).reshape(gamma.shape)
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3)).reshape(gamma.shape)
    dx_hat = (dout * gamma.reshape(1, channels, 1, 1)).reshape(num_images, G, -1)  # (N, G, M)
    x_hat_groups = x_hat.reshape(num_images, G, -1)  # (N, G, M), M = C//G * H * W
    group_size = x_hat_groups.shape[2]
    dx_groups = inv_std / group_size * (
        group_size * dx_hat
        - dx_hat.sum(axis=2, keepdims=True)
        - x_hat_groups * (dx_hat * x_hat_groups).sum(axis=2, keepdims=True)
    )
    dx = dx_groups.reshape(dout.shape)  # (N, C, H, W)
    ### END SOLUTION
    return dx, dgamma, dbeta
