"""cs231n.gradient_check: numerical gradients restore x, see shared arrays, reject what they cannot
perturb, and reproduce the course notebook's printed errors."""

import numpy as np
import pytest
from cs231n.gradient_check import (
    eval_numerical_gradient,
    eval_numerical_gradient_array,
    eval_numerical_gradient_blobs,
    grad_check_sparse,
)

from tests._helpers import rel_error


def test_numerical_gradient_of_square_and_x_restored():
    """Is d/dx sum(x**2) = 2x, and does x hold exactly its old values afterwards?"""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    before = x.copy()
    grad = eval_numerical_gradient(lambda a: np.sum(a**2), x, verbose=False)
    assert grad.shape == x.shape and grad.dtype == x.dtype
    assert rel_error(grad, 2 * before) < 1e-8
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_sees_perturbation_through_shared_array():
    """The course's model check ignores f's argument and reads the shared array instead."""
    params = {"W": np.array([1.0, -2.0, 3.0])}
    grad = eval_numerical_gradient(lambda _: np.sum(params["W"] ** 3), params["W"],
                                   verbose=False)
    assert rel_error(grad, 3 * np.array([1.0, 4.0, 9.0])) < 1e-8


def test_numerical_gradient_verbose_prints_each_index(capsys):
    eval_numerical_gradient(lambda a: float(a.sum()), np.zeros(2), verbose=True)
    assert capsys.readouterr().out.count("\n") == 2


def test_numerical_gradient_array_and_x_restored():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3))
    df = rng.standard_normal((2, 3))
    before = x.copy()
    grad = eval_numerical_gradient_array(lambda a: np.tanh(a), x, df)
    assert rel_error(grad, df * (1 - np.tanh(before) ** 2)) < 1e-7
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_array_copies_reused_output_buffer():
    """f returning the same buffer each call must not make every difference zero."""
    buffer = np.empty(3)

    def f(a):
        np.multiply(a, 2.0, out=buffer)
        return buffer

    grad = eval_numerical_gradient_array(f, np.ones(3), np.ones(3))
    np.testing.assert_allclose(grad, 2.0)


def test_x_restored_when_f_raises():
    x = np.array([1.0, 2.0])
    calls = []

    def f(a):
        calls.append(a.copy())
        if len(calls) == 2:
            raise RuntimeError("boom")
        return float(a.sum())

    with pytest.raises(RuntimeError, match="boom"):
        eval_numerical_gradient(f, x, verbose=False)
    np.testing.assert_array_equal(x, [1.0, 2.0])


@pytest.mark.parametrize("bad", [np.arange(3), [1.0, 2.0]], ids=["int-array", "list"])
def test_numerical_gradient_rejects_unperturbable_x(bad):
    with pytest.raises(ValueError, match="x must"):
        eval_numerical_gradient(lambda a: 0.0, bad, verbose=False)


def test_numerical_gradient_rejects_nonscalar_f_and_bad_step():
    with pytest.raises(ValueError, match="scalar"):
        eval_numerical_gradient(lambda a: a * 2, np.ones(2), verbose=False)
    with pytest.raises(ValueError, match="shape"):
        eval_numerical_gradient_array(lambda a: a, np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="step h"):
        eval_numerical_gradient_array(lambda a: a, np.ones(2), np.ones(2), h=0)


class Blob:
    def __init__(self, vals, diffs=None):
        self.vals = vals
        self.diffs = np.zeros_like(vals) if diffs is None else diffs


def test_numerical_gradient_blobs():
    a, b = Blob(np.array([1.0, 2.0])), Blob(np.array([3.0, -1.0]))
    out = Blob(np.zeros(2), diffs=np.array([1.0, 10.0]))

    def f(a_blob, b_blob, out_blob):
        out_blob.vals = a_blob.vals * b_blob.vals

    da, db = eval_numerical_gradient_blobs(f, [a, b], out)
    np.testing.assert_allclose(da, [3.0, -10.0], rtol=1e-8)
    np.testing.assert_allclose(db, [1.0, 20.0], rtol=1e-8)
    np.testing.assert_array_equal(a.vals, [1.0, 2.0])


def test_grad_check_sparse_good_and_bad_gradient(capsys):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((5, 6))
    before = x.copy()
    errors = grad_check_sparse(lambda a: np.sum(a**2), x, 2 * x, num_checks=7, seed=0)
    assert len(errors) == 7 and max(errors) < 1e-7
    assert capsys.readouterr().out.count("relative error") == 7
    bad = grad_check_sparse(lambda a: np.sum(a**2), x, 3 * x, num_checks=7, seed=0)
    assert min(bad) > 0.1
    np.testing.assert_array_equal(x, before)


def test_grad_check_sparse_seed_picks_same_entries(capsys):
    x = np.arange(20.0).reshape(4, 5)
    analytic = np.zeros_like(x)  # every entry gives a different relative error pattern
    first = grad_check_sparse(lambda a: float(np.sum(a**2)), x, analytic, seed=3)
    out_first = capsys.readouterr().out
    second = grad_check_sparse(lambda a: float(np.sum(a**2)), x, analytic, seed=3)
    assert first == second and capsys.readouterr().out == out_first
    with pytest.raises(ValueError, match="shape"):
        grad_check_sparse(lambda a: 0.0, x, np.zeros(3))


def test_notebook_model_gradient_check_reproduces_seed_numbers():
    """The notebook's ThreeLayerConvNet check perturbs model.params through the shared array;
    does it give the course's printed errors (course notebook 001) and leave the params
    unchanged?"""
    pytest.importorskip("cs231n_fast", reason="cs231n_fast not built (pip install -e .)")
    from cs231n.classifiers.cnn import ThreeLayerConvNet

    course_errors = {"W1": 1.380104e-04, "W2": 1.822723e-02, "W3": 3.064049e-04,
                   "b1": 3.477652e-05, "b2": 2.516375e-03, "b3": 7.945660e-10}
    np.random.seed(231)
    X = np.random.randn(2, 3, 16, 16)
    y = np.random.randint(10, size=2)
    model = ThreeLayerConvNet(num_filters=3, filter_size=3, input_dim=(3, 16, 16),
                              hidden_dim=7, dtype=np.float64)
    _, grads = model.loss(X, y)
    for name in sorted(grads):
        before = model.params[name].copy()
        numeric = eval_numerical_gradient(lambda _: model.loss(X, y)[0], model.params[name],
                                          verbose=False, h=1e-6)
        np.testing.assert_array_equal(model.params[name], before)
        error = rel_error(numeric, grads[name])
        if course_errors[name] > 1e-6:  # errors from ReLU/pool kinks: deterministic, reproduced
            assert error == pytest.approx(course_errors[name], rel=0.1), name
        else:  # round-off only: depends on summation order
            assert error < 1e-8, name
