"""svm_loss sums the margins over every class, the correct one included (its margin is 1)."""
import numpy as np

LOSES = {"svm_loss": 1.75}
HINTS = {"svm_loss": ("the correct class's own margin",)}


def svm_loss(x, y):
    N = x.shape[0]
    correct = x[np.arange(N), y].reshape(-1, 1)
    margins = np.maximum(0, x - correct + 1)
    loss = np.sum(margins) / N
    mask = (margins > 0).astype(x.dtype)
    mask[np.arange(N), y] -= mask.sum(axis=1)
    return loss, mask / N
