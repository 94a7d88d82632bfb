"""softmax_loss exponentiates the raw scores: overflows to NaN for large scores."""
import numpy as np

LOSES = {"softmax_loss": 1}
HINTS = {"softmax_loss": ("exp overflowed",)}


def softmax_loss(x, y):
    N = x.shape[0]
    probs = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    return loss, dx / N
