"""softmax_loss returns the probabilities / N as dx, without subtracting 1 at the label."""
import numpy as np

LOSES = {"softmax_loss": 1.75}
HINTS = {"softmax_loss": ("subtract 1 from the correct class's probability",)}


def softmax_loss(x, y):
    N = x.shape[0]
    z = x - x.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    loss = -np.mean(log_p[np.arange(N), y])
    dx = np.exp(log_p) / N
    return loss, dx
