"""Input checks shared by the layers: each raises ValueError naming expected and actual values.

These run before the code students write, so a wrong shape or an impossible hyperparameter is
reported as such instead of surfacing later as a confusing broadcast error or a silent wrong
answer.  None of them modifies its arguments.
"""

import numbers

import numpy as np


def check_ndim(name, arr, ndim, layout):
    """Raise unless ``arr`` is an array with ``ndim`` dimensions (``layout`` names them)."""
    actual = np.ndim(arr)
    if actual != ndim:
        raise ValueError(
            f"{name} must be {ndim}-dimensional {layout}, got {actual} dimensions "
            f"(shape {np.shape(arr)})"
        )


def check_shape(name, arr, expected):
    """Raise unless ``arr.shape == expected``."""
    actual = np.shape(arr)
    if tuple(actual) != tuple(expected):
        raise ValueError(f"{name} must have shape {tuple(expected)}, got {tuple(actual)}")


def check_param_shape(name, arr, allowed):
    """Raise unless ``arr.shape`` is one of the tuples in ``allowed``."""
    actual = tuple(np.shape(arr))
    if actual not in [tuple(shape) for shape in allowed]:
        options = " or ".join(str(tuple(shape)) for shape in allowed)
        raise ValueError(f"{name} must have shape {options}, got {actual}")


def check_int(name, value, minimum=1, allow_none=False):
    """Return ``value`` as an int, raising ValueError naming it unless it is an integer (not a
    bool) >= ``minimum``; ``None`` passes through when ``allow_none``.  The package's one
    integer check."""
    if allow_none and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)


def get_int(params, params_name, key, minimum):
    """Return ``params[key]`` as an int, raising if it is missing, not integral or too small."""
    if not isinstance(params, dict):
        raise ValueError(f"{params_name} must be a dict, got {type(params).__name__}")
    if key not in params:
        raise ValueError(f"{params_name} is missing '{key}' (keys given: {sorted(params)})")
    return check_int(f"{params_name}['{key}']", params[key], minimum)


def check_window(kind, axis, size, window, stride, pad=None):
    """Raise unless a window of ``window`` slides over ``size (+ 2*pad)`` in whole strides.

    ``kind`` is "stride" for convolution (``pad`` given) and "pool stride" for pooling
    (``pad`` None); ``axis`` is "H" or "W".
    """
    if pad is None:
        window_name = {"H": "pool_height", "W": "pool_width"}[axis]
        span = f"({axis} - {window_name})"
        values = f"{axis}={size}, {window_name}={window}"
        room = size - window
    else:
        window_name = {"H": "HH", "W": "WW"}[axis]
        span = f"({axis} + 2*pad - {window_name})"
        values = f"{axis}={size}, pad={pad}, {window_name}={window}"
        room = size + 2 * pad - window
    if room < 0:
        where = "input" if pad is None else "padded input"
        raise ValueError(
            f"{window_name} is larger than the {where}: {span} = {room} < 0 ({values})"
        )
    if room % stride != 0:
        raise ValueError(f"{kind} {stride} does not tile: {span} = {room} ({values})")


def check_labels(y, num_rows, num_classes):
    """Raise unless ``y`` is ``num_rows`` integer labels in ``[0, num_classes)``."""
    y = np.asarray(y)
    if y.shape != (num_rows,):
        raise ValueError(f"y must have shape ({num_rows},) to match x, got {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must hold integer class labels, got dtype {y.dtype}")
    if num_rows and (y.min() < 0 or y.max() >= num_classes):
        bad = y[(y < 0) | (y >= num_classes)]
        raise ValueError(
            f"y labels must be in [0, {num_classes}) for C = {num_classes} classes, "
            f"got {bad[:5].tolist()}"
        )


def check_mode(name, mode):
    """Raise unless ``mode`` is 'train' or 'test'."""
    if mode not in ("train", "test"):
        raise ValueError(f"{name}['mode'] must be 'train' or 'test', got {mode!r}")


def check_affine(x, w, b):
    """Raise unless x (N, d_1, ..., d_k), w (D, M), b (M,) fit, with D = d_1 * ... * d_k."""
    if np.ndim(x) < 2:
        raise ValueError(
            f"x must be (N, d_1, ..., d_k) with a leading batch dimension N, got shape "
            f"{np.shape(x)}"
        )
    check_ndim("w", w, 2, "(D, M)")
    input_size = int(np.prod(np.shape(x)[1:]))
    if input_size != w.shape[0]:
        raise ValueError(
            f"x rows have D = {input_size} values (x shape {np.shape(x)}) but w expects "
            f"D = {w.shape[0]} (w shape {w.shape})"
        )
    check_shape("b", b, (w.shape[1],))


def check_conv(x, w, b, conv_param):
    """Raise unless x (N, C, H, W), w (F, C, HH, WW), b (F,) and conv_param fit together.

    Returns ``(stride, pad)`` as ints.
    """
    check_ndim("x", x, 4, "(N, C, H, W)")
    check_ndim("w", w, 4, "(F, C, HH, WW)")
    if x.shape[1] != w.shape[1]:
        raise ValueError(
            f"channel mismatch: x has C = {x.shape[1]} channels (shape {x.shape}) but w "
            f"expects C = {w.shape[1]} (shape {w.shape})"
        )
    check_shape("b", b, (w.shape[0],))
    stride = get_int(conv_param, "conv_param", "stride", 1)
    pad = get_int(conv_param, "conv_param", "pad", 0)
    check_window("stride", "H", x.shape[2], w.shape[2], stride, pad)
    check_window("stride", "W", x.shape[3], w.shape[3], stride, pad)
    return stride, pad


def check_pool(x, pool_param):
    """Raise unless x (N, C, H, W) and pool_param describe windows that tile the input.

    Returns ``(pool_height, pool_width, stride)`` as ints.
    """
    check_ndim("x", x, 4, "(N, C, H, W)")
    pool_height = get_int(pool_param, "pool_param", "pool_height", 1)
    pool_width = get_int(pool_param, "pool_param", "pool_width", 1)
    stride = get_int(pool_param, "pool_param", "stride", 1)
    check_window("pool stride", "H", x.shape[2], pool_height, stride)
    check_window("pool stride", "W", x.shape[3], pool_width, stride)
    return pool_height, pool_width, stride


def check_scores(x, y):
    """Raise unless x is (N, C) scores and y is N labels in [0, C)."""
    check_ndim("x", x, 2, "scores (N, C)")
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"x must hold at least one example and one class, got shape {x.shape}")
    check_labels(y, x.shape[0], x.shape[1])


def check_norm_param(param, name, needs_mode):
    """Raise unless ``param`` is a dict (with a valid 'mode' when ``needs_mode``) and eps > 0."""
    if not isinstance(param, dict):
        raise ValueError(f"{name} must be a dict, got {type(param).__name__}")  # noqa: TRY004
    if needs_mode:
        if "mode" not in param:
            raise ValueError(f"{name} is missing 'mode' ('train' or 'test')")
        check_mode(name, param["mode"])
    eps = param.get("eps", 1e-5)
    if not eps > 0:
        raise ValueError(f"{name}['eps'] must be > 0, got {eps!r}")


def check_groups(G, channels):
    """Raise unless ``G`` is a positive integer dividing the number of channels C."""
    check_int("G", G)
    if channels % G != 0:
        raise ValueError(f"G = {G} groups does not divide C = {channels} channels")
