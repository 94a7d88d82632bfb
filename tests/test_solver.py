"""cs231n.solver.Solver: learns, keeps the best parameters, is reproducible, validates its
arguments and checkpoints only when asked."""

import pickle

import numpy as np
import pytest
from cs231n.solver import Solver


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
