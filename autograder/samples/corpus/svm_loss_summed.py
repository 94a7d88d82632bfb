"""svm_loss sums the hinge loss over the batch (dx is averaged)."""
import numpy as np

LOSES = {"svm_loss": 1.75}
HINTS = {"svm_loss": ("loss is summed over the batch",)}


def svm_loss(x, y):
    N = x.shape[0]
    margins = np.maximum(0, x - x[np.arange(N), y][:, None] + 1)
    margins[np.arange(N), y] = 0
    loss = np.sum(margins)
    dx = (margins > 0).astype(x.dtype)
    dx[np.arange(N), y] = -dx.sum(axis=1)
    return loss, dx / N
