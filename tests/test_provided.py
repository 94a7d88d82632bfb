"""Tests of the provided (ungraded) helpers: gradient checks, update rules, Solver, images,
grids."""

import pickle
import warnings

import numpy as np
import pytest
from cs231n import optim
from cs231n.gradient_check import (
    eval_numerical_gradient,
    eval_numerical_gradient_array,
    eval_numerical_gradient_blobs,
    grad_check_sparse,
)
from cs231n.image_utils import (
    center_crop_square,
    find_images_dir,
    load_demo_images,
    load_image,
    resize_image,
)
from cs231n.solver import Solver
from cs231n.vis_utils import vis_grid, vis_nn, visualize_grid

from tests._helpers import rel_error

# --------------------------------------------------------------------------- gradient_check


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


# --------------------------------------------------------------------------- optim

RULES = {
    "sgd": {"learning_rate": 0.1},
    "sgd_momentum": {"learning_rate": 0.1, "momentum": 0.8},
    "rmsprop": {"learning_rate": 0.01, "decay_rate": 0.9, "epsilon": 1e-8},
    "adam": {"learning_rate": 0.01, "beta1": 0.8, "beta2": 0.95, "epsilon": 1e-8},
}


# adam runs in cs231n_fast.adam_step when the kit is built, else in NumPy: test both paths.
ADAM_PATHS = ["fused", "numpy"]
# (rtol, atol) against torch after five steps; float32 rounds differently in torch's lerp
ADAM_TOLERANCE = {np.float32: (1e-5, 1e-6), np.float64: (1e-10, 1e-12)}


@pytest.fixture(params=ADAM_PATHS)
def adam_path(request, monkeypatch):
    """optim.adam with the fused kernel (skipped if cs231n_fast is not built) or forced NumPy."""
    if request.param == "fused":
        if optim._fused_adam_step is None:
            pytest.skip("cs231n_fast is not built (pip install -e .)")
    else:
        monkeypatch.setattr(optim, "_fused_adam_step", None)
    return request.param


@pytest.mark.parametrize("rule", list(RULES))
def test_update_rule_leaves_inputs_alone_and_keeps_dtype(rule):
    rng = np.random.default_rng(3)
    w = rng.standard_normal((4, 5)).astype(np.float32)
    dw = rng.standard_normal((4, 5))  # float64 gradient for a float32 weight
    config = dict(RULES[rule])
    w_before, dw_before, config_before = w.copy(), dw.copy(), dict(config)
    next_w, next_config = getattr(optim, rule)(w, dw, config)
    assert next_w.dtype == np.float32 and next_w.shape == w.shape
    assert next_w is not w and not np.shares_memory(next_w, w)
    np.testing.assert_array_equal(w, w_before)
    np.testing.assert_array_equal(dw, dw_before)
    assert config == config_before and next_config is not config
    assert not np.allclose(next_w, w)
    for state in ("velocity", "cache", "m", "v"):
        if state in next_config:
            assert next_config[state].dtype == np.float32


@pytest.mark.parametrize("rule", list(RULES))
def test_update_rule_defaults_and_errors(rule):
    next_w, config = getattr(optim, rule)(np.ones(3), np.ones(3))
    assert "learning_rate" in config and next_w.shape == (3,)
    with pytest.raises(ValueError, match=r"\(3,\).*\(2,\)"):
        getattr(optim, rule)(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="config must be a dict"):
        getattr(optim, rule)(np.ones(3), np.ones(3), config=[0.1])


def test_adam_first_step_is_learning_rate_times_sign(adam_path):
    """With t incremented before use, the bias-corrected first step is lr * dw / |dw|."""
    dw = np.array([[0.5, -2.0], [1e-3, -1e-2]])
    next_w, config = optim.adam(np.zeros((2, 2)), dw, {"learning_rate": 0.1})
    np.testing.assert_allclose(next_w, -0.1 * np.sign(dw), rtol=1e-4)
    assert config["t"] == 1
    np.testing.assert_allclose(config["m"], 0.1 * dw)
    np.testing.assert_allclose(config["v"], 0.001 * dw**2)


def test_sgd_momentum_worked_numbers():
    next_w, config = optim.sgd_momentum(
        np.array([1.0, 2.0]), np.array([0.5, -1.0]),
        {"learning_rate": 0.1, "momentum": 0.9, "velocity": np.array([1.0, 0.0])})
    np.testing.assert_allclose(config["velocity"], [0.9 - 0.05, 0.1])
    np.testing.assert_allclose(next_w, [1.85, 2.1])


def _torch_optimizer(torch, rule, params, cfg):
    if rule == "sgd":
        return torch.optim.SGD(params, lr=cfg["learning_rate"])
    if rule == "sgd_momentum":
        # torch keeps v = mu*v + g and steps lr*v: the same trajectory for a constant lr.
        return torch.optim.SGD(params, lr=cfg["learning_rate"], momentum=cfg["momentum"])
    if rule == "rmsprop":
        return torch.optim.RMSprop(params, lr=cfg["learning_rate"], alpha=cfg["decay_rate"],
                                   eps=cfg["epsilon"])
    return torch.optim.Adam(params, lr=cfg["learning_rate"],
                            betas=(cfg["beta1"], cfg["beta2"]), eps=cfg["epsilon"])


@pytest.mark.torch
@pytest.mark.parametrize("rule", list(RULES))
def test_update_rule_matches_torch_over_five_steps(torch, rule):
    rng = np.random.default_rng(4)
    w = rng.standard_normal((3, 4))
    grads = rng.standard_normal((5, 3, 4))
    param = torch.nn.Parameter(torch.tensor(w))
    opt = _torch_optimizer(torch, rule, [param], RULES[rule])
    config = dict(RULES[rule])
    for g in grads:
        w, config = getattr(optim, rule)(w, g, config)
        param.grad = torch.tensor(g)
        opt.step()
    np.testing.assert_allclose(w, param.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.torch
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_adam_paths_match_torch_over_five_steps_and_leave_inputs_alone(torch, adam_path, dtype):
    rng = np.random.default_rng(4)
    w = rng.standard_normal((70, 1000)).astype(dtype)  # big enough for the threaded loop
    grads = rng.standard_normal((5, 70, 1000)).astype(dtype)
    param = torch.nn.Parameter(torch.tensor(w))
    opt = _torch_optimizer(torch, "adam", [param], RULES["adam"])
    config = dict(RULES["adam"])
    for g in grads:
        w_before, g_before = w.copy(), g.copy()
        config_before = {k: (v.copy() if isinstance(v, np.ndarray) else v)
                         for k, v in config.items()}
        next_w, next_config = optim.adam(w, g, config)
        np.testing.assert_array_equal(w, w_before)
        np.testing.assert_array_equal(g, g_before)
        assert config.keys() == config_before.keys()
        for key, value in config_before.items():
            np.testing.assert_array_equal(config[key], value, err_msg=key)
        assert next_w.dtype == dtype and next_config["m"].dtype == next_config["v"].dtype == dtype
        w, config = next_w, next_config
        param.grad = torch.tensor(g)
        opt.step()
    rtol, atol = ADAM_TOLERANCE[dtype]
    np.testing.assert_allclose(w, param.detach().numpy(), rtol=rtol, atol=atol)
    state = opt.state[param]
    np.testing.assert_allclose(config["m"], state["exp_avg"].numpy(), rtol=rtol, atol=atol)
    np.testing.assert_allclose(config["v"], state["exp_avg_sq"].numpy(), rtol=rtol, atol=atol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("shape", [(3, 4), (70, 1000)], ids=["serial", "threaded"])
def test_adam_fused_and_numpy_paths_agree(monkeypatch, shape, dtype):
    """Do the two paths give the same trajectory (to rounding) from a float64 gradient?"""
    if optim._fused_adam_step is None:
        pytest.skip("cs231n_fast is not built (pip install -e .)")
    rng = np.random.default_rng(7)
    w = rng.standard_normal(shape).astype(dtype)
    grads = rng.standard_normal((5, *shape))  # float64: cast to w's dtype on both paths
    results = {}
    for path in ADAM_PATHS:
        if path == "numpy":
            monkeypatch.setattr(optim, "_fused_adam_step", None)
        w_path, config = w, dict(RULES["adam"])
        for g in grads:
            w_path, config = optim.adam(w_path, g, config)
        results[path] = (w_path, config)
    (w_fused, fused), (w_numpy, numpy) = results["fused"], results["numpy"]
    assert w_fused.dtype == w_numpy.dtype == dtype and fused["t"] == numpy["t"] == 5
    rtol = 4 * np.finfo(dtype).eps  # identical operations; an FMA may round once less
    np.testing.assert_allclose(w_fused, w_numpy, rtol=rtol, atol=rtol)
    np.testing.assert_allclose(fused["m"], numpy["m"], rtol=rtol, atol=rtol)
    np.testing.assert_allclose(fused["v"], numpy["v"], rtol=rtol, atol=rtol)


# --------------------------------------------------------------------------- Solver


class LinearSoftmax:
    """Smallest model with the Solver interface: scores = X.reshape(N, -1) @ W + b."""

    def __init__(self, input_dim, num_classes, seed=0):
        rng = np.random.default_rng(seed)
        self.params = {"W": 1e-3 * rng.standard_normal((input_dim, num_classes)),
                       "b": np.zeros(num_classes)}

    def loss(self, X, y=None):
        X = X.reshape(X.shape[0], -1)
        scores = X @ self.params["W"] + self.params["b"]
        if y is None:
            return scores
        shifted = scores - scores.max(axis=1, keepdims=True)
        probs = np.exp(shifted)
        probs /= probs.sum(axis=1, keepdims=True)
        N = X.shape[0]
        loss = -np.log(probs[np.arange(N), y]).mean()
        dscores = probs.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        return loss, {"W": X.T @ dscores, "b": dscores.sum(axis=0)}


def blobs_data(n_train=200, n_val=50, seed=0):
    """Three well-separated Gaussian blobs in 4-D, so a linear model learns them."""
    rng = np.random.default_rng(seed)
    centres = 3 * rng.standard_normal((3, 4))

    def split(n):
        y = rng.integers(3, size=n)
        return centres[y] + rng.standard_normal((n, 4)), y

    X_train, y_train = split(n_train)
    X_val, y_val = split(n_val)
    return {"X_train": X_train, "y_train": y_train, "X_val": X_val, "y_val": y_val}


def test_solver_learns_and_keeps_histories():
    model = LinearSoftmax(4, 3)
    solver = Solver(model, blobs_data(), update_rule="adam", optim_config={"learning_rate": 0.05},
                    num_epochs=4, batch_size=20, verbose=False, seed=0)
    solver.train()
    assert len(solver.loss_history) == 4 * (200 // 20)
    assert len(solver.train_acc_history) == len(solver.val_acc_history) == 4 + 1
    assert np.mean(solver.loss_history[-5:]) < 0.5 * solver.loss_history[0]
    assert solver.best_val_acc == max(solver.val_acc_history) > 0.8
    for k in model.params:
        np.testing.assert_array_equal(model.params[k], solver.best_params[k])


def test_solver_restores_best_params_not_last():
    data = blobs_data()
    model = LinearSoftmax(4, 3)
    # A huge learning rate makes later epochs worse than an early one.
    solver = Solver(model, data, update_rule="sgd", optim_config={"learning_rate": 50.0},
                    num_epochs=6, batch_size=10, verbose=False, seed=1)
    solver.train()
    final_val = solver.check_accuracy(data["X_val"], data["y_val"])
    assert final_val == solver.best_val_acc == max(solver.val_acc_history)


def test_solver_seed_is_reproducible_and_leaves_global_state(capsys):
    histories = []
    for _ in range(2):
        state = np.random.get_state()[1].copy()
        solver = Solver(LinearSoftmax(4, 3), blobs_data(), num_epochs=2, batch_size=32,
                        verbose=False, seed=7)
        solver.train()
        np.testing.assert_array_equal(np.random.get_state()[1], state)
        histories.append(solver.loss_history)
    assert histories[0] == histories[1]


def test_solver_without_seed_follows_np_random_seed():
    runs = []
    for _ in range(2):
        np.random.seed(231)
        solver = Solver(LinearSoftmax(4, 3), blobs_data(), num_epochs=1, verbose=False)
        solver.train()
        runs.append(solver.loss_history)
    assert runs[0] == runs[1]


def test_solver_verbose_output_format(capsys):
    solver = Solver(LinearSoftmax(4, 3), blobs_data(n_train=100), num_epochs=2, batch_size=50,
                    print_every=1, seed=0)
    solver.train()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("(Iteration 1 / 4) loss: ")
    assert out[1].startswith("(Epoch 0 / 2) train acc: ") and "; val_acc: " in out[1]
    assert out[-1].startswith("(Epoch 2 / 2)")


def test_solver_lr_decay_per_epoch():
    solver = Solver(LinearSoftmax(4, 3), blobs_data(), optim_config={"learning_rate": 1e-2},
                    lr_decay=0.5, num_epochs=3, batch_size=100, verbose=False, seed=0)
    solver.train()
    for config in solver.optim_configs.values():
        assert config["learning_rate"] == pytest.approx(1e-2 * 0.5**3)
    assert solver.optim_config == {"learning_rate": 1e-2}


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"update_rule": "adagrad"}, "adagrad"),
        ({"update_rule": "np"}, "'np'"),
        ({"learning_rate": 1e-3}, "learning_rate"),
        ({"batch_size": 0}, "batch_size"),
        ({"num_epochs": 2.5}, "num_epochs"),
        ({"lr_decay": -1}, "lr_decay"),
        ({"optim_config": 0.1}, "optim_config"),
    ],
    ids=["unknown-rule", "module-attr", "unknown-kwarg", "batch-0", "float-epochs",
         "negative-decay", "config-not-dict"],
)
def test_solver_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Solver(LinearSoftmax(4, 3), blobs_data(), **kwargs)


def test_solver_rejects_bad_data():
    data = blobs_data()
    del data["y_val"]
    with pytest.raises(ValueError, match="y_val"):
        Solver(LinearSoftmax(4, 3), data)
    data = blobs_data()
    data["y_train"] = data["y_train"][:-1]
    with pytest.raises(ValueError, match="200 rows but y_train has 199"):
        Solver(LinearSoftmax(4, 3), data)


def test_check_accuracy_is_independent_of_batch_size():
    data = blobs_data(n_val=53)
    solver = Solver(LinearSoftmax(4, 3), data, verbose=False)
    expected = np.mean(np.argmax(solver.model.loss(data["X_val"]), axis=1) == data["y_val"])
    for batch_size in (1, 10, 53, 100):
        assert solver.check_accuracy(data["X_val"], data["y_val"], batch_size=batch_size) \
            == pytest.approx(expected)
    assert solver.check_accuracy(data["X_val"], data["y_val"], num_samples=20) <= 1.0


def test_checkpoints_only_when_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Solver(LinearSoftmax(4, 3), blobs_data(), num_epochs=2, verbose=False, seed=0).train()
    assert list(tmp_path.iterdir()) == []
    name = str(tmp_path / "ckpt")
    Solver(LinearSoftmax(4, 3), blobs_data(), num_epochs=2, verbose=False, seed=0,
           checkpoint_name=name).train()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["ckpt_epoch_0.pkl", "ckpt_epoch_1.pkl", "ckpt_epoch_2.pkl"]
    with open(tmp_path / "ckpt_epoch_2.pkl", "rb") as f:
        checkpoint = pickle.load(f)
    assert checkpoint["epoch"] == 2 and len(checkpoint["val_acc_history"]) == 3


# --------------------------------------------------------------------------- vis_utils


def test_visualize_grid_layout_and_scaling():
    rng = np.random.default_rng(5)
    Xs = rng.standard_normal((5, 3, 4, 2))
    before = Xs.copy()
    grid = visualize_grid(Xs, ubound=255.0, padding=1)
    assert grid.shape == (3 * 3 + 2, 3 * 4 + 2, 2)  # ceil(sqrt(5)) = 3 cells a side
    first = grid[0:3, 0:4]
    assert first.min() == 0.0 and first.max() == pytest.approx(255.0)
    assert np.all(grid[3, :] == 0) and np.all(grid[:, 4] == 0)  # padding
    assert np.all(grid[8:, 5:] == 0)  # cells 7 and 8 are unused
    np.testing.assert_array_equal(Xs, before)


def test_visualize_grid_constant_filter_gives_zeros_not_nan():
    grid = visualize_grid(np.ones((2, 2, 2, 3)))
    assert not np.isnan(grid).any() and np.all(grid == 0)
    with pytest.raises(ValueError, match=r"\(N, H, W, C\)"):
        visualize_grid(np.ones((2, 3, 3)))


def test_vis_grid_and_vis_nn_shapes_and_range():
    Xs = np.arange(2 * 2 * 3 * 1, dtype=float).reshape(2, 2, 3, 1)
    grid = vis_grid(Xs)
    assert grid.shape == (2 * 2 + 2, 2 * 3 + 2, 1) and grid.min() == 0 and grid.max() == 1
    table = vis_nn([[Xs[0], Xs[1]], [Xs[1], Xs[0]], [Xs[0], Xs[0]]])
    assert table.shape == (3 * 2 + 3, 2 * 3 + 2, 1) and table.max() == 1
    with pytest.raises(ValueError, match="row 1"):
        vis_nn([[Xs[0], Xs[1]], [Xs[0]]])


# --------------------------------------------------------------------------- image_utils


def test_resize_known_values():
    """Half-pixel-centre bilinear: 2 -> 4 samples at 0, 0.25, 0.75, 1 (clamped)."""
    img = np.array([[0.0, 4.0], [8.0, 12.0]])
    out = resize_image(img, (4, 4))
    weights = np.array([0.0, 0.25, 0.75, 1.0])
    np.testing.assert_allclose(out, 8 * weights[:, None] + 4 * weights[None, :])
    np.testing.assert_array_equal(resize_image(img, (2, 2)), img)
    np.testing.assert_allclose(resize_image(np.array([[0.0, 2.0, 4.0, 6.0]]), (1, 2)),
                               [[1.0, 5.0]])


def test_resize_uint8_rounds_and_keeps_channels():
    img = np.array([[[0, 10, 255], [1, 20, 255]]], dtype=np.uint8)  # (1, 2, 3)
    out = resize_image(img, (2, 3))
    assert out.dtype == np.uint8 and out.shape == (2, 3, 3)
    np.testing.assert_array_equal(out[0, :, 2], [255, 255, 255])
    np.testing.assert_array_equal(out[0, :, 1], [10, 15, 20])
    with pytest.raises(ValueError, match="size"):
        resize_image(img, (0, 3))


@pytest.mark.torch
def test_resize_matches_torch_bilinear(torch):
    rng = np.random.default_rng(6)
    img = rng.uniform(0, 255, size=(13, 17, 3))
    for size in [(200, 200), (5, 7), (13, 40)]:
        ours = resize_image(img, size)
        ref = torch.nn.functional.interpolate(
            torch.tensor(img.transpose(2, 0, 1)[None]), size=size, mode="bilinear",
            align_corners=False, antialias=False)[0].numpy().transpose(1, 2, 0)
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-9)


def test_center_crop_square():
    wide = np.arange(2 * 6).reshape(2, 6)
    np.testing.assert_array_equal(center_crop_square(wide), wide[:, 2:4])
    tall = np.zeros((7, 4, 3))
    assert center_crop_square(tall).shape == (4, 4, 3)
    crop = center_crop_square(wide)
    crop[:] = -1
    assert wide.min() == 0  # a copy, not a view


def test_load_image_drops_alpha_and_expands_gray(tmp_path):
    iio = pytest.importorskip("imageio.v3")
    rgba = np.zeros((4, 5, 4), dtype=np.uint8)
    rgba[..., 0], rgba[..., 3] = 200, 7
    iio.imwrite(tmp_path / "rgba.png", rgba)
    img = load_image(tmp_path / "rgba.png")
    assert img.shape == (4, 5, 3) and img.dtype == np.uint8 and np.all(img[..., 0] == 200)
    iio.imwrite(tmp_path / "gray.png", np.full((3, 2), 9, dtype=np.uint8))
    assert load_image(tmp_path / "gray.png").shape == (3, 2, 3)
    with pytest.raises(FileNotFoundError, match="nothere"):
        load_image(tmp_path / "nothere.jpg")


def test_demo_images_missing_names_get_datasets(tmp_path, monkeypatch):
    monkeypatch.delenv("CS231N_IMAGES_DIR", raising=False)
    with pytest.raises(FileNotFoundError, match="get_datasets.sh") as info:
        load_demo_images(images_dir=tmp_path)
    assert str(tmp_path) in str(info.value)


def test_demo_images_as_in_the_notebook(images_dir):
    kitten_cropped, puppy, x = load_demo_images(size=200, images_dir=images_dir)
    assert kitten_cropped.shape == (266, 266, 3) and puppy.shape == (517, 517, 3)
    assert x.shape == (2, 3, 200, 200) and x.dtype == np.float64
    assert x.min() >= 0 and x.max() <= 255
    np.testing.assert_array_equal(x[0], resize_image(puppy, (200, 200)).transpose(2, 0, 1))
    np.testing.assert_array_equal(
        x[1], resize_image(load_image(images_dir / "kitten.jpg")[:, 67:-67], (200, 200))
        .transpose(2, 0, 1))


def test_images_dir_from_environment(images_dir, monkeypatch):
    monkeypatch.setenv("CS231N_IMAGES_DIR", str(images_dir))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert find_images_dir() == images_dir


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
