"""Minibatch training loop for classification models (the course's ``Solver``).

A model is any object with

- ``model.params``: dict of parameter name -> ndarray,
- ``model.loss(X, y=None)``: scores of shape (N, C) when ``y`` is None, else ``(loss, grads)``
  with ``grads`` a dict with the same keys as ``params``.

Example::

    solver = Solver(model, data, update_rule="adam", optim_config={"learning_rate": 1e-3},
                    lr_decay=0.95, num_epochs=5, batch_size=100, print_every=100)
    solver.train()
    solver.loss_history, solver.train_acc_history, solver.val_acc_history, solver.best_val_acc

After ``train()`` the model holds the parameters with the best validation accuracy.

Randomness: by default minibatches (and the subsamples used to estimate accuracy) are drawn from
NumPy's global random state, so ``np.random.seed(231)`` before training reproduces a run, as in
the course notebooks. Pass ``seed=`` (an int or a ``numpy.random.Generator``) to draw from a
private generator instead and leave the global state alone.
"""

import pickle

import numpy as np

from cs231n import _checks, optim

__all__ = ["Solver"]

_DATA_KEYS = ("X_train", "y_train", "X_val", "y_val")



class Solver:
    """Train a classification model with minibatch gradient descent.

    Parameters
    ----------
    model : object
        Has ``params`` (dict of ndarrays) and ``loss(X, y=None)`` as described above.
    data : dict
        ``X_train`` (N_train, d_1, ..., d_k), ``y_train`` (N_train,) ints in 0..C-1,
        ``X_val`` (N_val, d_1, ..., d_k), ``y_val`` (N_val,). Other keys (``X_test``) ignored.
    update_rule : str
        Name of a rule in ``cs231n.optim``: 'sgd', 'sgd_momentum', 'rmsprop', 'adam'.
        Default 'sgd'.
    optim_config : dict
        Hyperparameters given to the update rule (each parameter gets its own copy).
    lr_decay : float
        The learning rate is multiplied by this after every epoch. Default 1.0.
    batch_size : int
        Minibatch size. Default 100.
    num_epochs : int
        Number of epochs. Default 10.
    num_train_samples : int or None
        Training images used to estimate train accuracy each epoch (None: all). Default 1000.
    num_val_samples : int or None
        Validation images used to estimate val accuracy (None: all). Default None.
    checkpoint_name : str or None
        If given, the solver state is pickled to ``<checkpoint_name>_epoch_<e>.pkl`` each epoch.
    print_every : int
        Print the training loss every this many iterations (when verbose). Default 10.
    verbose : bool
        Print progress. Default True.
    seed : int, numpy.random.Generator or None
        None (default) draws minibatches from NumPy's global random state; otherwise from
        ``numpy.random.default_rng(seed)``.

    Raises
    ------
    ValueError
        Unknown keyword arguments or update rule, missing data keys, mismatched sizes,
        non-positive sizes.
    """

    def __init__(self, model, data, **kwargs):
        self.model = model
        missing = [k for k in _DATA_KEYS if k not in data]
        if missing:
            raise ValueError(f"data is missing {', '.join(missing)} "
                             f"(needs {', '.join(_DATA_KEYS)})")
        self.X_train, self.y_train = data["X_train"], data["y_train"]
        self.X_val, self.y_val = data["X_val"], data["y_val"]
        for split in ("train", "val"):
            X, y = data[f"X_{split}"], data[f"y_{split}"]
            if len(X) != len(y):
                raise ValueError(f"X_{split} has {len(X)} rows but y_{split} has {len(y)}")
        if len(self.X_train) == 0:
            raise ValueError("X_train is empty")

        self.update_rule = kwargs.pop("update_rule", "sgd")
        self.optim_config = kwargs.pop("optim_config", {})
        self.lr_decay = kwargs.pop("lr_decay", 1.0)
        self.batch_size = _checks.check_int("batch_size", kwargs.pop("batch_size", 100))
        self.num_epochs = _checks.check_int("num_epochs", kwargs.pop("num_epochs", 10))
        self.num_train_samples = _checks.check_int(
            "num_train_samples", kwargs.pop("num_train_samples", 1000), allow_none=True)
        self.num_val_samples = _checks.check_int(
            "num_val_samples", kwargs.pop("num_val_samples", None), allow_none=True)
        self.checkpoint_name = kwargs.pop("checkpoint_name", None)
        self.print_every = _checks.check_int("print_every", kwargs.pop("print_every", 10))
        self.verbose = kwargs.pop("verbose", True)
        seed = kwargs.pop("seed", None)
        if kwargs:
            raise ValueError(f"Unrecognized arguments {', '.join(map(repr, kwargs))}")

        if self.update_rule not in optim.__all__:
            raise ValueError(f"Invalid update_rule {self.update_rule!r}; "
                             f"choose one of {', '.join(optim.__all__)}")
        self.update_rule = getattr(optim, self.update_rule)
        if not isinstance(self.optim_config, dict):  # ValueError for all bad input, by charter
            raise ValueError(  # noqa: TRY004
                f"optim_config must be a dict, got {type(self.optim_config).__name__}")
        if not (np.isscalar(self.lr_decay) and self.lr_decay > 0):
            raise ValueError(f"lr_decay must be a positive number, got {self.lr_decay!r}")
        # np.random (the module) and a Generator both offer choice(n, size).
        self._rng = np.random if seed is None else np.random.default_rng(seed)
        self._reset()

    def _reset(self):
        """Book-keeping for a fresh run; called by __init__, not meant to be called by hand."""
        self.epoch = 0
        self.best_val_acc = 0
        self.best_params = {}
        self.loss_history = []
        self.train_acc_history = []
        self.val_acc_history = []
        # Each parameter has its own state (momentum, moments), hence its own config.
        self.optim_configs = {p: dict(self.optim_config) for p in self.model.params}

    def _step(self):
        """One gradient update on a random minibatch (drawn with replacement, as the course)."""
        num_train = self.X_train.shape[0]
        batch_mask = self._rng.choice(num_train, self.batch_size)
        X_batch, y_batch = self.X_train[batch_mask], self.y_train[batch_mask]

        loss, grads = self.model.loss(X_batch, y_batch)
        self.loss_history.append(float(loss))
        for p, w in list(self.model.params.items()):
            next_w, next_config = self.update_rule(w, grads[p], self.optim_configs[p])
            self.model.params[p] = next_w
            self.optim_configs[p] = next_config

    def _save_checkpoint(self):
        if self.checkpoint_name is None:
            return
        checkpoint = {
            "model": self.model,
            "update_rule": self.update_rule,
            "lr_decay": self.lr_decay,
            "optim_config": self.optim_config,
            "batch_size": self.batch_size,
            "num_train_samples": self.num_train_samples,
            "num_val_samples": self.num_val_samples,
            "epoch": self.epoch,
            "loss_history": self.loss_history,
            "train_acc_history": self.train_acc_history,
            "val_acc_history": self.val_acc_history,
        }
        filename = f"{self.checkpoint_name}_epoch_{self.epoch}.pkl"
        if self.verbose:
            print(f'Saving checkpoint to "{filename}"')
        with open(filename, "wb") as f:
            pickle.dump(checkpoint, f)

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        """Fraction of ``X`` the model classifies as ``y``.

        Parameters
        ----------
        X : ndarray, shape (N, d_1, ..., d_k)
        y : ndarray of int, shape (N,)
        num_samples : int or None
            If given and smaller than N, estimate on a random subsample of this size.
        batch_size : int
            Images per forward pass, to bound memory.

        Returns
        -------
        acc : float
            In [0, 1]; 0.0 for an empty set.
        """
        batch_size = _checks.check_int("batch_size", batch_size)
        num_samples = _checks.check_int("num_samples", num_samples, allow_none=True)
        N = X.shape[0]
        if num_samples is not None and num_samples < N:
            mask = self._rng.choice(N, num_samples)
            X, y = X[mask], y[mask]
            N = num_samples
        if N == 0:
            return 0.0
        y_pred = []
        for start in range(0, N, batch_size):
            scores = self.model.loss(X[start:start + batch_size])
            y_pred.append(np.argmax(scores, axis=1))
        return float(np.mean(np.concatenate(y_pred) == y))

    def train(self):
        """Run the optimization; afterwards ``model.params`` are the best-validation ones."""
        num_train = self.X_train.shape[0]
        iterations_per_epoch = max(num_train // self.batch_size, 1)
        num_iterations = self.num_epochs * iterations_per_epoch

        for t in range(num_iterations):
            self._step()
            if self.verbose and t % self.print_every == 0:
                print(f"(Iteration {t + 1} / {num_iterations}) loss: {self.loss_history[-1]:f}")

            epoch_end = (t + 1) % iterations_per_epoch == 0
            if epoch_end:
                self.epoch += 1
                for config in self.optim_configs.values():
                    if "learning_rate" in config:
                        config["learning_rate"] *= self.lr_decay

            # Accuracy after the first iteration, at every epoch end, and at the very end.
            if t == 0 or t == num_iterations - 1 or epoch_end:
                train_acc = self.check_accuracy(self.X_train, self.y_train,
                                                num_samples=self.num_train_samples)
                val_acc = self.check_accuracy(self.X_val, self.y_val,
                                              num_samples=self.num_val_samples)
                self.train_acc_history.append(train_acc)
                self.val_acc_history.append(val_acc)
                self._save_checkpoint()
                if self.verbose:
                    print(f"(Epoch {self.epoch} / {self.num_epochs}) "
                          f"train acc: {train_acc:f}; val_acc: {val_acc:f}")
                # The first check always counts, so best_params is never empty.
                if not self.best_params or val_acc > self.best_val_acc:
                    self.best_val_acc = val_acc
                    self.best_params = {k: v.copy() for k, v in self.model.params.items()}

        self.model.params = {k: v.copy() for k, v in self.best_params.items()}
