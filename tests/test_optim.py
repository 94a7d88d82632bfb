"""cs231n.optim: update rules leave their inputs alone, keep dtypes, match PyTorch, and Adam's
fused and NumPy paths agree."""

import numpy as np
import pytest
from cs231n import optim

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
