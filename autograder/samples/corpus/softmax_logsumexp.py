"""softmax_loss through log-sum-exp (log-probabilities computed directly): right and stable."""
import numpy as np

LOSES = {}


def softmax_loss(x, y):
    N = x.shape[0]
    m = x.max(axis=1, keepdims=True)
    log_z = m + np.log(np.exp(x - m).sum(axis=1, keepdims=True))
    log_p = x - log_z
    loss = -log_p[np.arange(N), y].sum() / N
    dx = np.exp(log_p)
    dx[np.arange(N), y] -= 1
    return loss, dx / N
