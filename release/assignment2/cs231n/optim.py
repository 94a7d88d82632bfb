"""First-order update rules used by ``Solver``.

Each rule has the interface::

    next_w, config = update(w, dw, config=None)

w : ndarray
    Current weights, any shape; never modified (a new array is returned).
dw : ndarray, same shape as ``w``
    Gradient of the loss with respect to ``w``.
config : dict or None
    Hyperparameters (learning rate, ...) and state that must survive between steps (momentum
    velocity, moment estimates, step count). Missing entries get the defaults below. The dict
    passed in is not modified: the returned ``config`` is a new dict, which ``Solver`` stores and
    passes back on the next step.

``next_w`` has the dtype of ``w`` (a float32 model stays float32 even if ``dw`` is float64), and
state arrays have the shape and dtype of ``w``.
"""

import math

import numpy as np

try:  # the kit's compiled kernels; without a build, adam runs in NumPy
    from cs231n_fast import adam_step as _fused_adam_step
except ImportError:
    _fused_adam_step = None

__all__ = ["adam", "rmsprop", "sgd", "sgd_momentum"]


def _start(w, dw, config, defaults):
    """Validate the step's inputs and return a fresh config with defaults filled in."""
    if config is not None and not isinstance(config, dict):
        raise ValueError(f"config must be a dict or None, got {type(config).__name__}")
    w = np.asarray(w)
    dw = np.asarray(dw)
    if w.shape != dw.shape:
        raise ValueError(f"w has shape {w.shape} but dw has shape {dw.shape}")
    new_config = dict(defaults)
    new_config.update(config or {})
    return w, dw, new_config


def _cast(array, like):
    return np.asarray(array).astype(like.dtype, copy=False)


def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent: ``w - learning_rate * dw``.

    config: ``learning_rate`` (default 1e-2).
    """
    w, dw, config = _start(w, dw, config, {"learning_rate": 1e-2})
    next_w = _cast(w - config["learning_rate"] * dw, w)
    return next_w, config


def sgd_momentum(w, dw, config=None):
    """SGD with momentum: ``v = momentum * v - learning_rate * dw; w + v``.

    config: ``learning_rate`` (1e-2), ``momentum`` in [0, 1) (0.9), ``velocity`` (zeros like w).
    """
    w, dw, config = _start(w, dw, config, {"learning_rate": 1e-2, "momentum": 0.9})
    velocity = config.get("velocity")
    if velocity is None:
        velocity = np.zeros_like(w)
    velocity = _cast(config["momentum"] * velocity - config["learning_rate"] * dw, w)
    config["velocity"] = velocity
    return _cast(w + velocity, w), config


def rmsprop(w, dw, config=None):
    """RMSProp: scale the step by a moving average of squared gradients.

    ``cache = decay_rate * cache + (1 - decay_rate) * dw**2;
    w - learning_rate * dw / (sqrt(cache) + epsilon)``.

    config: ``learning_rate`` (1e-2), ``decay_rate`` (0.99), ``epsilon`` (1e-8),
    ``cache`` (zeros like w).
    """
    w, dw, config = _start(w, dw, config,
                           {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8})
    cache = config.get("cache")
    if cache is None:
        cache = np.zeros_like(w)
    decay = config["decay_rate"]
    cache = _cast(decay * cache + (1 - decay) * dw**2, w)
    config["cache"] = cache
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    return _cast(next_w, w), config


def adam(w, dw, config=None):
    """Adam (Kingma and Ba, 2015) with bias-corrected moment estimates.

    The step count ``t`` is incremented BEFORE it is used, so the first step divides by
    ``1 - beta**1`` (as the modern course and ``torch.optim.Adam`` do)::

        t += 1
        m = beta1 * m + (1 - beta1) * dw;      m_hat = m / (1 - beta1**t)
        v = beta2 * v + (1 - beta2) * dw**2;   v_hat = v / (1 - beta2**t)
        w - learning_rate * m_hat / (sqrt(v_hat) + epsilon)

    config: ``learning_rate`` (1e-3), ``beta1`` (0.9), ``beta2`` (0.999), ``epsilon`` (1e-8),
    ``m`` and ``v`` (zeros like w), ``t`` (0).

    For float32/float64 weights the step runs in ``cs231n_fast.adam_step`` (one multi-threaded
    pass) when the kit's compiled package is built, else in NumPy (``_adam_numpy``); both do
    the same arithmetic in the same order.
    """
    w, dw, config = _start(w, dw, config, {"learning_rate": 1e-3, "beta1": 0.9,
                                           "beta2": 0.999, "epsilon": 1e-8, "t": 0})
    m = config.get("m")
    v = config.get("v")
    m = np.zeros_like(w) if m is None else _cast(m, w)
    v = np.zeros_like(w) if v is None else _cast(v, w)
    dw = _cast(dw, w)
    t = config["t"] + 1
    step = (w, dw, m, v, config["learning_rate"], config["beta1"], config["beta2"],
            config["epsilon"], t)
    if _fused_adam_step is not None and w.dtype in (np.float32, np.float64):
        next_w, m_new, v_new = _fused_adam_step(*step)
    else:
        next_w, m_new, v_new = _adam_numpy(*step)
    config.update(m=m_new, v=v_new, t=t)
    return next_w, config


def _adam_numpy(w, dw, m, v, learning_rate, beta1, beta2, epsilon, t):
    """Adam's (next_w, m, v) in NumPy, for arrays of one dtype.

    The arithmetic of ``adam``'s formula in torch.optim.Adam's order, written with out= so that
    one step makes the three new arrays and one scratch array instead of a dozen temporaries:
    Adam on the convnet's 4M-weight W2 is a large part of a training epoch.  Python-float
    scalars keep a float32 step in float32.
    """
    scratch = np.empty_like(w)
    m_new = np.multiply(dw, 1 - beta1)
    m_new += np.multiply(m, beta1, out=scratch)
    v_new = np.multiply(dw, 1 - beta2)
    v_new *= dw
    v_new += np.multiply(v, beta2, out=scratch)
    denom = np.sqrt(v_new, out=scratch)  # sqrt(v_hat) + epsilon, as sqrt(v) / sqrt(1 - beta2**t)
    denom /= math.sqrt(1 - beta2**t)
    denom += epsilon
    next_w = np.divide(m_new, denom)
    next_w *= -learning_rate / (1 - beta1**t)
    next_w += w
    return next_w, m_new, v_new
