"""softmax_loss with a one-hot matrix: -sum(Y * log(p)) gives 0 * -inf = NaN for large scores."""
import numpy as np

LOSES = {"softmax_loss": 0.5}
HINTS = {"softmax_loss": ("underflowed to 0",)}


def softmax_loss(x, y):
    N, C = x.shape
    Y = np.zeros((N, C))
    Y[np.arange(N), y] = 1
    e = np.exp(x - x.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.sum(Y * np.log(p)) / N
    return loss, (p - Y) / N
