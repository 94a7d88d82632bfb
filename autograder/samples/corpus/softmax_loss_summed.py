"""softmax_loss sums the loss over the batch (dx is averaged)."""
import numpy as np

# Functions built on this one are graded again with the reference's version of it
# (autograder/substitute.py), so they keep their points.
LOSES = {"softmax_loss": 1.75}
HINTS = {"softmax_loss": ("loss is summed over the batch",)}


def softmax_loss(x, y):
    N = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(N), y].sum()
    dx = np.exp(log_p)
    dx[np.arange(N), y] -= 1
    return loss, dx / N
