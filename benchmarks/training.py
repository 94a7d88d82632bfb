"""Training throughput: the course's ThreeLayerConvNet + Solver against the same network in torch.

Configuration from the ConvolutionalNetworks notebook: 32 filters 7x7, hidden 500, reg 1e-3,
Adam with learning rate 1e-3, batch 50, one epoch.  Both sides do the same work per epoch:
the training iterations, then class scores for up to 1000 training images and for the
validation set in batches of 100 (what Solver.check_accuracy does at the end of an epoch).
Random images stand in for CIFAR-10: the time does not depend on pixel values.
"""

import time

import numpy as np
from cs231n.classifiers.cnn import ThreeLayerConvNet
from cs231n.solver import Solver

BATCH = 50
HIDDEN = 500
REG = 1e-3
LEARNING_RATE = 1e-3


def _data(num_train, num_val, dtype, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "X_train": rng.standard_normal((num_train, 3, 32, 32)).astype(dtype),
        "y_train": rng.integers(0, 10, num_train),
        "X_val": rng.standard_normal((num_val, 3, 32, 32)).astype(dtype),
        "y_val": rng.integers(0, 10, num_val),
    }


def numpy_epoch(data, dtype):
    """Seconds for one Solver epoch of the course's ThreeLayerConvNet."""
    np.random.seed(0)
    model = ThreeLayerConvNet(weight_scale=1e-3, hidden_dim=HIDDEN, reg=REG, dtype=dtype)
    solver = Solver(model, data, num_epochs=1, batch_size=BATCH, update_rule="adam",
                    optim_config={"learning_rate": LEARNING_RATE}, verbose=False, seed=0)
    start = time.perf_counter()
    solver.train()
    return time.perf_counter() - start


def torch_epoch(torch, data, dtype):
    """Seconds for the same epoch of the same network, loss and optimiser in torch."""
    nn = torch.nn
    torch_dtype = torch.float32 if dtype == np.float32 else torch.float64
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(3, 32, 7, padding=3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(32 * 16 * 16, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 10),
    ).to(torch_dtype)
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    X_train = torch.from_numpy(data["X_train"])
    y_train = torch.from_numpy(data["y_train"])
    X_val = torch.from_numpy(data["X_val"])
    num_train = len(X_train)
    generator = np.random.default_rng(0)

    start = time.perf_counter()
    for _ in range(max(num_train // BATCH, 1)):
        batch = torch.from_numpy(generator.choice(num_train, BATCH))
        scores = model(X_train[batch])
        loss = nn.functional.cross_entropy(scores, y_train[batch])
        loss = loss + 0.5 * REG * sum((w * w).sum() for w in weights)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        for X in (X_train[:1000], X_val):
            for i in range(0, len(X), 100):
                model(X[i:i + 100]).argmax(dim=1)
    return time.perf_counter() - start


def training_records(dtype, torch=None, num_train=1000, num_val=100, repeats=3):
    """Median epoch seconds (interleaved repeats after one warm-up epoch each)."""
    data = _data(num_train, num_val, dtype)
    runners = {"fast": lambda: numpy_epoch(data, dtype)}
    if torch is not None:
        runners["torch"] = lambda: torch_epoch(torch, data, dtype)
    samples = {name: [] for name in runners}
    for run in runners.values():
        run()
    for _ in range(repeats):
        for name, run in runners.items():
            samples[name].append(run())
    return {name: {"median_s": float(np.median(s)), "repeats": len(s)}
            for name, s in samples.items()}
