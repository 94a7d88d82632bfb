"""softmax_loss exponentiates the raw scores without subtracting the row maximum.

Right for small scores; large scores overflow to inf and the loss and gradient become nan.
"""
import numpy as np

LOSES = {"softmax_loss": 1}


def softmax_loss(x, y):
    N = x.shape[0]
    exp_scores = np.exp(x)  # bug: no x - x.max(axis=1, keepdims=True)
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx
