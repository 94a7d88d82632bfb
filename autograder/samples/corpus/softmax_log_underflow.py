"""softmax_loss subtracts the row max, then takes the log of probabilities that underflow to 0."""
import numpy as np

LOSES = {"softmax_loss": 0.5}
HINTS = {"softmax_loss": ("underflowed to 0",)}


def softmax_loss(x, y):
    N = x.shape[0]
    shifted = x - np.max(x, axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= np.sum(probs, axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx
