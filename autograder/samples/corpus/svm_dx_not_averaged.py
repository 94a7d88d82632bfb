"""svm_loss averages the loss over the batch but not the gradient."""
import numpy as np

LOSES = {"svm_loss": 1.75}
HINTS = {"svm_loss": ("dx is summed over the batch",)}


def svm_loss(x, y):
    N = x.shape[0]
    correct = x[np.arange(N), y][:, None]
    margins = np.maximum(0, x - correct + 1)
    margins[np.arange(N), y] = 0
    loss = margins.sum() / N
    dx = (margins > 0).astype(float)
    dx[np.arange(N), y] -= dx.sum(axis=1)
    return loss, dx
