"""ThreeLayerConvNet: initialization, the notebook's sanity checks, gradients, validation.

The model uses the sandwich layers, hence the compiled fast layers; without ``cs231n_fast``
the module is skipped with the build instruction.
"""

import copy
import math

import numpy as np
import pytest

# make test always builds cs231n_fast: a broken build must fail here, not skip.
from cs231n.classifiers.cnn import ThreeLayerConvNet
from cs231n.gradient_check import eval_numerical_gradient, grad_check_sparse

from tests._helpers import rel_error


def _tiny_model(reg=0.0, weight_scale=1e-3, seed=231):
    np.random.seed(seed)  # the model draws its weights from NumPy's global generator
    return ThreeLayerConvNet(num_filters=3, filter_size=3, input_dim=(3, 16, 16), hidden_dim=7,
                             weight_scale=weight_scale, reg=reg, dtype=np.float64)


def test_params_shapes_dtypes_and_init():
    """Are W1..W3/b1..b3 shaped as documented, of dtype, biases 0, weights ~ N(0, scale)?"""
    np.random.seed(0)
    model = ThreeLayerConvNet(input_dim=(3, 32, 30), num_filters=8, filter_size=5,
                              hidden_dim=50, num_classes=7, weight_scale=1e-2)
    shapes = {"W1": (8, 3, 5, 5), "b1": (8,), "W2": (8 * 16 * 15, 50), "b2": (50,),
              "W3": (50, 7), "b3": (7,)}
    assert {name: value.shape for name, value in model.params.items()} == shapes
    assert all(value.dtype == np.float32 for value in model.params.values())
    for name in ("b1", "b2", "b3"):
        assert not model.params[name].any()
    W2 = model.params["W2"]
    assert abs(W2.std() - 1e-2) < 1e-4 and abs(W2.mean()) < 1e-4


def test_dtype_float64_is_used_throughout(rng):
    """With dtype=float64, are params, scores and gradients float64 (for gradient checks)?"""
    model = _tiny_model()
    X = rng.standard_normal((2, 3, 16, 16)).astype(np.float32)
    assert all(value.dtype == np.float64 for value in model.params.values())
    assert model.loss(X).dtype == np.float64
    _, grads = model.loss(X, np.array([1, 2]))
    assert all(grad.dtype == np.float64 for grad in grads.values())


def test_sanity_check_loss(rng):
    """The notebook's check: loss ~log(10) with reg 0, and higher (~2.5) with reg 0.5."""
    np.random.seed(231)
    model = ThreeLayerConvNet()
    X = rng.standard_normal((50, 3, 32, 32))
    y = rng.integers(10, size=50)
    loss, grads = model.loss(X, y)
    assert isinstance(loss, float)
    assert loss == pytest.approx(math.log(10), abs=1e-3)
    assert set(grads) == set(model.params)
    model.reg = 0.5
    loss_reg, _ = model.loss(X, y)
    weight_norm = sum(float(np.sum(model.params[w].astype(np.float64) ** 2))
                      for w in ("W1", "W2", "W3"))
    assert loss_reg > loss + 0.1
    assert loss_reg == pytest.approx(loss + 0.25 * weight_norm, rel=1e-5)


def test_scores_at_test_time(rng):
    """Without y, does loss return the (N, num_classes) scores in the model's dtype?"""
    np.random.seed(231)
    model = ThreeLayerConvNet(input_dim=(3, 8, 8), num_filters=4, filter_size=3, hidden_dim=10,
                              num_classes=5)
    scores = model.loss(rng.standard_normal((6, 3, 8, 8)))
    assert scores.shape == (6, 5) and scores.dtype == np.float32


def test_gradient_check_as_in_the_notebook():
    """The notebook's tiny float64 net (seed 231): max relative errors within its 2e-2."""
    np.random.seed(231)
    X = np.random.randn(2, 3, 16, 16)
    y = np.random.randint(10, size=2)
    model = ThreeLayerConvNet(num_filters=3, filter_size=3, input_dim=(3, 16, 16), hidden_dim=7,
                              dtype=np.float64)
    _, grads = model.loss(X, y)
    for name in sorted(grads):
        numerical = eval_numerical_gradient(lambda _: model.loss(X, y)[0], model.params[name],
                                            verbose=False, h=1e-6)
        # The course notebook prints W2 1.8e-2: kinks of relu/max make tiny entries noisy.
        assert rel_error(numerical, grads[name]) < 2e-2, name


@pytest.mark.parametrize("reg", [0.0, 0.3], ids=["reg0", "reg0.3"])
def test_gradient_check_sparse(rng, reg):
    """At random entries of every parameter, with and without reg, do the gradients agree?"""
    np.random.seed(7)
    model = ThreeLayerConvNet(num_filters=3, filter_size=3, input_dim=(3, 8, 8), hidden_dim=7,
                              weight_scale=5e-2, reg=reg, dtype=np.float64)
    X = rng.standard_normal((3, 3, 8, 8))
    y = np.array([0, 4, 9])
    _, grads = model.loss(X, y)
    for name in sorted(grads):
        rel_errors = grad_check_sparse(lambda _: model.loss(X, y)[0], model.params[name],
                                       grads[name], num_checks=8, h=1e-6, seed=1)
        assert max(rel_errors) < 1e-5, name


def test_regularization_gradient_is_reg_times_w(rng):
    """Does reg add exactly reg * W to the weight gradients and nothing to the biases?"""
    X = rng.standard_normal((4, 3, 16, 16))
    y = np.array([1, 2, 3, 4])
    model = _tiny_model(reg=0.0)
    loss0, grads0 = model.loss(X, y)
    model.reg = 0.7
    loss1, grads1 = model.loss(X, y)
    expected_penalty = 0.35 * sum(np.sum(model.params[w] ** 2) for w in ("W1", "W2", "W3"))
    assert loss1 - loss0 == pytest.approx(expected_penalty, rel=1e-9)
    for name in ("W1", "W2", "W3"):
        np.testing.assert_allclose(grads1[name] - grads0[name], 0.7 * model.params[name],
                                   rtol=1e-7, atol=1e-15)
    for name in ("b1", "b2", "b3"):
        np.testing.assert_array_equal(grads1[name], grads0[name])


@pytest.mark.torch
def test_loss_and_grads_match_torch(torch, rng):
    """Do the loss and every gradient match the same network built from torch ops?"""
    model = _tiny_model(reg=0.2, weight_scale=1e-1, seed=3)
    X = rng.standard_normal((4, 3, 16, 16))
    y = np.array([0, 3, 9, 3])
    loss, grads = model.loss(X, y)

    p = {name: torch.tensor(value, requires_grad=True) for name, value in model.params.items()}
    fn = torch.nn.functional
    hidden = fn.max_pool2d(fn.relu(fn.conv2d(torch.tensor(X), p["W1"], p["b1"], padding=1)), 2)
    hidden = fn.relu(hidden.reshape(4, -1) @ p["W2"] + p["b2"])
    scores = hidden @ p["W3"] + p["b3"]
    tloss = fn.cross_entropy(scores, torch.tensor(y))
    tloss = tloss + 0.5 * 0.2 * sum((p[w] ** 2).sum() for w in ("W1", "W2", "W3"))
    tloss.backward()
    assert loss == pytest.approx(tloss.item(), rel=1e-10)
    for name, value in p.items():
        np.testing.assert_allclose(grads[name], value.grad.numpy(), rtol=1e-8, atol=1e-12,
                                   err_msg=name)


def test_overfits_a_tiny_dataset(rng):
    """Can plain SGD on the model's gradients drive the loss on 10 images near zero?"""
    np.random.seed(5)
    model = ThreeLayerConvNet(input_dim=(3, 8, 8), num_filters=6, filter_size=3, hidden_dim=30,
                              weight_scale=1e-1, dtype=np.float64)
    X = rng.standard_normal((10, 3, 8, 8))
    y = np.arange(10)
    first_loss, _ = model.loss(X, y)
    for _ in range(150):
        loss, grads = model.loss(X, y)
        for name, grad in grads.items():
            model.params[name] -= 0.05 * grad
    assert loss < 0.1 < first_loss
    assert np.array_equal(model.loss(X).argmax(axis=1), y)


def test_loss_does_not_modify_inputs_or_params(rng):
    """Are X, y and the params unchanged by a loss/gradient evaluation?"""
    model = _tiny_model(reg=0.1)
    X = rng.standard_normal((2, 3, 16, 16))
    y = np.array([3, 5])
    saved = (X.copy(), y.copy(), copy.deepcopy(model.params))
    model.loss(X, y)
    np.testing.assert_array_equal(X, saved[0])
    np.testing.assert_array_equal(y, saved[1])
    for name, value in saved[2].items():
        np.testing.assert_array_equal(model.params[name], value)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"filter_size": 4}, r"filter_size must be odd .* got 4"),
        ({"filter_size": 0}, r"filter_size must be >= 1, got 0"),
        ({"input_dim": (3, 31, 32)}, r"H and W must be even .* H = 31, W = 32"),
        ({"input_dim": (32, 32)}, r"input_dim must be \(C, H, W\), got \(32, 32\)"),
        ({"input_dim": (3, 2.5, 32)}, r"input_dim H must be an integer, got 2.5"),
        ({"num_filters": 0}, r"num_filters must be >= 1, got 0"),
        ({"hidden_dim": -1}, r"hidden_dim must be >= 1, got -1"),
        ({"weight_scale": -1.0}, r"weight_scale must be >= 0, got -1.0"),
        ({"reg": -0.5}, r"reg must be >= 0, got -0.5"),
    ],
    ids=["even-filter", "zero-filter", "odd-H", "two-dims", "float-H", "zero-filters",
         "negative-hidden", "negative-scale", "negative-reg"],
)
def test_constructor_rejects_bad_hyperparameters(kwargs, pattern):
    """Does the constructor say which hyperparameter is wrong, and why?"""
    with pytest.raises(ValueError, match=pattern):
        ThreeLayerConvNet(**kwargs)


def test_loss_rejects_mismatched_input(rng):
    """Do wrong image shapes and out-of-range labels raise ValueError naming them?"""
    model = _tiny_model()
    shape = r"X must have shape \(N, 3, 16, 16\) .* got \(2, 3, 8, 8\)"
    with pytest.raises(ValueError, match=shape):
        model.loss(rng.standard_normal((2, 3, 8, 8)))
    with pytest.raises(ValueError, match=r"y labels must be in \[0, 10\)"):
        model.loss(rng.standard_normal((2, 3, 16, 16)), np.array([0, 10]))
    with pytest.raises(ValueError, match=r"y must have shape \(2,\)"):
        model.loss(rng.standard_normal((2, 3, 16, 16)), np.array([0, 1, 2]))
