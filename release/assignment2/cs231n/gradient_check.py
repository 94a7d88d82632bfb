"""Numerical gradients by centred differences, to check analytic backward passes.

Every function here perturbs one entry of ``x`` at a time IN PLACE, evaluates ``f``, and puts
the original value back (also when ``f`` raises). In-place perturbation is the course's
contract, not an accident: the notebooks check a model with ``f = lambda _: model.loss(X, y)[0]``
and ``x = model.params[name]``, so ``f`` only sees the change through the shared array. That is
the one documented exception to "no function modifies its arguments": on return ``x`` holds
exactly the values it held on entry.

The centred difference ``(f(x + h) - f(x - h)) / (2 h)`` has error O(h**2); use float64 inputs,
since with float32 a step of 1e-5 is lost in rounding.
"""

import numpy as np

__all__ = [
    "eval_numerical_gradient",
    "eval_numerical_gradient_array",
    "eval_numerical_gradient_blobs",
    "eval_numerical_gradient_net",
    "grad_check_sparse",
]


def _check_perturbable(x, name="x"):
    """Raise ValueError unless ``x`` is a writable floating-point ndarray with a positive step."""
    if not isinstance(x, np.ndarray):  # the project raises ValueError for all bad input
        raise ValueError(  # noqa: TRY004
            f"{name} must be a numpy array (it is perturbed in place), got {type(x).__name__}")
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{name} must have a floating dtype to be perturbed by h, got {x.dtype}")
    if not x.flags.writeable:
        raise ValueError(f"{name} is read-only; the numerical gradient perturbs it in place")


def _check_step(h):
    if not (np.isscalar(h) and np.isfinite(h) and h > 0):
        raise ValueError(f"step h must be a positive finite number, got {h!r}")


def _centred_difference(f, x, ix, h):
    """Return (f(x with x[ix] + h), f(x with x[ix] - h)), restoring x[ix] whatever happens.

    Outputs are copied because ``f`` may return a buffer it reuses between calls.
    """
    old_value = x[ix]
    try:
        x[ix] = old_value + h
        f_plus = np.array(f(x), copy=True)
        x[ix] = old_value - h
        f_minus = np.array(f(x), copy=True)
    finally:
        x[ix] = old_value
    return f_plus, f_minus


def eval_numerical_gradient(f, x, verbose=True, h=1e-5):
    """Numerical gradient of a scalar function at ``x``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``, a scalar function of the array (for example a loss).
    x : ndarray of float, any shape
        Point at which to evaluate the gradient; perturbed in place, restored on return.
    verbose : bool
        Print each index and its gradient entry, as the course does.
    h : float
        Step of the centred difference.

    Returns
    -------
    grad : ndarray, same shape and dtype as ``x``
        ``grad[i] ~= d f / d x[i]``.
    """
    _check_perturbable(x)
    _check_step(h)
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        f_plus, f_minus = _centred_difference(f, x, ix, h)
        if f_plus.size != 1:
            raise ValueError(f"f must return a scalar, got an array of shape {f_plus.shape}")
        grad[ix] = (f_plus.item() - f_minus.item()) / (2 * h)
        if verbose:
            print(ix, grad[ix])
    return grad


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """Numerical gradient of ``sum(f(x) * df)``: the backward pass of an array function.

    Parameters
    ----------
    f : callable
        ``f(x) -> ndarray`` of the same shape as ``df``.
    x : ndarray of float, any shape
        Input; perturbed in place, restored on return.
    df : ndarray, shape of ``f(x)``
        Upstream gradient (``dout``).
    h : float
        Step of the centred difference.

    Returns
    -------
    grad : ndarray, same shape and dtype as ``x``
        ``grad[i] ~= sum(d f / d x[i] * df)``, what ``*_backward(df, cache)`` should return.
    """
    _check_perturbable(x)
    _check_step(h)
    df = np.asarray(df)
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        f_plus, f_minus = _centred_difference(f, x, ix, h)
        if f_plus.shape != df.shape:
            raise ValueError(f"f(x) has shape {f_plus.shape} but df has shape {df.shape}")
        grad[ix] = np.sum((f_plus - f_minus) * df) / (2 * h)
    return grad


def eval_numerical_gradient_blobs(f, inputs, output, h=1e-5):
    """Numerical gradients for functions that read and write "blobs".

    A blob is any object with ``vals`` (the data, an ndarray) and ``diffs`` (its gradient, same
    shape). ``f(*inputs, output)`` reads ``inputs[i].vals`` and writes ``output.vals``.

    Parameters
    ----------
    f : callable
        ``f(*inputs, output) -> None``.
    inputs : sequence of blobs
        Their ``vals`` are perturbed in place and restored.
    output : blob
        ``output.diffs`` is the upstream gradient.
    h : float
        Step of the centred difference.

    Returns
    -------
    numeric_diffs : list of ndarray
        One gradient per input, shaped like that input's ``vals``.
    """
    _check_step(h)
    inputs = tuple(inputs)

    def run(_):
        f(*(inputs + (output,)))
        return output.vals

    numeric_diffs = []
    for k, blob in enumerate(inputs):
        _check_perturbable(blob.vals, name=f"inputs[{k}].vals")
        numeric_diffs.append(eval_numerical_gradient_array(run, blob.vals, output.diffs, h=h))
    return numeric_diffs


def eval_numerical_gradient_net(net, inputs, output, h=1e-5):
    """``eval_numerical_gradient_blobs`` for an object whose ``forward()`` fills ``output``."""
    return eval_numerical_gradient_blobs(lambda *args: net.forward(), inputs, output, h=h)


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    """Compare an analytic gradient with numerical ones at a few random entries.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : ndarray of float, any shape
        Perturbed in place, restored on return.
    analytic_grad : ndarray, same shape as ``x``
        The gradient to check.
    num_checks : int
        How many random entries to check (drawn with replacement).
    h : float
        Step of the centred difference.
    seed : int, numpy.random.Generator or None
        Source of the random indices; None draws fresh entropy each call.

    Returns
    -------
    rel_errors : list of float
        ``|numerical - analytic| / (|numerical| + |analytic|)`` per check (0 when both are 0),
        also printed one line each as the course does.
    """
    _check_perturbable(x)
    _check_step(h)
    analytic_grad = np.asarray(analytic_grad)
    if analytic_grad.shape != x.shape:
        raise ValueError(f"analytic_grad has shape {analytic_grad.shape}, x has shape {x.shape}")
    if x.size == 0:
        raise ValueError("x is empty: there is no entry to check")
    rng = np.random.default_rng(seed)
    rel_errors = []
    for _ in range(int(num_checks)):
        ix = tuple(int(rng.integers(m)) for m in x.shape)
        f_plus, f_minus = _centred_difference(f, x, ix, h)
        grad_numerical = (f_plus.item() - f_minus.item()) / (2 * h)
        grad_analytic = float(analytic_grad[ix])
        denominator = abs(grad_numerical) + abs(grad_analytic)
        rel_error = abs(grad_numerical - grad_analytic) / denominator if denominator else 0.0
        rel_errors.append(rel_error)
        print(f"numerical: {grad_numerical:f} analytic: {grad_analytic:f}, "
              f"relative error: {rel_error:e}")
    return rel_errors
