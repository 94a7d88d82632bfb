"""softmax_loss averages the loss but returns dx = p - onehot without dividing by N."""
import numpy as np

LOSES = {"softmax_loss": 2.25}  # + 1e-300 in the log: large scores give a finite wrong loss
HINTS = {"softmax_loss": ("dx is summed over the batch",)}


def softmax_loss(x, y):
    N = x.shape[0]
    p = np.exp(x - np.max(x, axis=1, keepdims=True))
    p /= np.sum(p, axis=1, keepdims=True)
    loss = -np.sum(np.log(p[range(N), y] + 1e-300)) / N
    dx = p.copy()
    dx[range(N), y] -= 1
    return loss, dx
