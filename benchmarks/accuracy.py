"""Same accuracy, less time? ``python -m benchmarks.accuracy [--epochs 5] [--dtype float32]``.

Trains the notebook's ThreeLayerConvNet (``benchmarks.training``'s configuration: hidden 500,
Adam 1e-3, batch 50, the Solver's accuracy checks) on the real CIFAR-10 subset beside the
clone (``../shared/data/cifar-10-subset-py``, or ``CS231N_SHARED_DATA``), once with the kit
and once with the same network in torch, and prints each one's final validation accuracy and
wall time.  Different initial weights and minibatches: the accuracies agree within noise
(a few points), not exactly.  Run with the thread environment of ``benchmarks.run``.
The two trainings run one after the other, not interleaved: their time ratio is only a rough
check, ``make bench`` measures the epoch ratio.
"""

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _data(dtype):
    from cs231n.data_utils import get_CIFAR10_data

    shared = Path(os.environ.get("CS231N_SHARED_DATA", ROOT.parent / "shared" / "data"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the subset holds fewer images than the course asks
        data = get_CIFAR10_data(cifar10_dir=shared / "cifar-10-subset-py")
    return {key: value.astype(dtype) if key.startswith("X") else value
            for key, value in data.items()}


def kit_run(data, dtype, epochs):
    """(seconds, final validation accuracy) of the kit's Solver."""
    from cs231n.classifiers.cnn import ThreeLayerConvNet
    from cs231n.solver import Solver

    from benchmarks.training import BATCH, HIDDEN, LEARNING_RATE, REG

    np.random.seed(231)
    model = ThreeLayerConvNet(weight_scale=1e-3, hidden_dim=HIDDEN, reg=REG, dtype=dtype)
    solver = Solver(model, data, num_epochs=epochs, batch_size=BATCH, update_rule="adam",
                    optim_config={"learning_rate": LEARNING_RATE}, verbose=False, seed=0)
    start = time.perf_counter()
    solver.train()
    return time.perf_counter() - start, solver.val_acc_history[-1]


def torch_run(torch, data, dtype, epochs):
    """(seconds, final validation accuracy) of the same network, loss and Adam in torch."""
    from benchmarks.training import BATCH, HIDDEN, LEARNING_RATE, REG

    nn = torch.nn
    torch.manual_seed(231)
    model = nn.Sequential(
        nn.Conv2d(3, 32, 7, padding=3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(32 * 16 * 16, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 10),
    ).to(torch.float32 if dtype == np.float32 else torch.float64)
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    X_train, y_train = torch.from_numpy(data["X_train"]), torch.from_numpy(data["y_train"])
    X_val, y_val = torch.from_numpy(data["X_val"]), torch.from_numpy(data["y_val"])
    generator = np.random.default_rng(0)
    iterations = epochs * max(len(X_train) // BATCH, 1)

    def accuracy(X, y):
        with torch.no_grad():
            predictions = torch.cat([model(X[i:i + 100]).argmax(dim=1)
                                     for i in range(0, len(X), 100)])
        return float((predictions == y).double().mean())

    start = time.perf_counter()
    for t in range(iterations):
        batch = torch.from_numpy(generator.choice(len(X_train), BATCH))
        loss = nn.functional.cross_entropy(model(X_train[batch]), y_train[batch])
        loss = loss + 0.5 * REG * sum((w * w).sum() for w in weights)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if (t + 1) % (iterations // epochs) == 0:  # the Solver's checks at each epoch end
            sample = torch.from_numpy(generator.choice(len(X_train), 1000))
            accuracy(X_train[sample], y_train[sample])
            val_acc = accuracy(X_val, y_val)
    return time.perf_counter() - start, val_acc


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="torch's threads")
    parser.add_argument("--dtype", choices=("float32", "float64"), nargs="+",
                        default=["float32", "float64"])
    args = parser.parse_args(argv)
    try:
        import torch  # before cs231n_fast, as in benchmarks.run
    except ImportError:
        torch = None
    else:
        torch.set_num_threads(args.threads)
    for dtype_name in args.dtype:
        dtype = np.dtype(dtype_name)
        data = _data(dtype)
        kit_s, kit_acc = kit_run(data, dtype, args.epochs)
        line = (f"{dtype_name}: {args.epochs} epochs, {len(data['X_train'])} images: "
                f"kit val acc {kit_acc:.3f} in {kit_s:.1f} s")
        if torch is not None:
            torch_s, torch_acc = torch_run(torch, data, dtype, args.epochs)
            line += (f"; torch val acc {torch_acc:.3f} in {torch_s:.1f} s; "
                     f"time ratio {kit_s / torch_s:.2f}")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
