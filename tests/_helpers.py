"""Small helpers shared by the layer tests (fixtures such as ``rng`` live in conftest.py)."""

import numpy as np


def rel_error(x, y):
    """The course's relative error: max of |x - y| / max(1e-8, |x| + |y|)."""
    return np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)))


def torch_tensor(torch, array):
    """``array`` as a float64 PyTorch leaf tensor that records gradients."""
    return torch.tensor(array, dtype=torch.float64, requires_grad=True)
