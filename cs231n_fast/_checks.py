"""Input validation shared by the fast layers: every bad input becomes a ValueError that
names the offending values, before any compiled kernel sees it."""

import numbers

import numpy as np

SUPPORTED_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def float_array(name, a, ndim):
    """``a`` as an ndarray of float32/float64 with ``ndim`` axes (no copy), or ValueError."""
    a = np.asarray(a)
    if a.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got {a.ndim} (shape {a.shape})")
    if a.dtype not in SUPPORTED_DTYPES:
        raise ValueError(f"{name} must be float32 or float64, got dtype {a.dtype}")
    return a


def check_int(name, value, minimum=1):
    """``value`` as a Python int, or ValueError naming it unless it is an integer (not a bool)
    >= ``minimum``: the package's one integer check, worded as cs231n._checks.check_int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)


def int_param(params, params_name, key, minimum):
    """``params[key]`` as a Python int >= minimum, or ValueError naming the key and value."""
    if not isinstance(params, dict):
        raise ValueError(f"{params_name} must be a dict, got {type(params).__name__}")
    if key not in params:
        raise ValueError(f"{params_name} is missing '{key}' (keys given: {sorted(params)})")
    return check_int(f"{params_name}['{key}']", params[key], minimum)


def output_size(axis, size, window, stride, pad, window_name):
    """(size + 2*pad - window) // stride + 1, when the windows tile the padded axis exactly."""
    if size < 1:
        raise ValueError(f"{axis} must be at least 1, got {size}")
    span = size + 2 * pad - window
    if span < 0:
        raise ValueError(
            f"{window_name}={window} is larger than the padded input: "
            f"{axis} + 2*pad = {size} + 2*{pad} = {size + 2 * pad}"
        )
    if span % stride != 0:
        raise ValueError(
            f"stride {stride} does not tile: ({axis} + 2*pad - {window_name}) = "
            f"({size} + 2*{pad} - {window}) = {span} is not a multiple of {stride}"
        )
    return span // stride + 1


def gradient(name, dout, expected_shape, dtype):
    """dout as a C-contiguous array of the forward pass's dtype, or ValueError on a bad shape."""
    dout = np.asarray(dout)
    if dout.shape != expected_shape:
        raise ValueError(f"{name} has shape {dout.shape}, expected {expected_shape}")
    if dout.dtype.kind != "f":
        raise ValueError(f"{name} must be a float array, got dtype {dout.dtype}")
    return np.ascontiguousarray(dout, dtype=dtype)


def cache_tuple(name, cache, length):
    """The cache from the matching forward pass, or ValueError."""
    if not isinstance(cache, tuple) or len(cache) != length:
        raise ValueError(
            f"cache must be the {length}-tuple returned by {name}, got {type(cache).__name__}"
        )
    return cache
