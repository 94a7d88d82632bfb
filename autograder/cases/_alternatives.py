"""Recognisable wrong answers: what a known bug returns for the same inputs.

Each function takes a probe's drawn inputs (and, where the bug is "right answer, wrong
convention", the reference's outputs for that probe) and returns the array the bug produces.
A case lists them in ``Case.matches``; the grader says the bug's message only when the
student's output equals one of them (relative error below 1e-6), so the hint names one cause.
Plain loops: the shapes are tiny and every loop here mirrors the student code it imitates.
"""

import numpy as np

# convolution ------------------------------------------------------------------------------------

def _conv_geometry(x, w, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    H_out = 1 + (x.shape[2] + 2 * pad - w.shape[2]) // stride
    W_out = 1 + (x.shape[3] + 2 * pad - w.shape[3]) // stride
    return stride, pad, H_out, W_out


def conv_forward(x, w, b, conv_param, step=None):
    """Naive convolution whose window (i, j) starts at (i*step, j*step) (step=stride: right)."""
    stride, pad, H_out, W_out = _conv_geometry(x, w, conv_param)
    step = stride if step is None else step
    HH, WW = w.shape[2:]
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((x.shape[0], w.shape[0], H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * step:i * step + HH, j * step:j * step + WW]  # (N, C, HH, WW)
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out


def conv_backward(dout, x, w, conv_param, step=None, crop=True):
    """(dx, dw) of the naive convolution; windows start at i*step; crop=False keeps the pad."""
    stride, pad, H_out, W_out = _conv_geometry(x, w, conv_param)
    step = stride if step is None else step
    HH, WW = w.shape[2:]
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad, dw = np.zeros(x_pad.shape), np.zeros(w.shape)
    for i in range(H_out):
        for j in range(W_out):
            rows, cols = slice(i * step, i * step + HH), slice(j * step, j * step + WW)
            if rows.stop > x_pad.shape[2] or cols.stop > x_pad.shape[3]:
                continue  # the bug's window would leave the image; it cannot be imitated
            dw += np.tensordot(dout[:, :, i, j], x_pad[:, :, rows, cols], axes=([0], [0]))
            dx_pad[:, :, rows, cols] += np.tensordot(dout[:, :, i, j], w, axes=([1], [0]))
    if crop:
        dx_pad = dx_pad[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]]
    return dx_pad, dw


def conv_forward_stride_ignored(drawn, expected=None):
    x, w, b, conv_param = drawn["args"]
    return conv_forward(x, w, b, conv_param, step=1)


def conv_backward_stride_ignored(output):
    def alternative(drawn, expected=None):
        x, w, _, conv_param = drawn["args"]
        dx, dw = conv_backward(drawn["dout"], x, w, conv_param, step=1)
        return dx if output == "dx" else dw
    return alternative


def conv_dx_padded(drawn, expected=None):
    x, w, _, conv_param = drawn["args"]
    return conv_backward(drawn["dout"], x, w, conv_param, crop=False)[0]


def conv_dx_empty_crop(drawn, expected=None):
    """dx_pad[:, :, pad:-pad, pad:-pad] with pad 0: an empty array."""
    x = drawn["args"][0]
    return np.zeros(x.shape[:2] + (0, 0))


# max pooling ------------------------------------------------------------------------------------

def _pool_geometry(x, pool_param):
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    return ph, pw, s, 1 + (x.shape[2] - ph) // s, 1 + (x.shape[3] - pw) // s


def pool_forward_stride_ignored(drawn, expected=None):
    x, pool_param = drawn["args"]
    ph, pw, _, H_out, W_out = _pool_geometry(x, pool_param)
    out = np.zeros(x.shape[:2] + (H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i:i + ph, j:j + pw].max(axis=(2, 3))
    return out


def pool_backward_overwrite(whole_window, i_outer):
    """dx[...] = ... instead of +=: the last window (in loop order) that writes a cell wins.
    whole_window: the student writes mask * dout over the whole window (zeroing the other
    cells); else only the argmax cell is written."""
    def alternative(drawn, expected=None):
        dout = drawn["dout"]
        x, pool_param = drawn["args"]
        ph, pw, s, H_out, W_out = _pool_geometry(x, pool_param)
        dx = np.zeros(x.shape)
        order = [(i, j) for i in range(H_out) for j in range(W_out)]
        if not i_outer:
            order.sort(key=lambda ij: (ij[1], ij[0]))
        for i, j in order:
            window = x[:, :, i * s:i * s + ph, j * s:j * s + pw]  # (N, C, ph, pw)
            flat = window.reshape(window.shape[:2] + (-1,))
            mask = np.zeros_like(flat)
            np.put_along_axis(mask, flat.argmax(axis=2)[..., None], 1.0, axis=2)
            mask = mask.reshape(window.shape)
            target = dx[:, :, i * s:i * s + ph, j * s:j * s + pw]
            if whole_window:
                target[...] = mask * dout[:, :, i, j][:, :, None, None]
            else:
                target[mask == 1] = dout[:, :, i, j].reshape(-1)
        return dx
    return alternative


POOL_OVERWRITES = tuple(pool_backward_overwrite(whole, i_outer)
                        for whole in (False, True) for i_outer in (True, False))


# losses -----------------------------------------------------------------------------------------

def times_n(output):
    """The reference's output times N: summed over the batch instead of averaged."""
    def alternative(drawn, expected):
        return expected[output] * drawn["args"][0].shape[0]
    return alternative


def softmax_probabilities(x):
    shifted = x - x.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


# relu -------------------------------------------------------------------------------------------

def relu_dx_at_zero_one(drawn, expected=None):
    """dx = dout * (x >= 0): passes the gradient where x is exactly 0."""
    return drawn["dout"] * (drawn["args"][0] >= 0)


def affine_dx_flat(drawn, expected):
    """dx left as (N, D) when x was (N, d_1, ..., d_k)."""
    return expected["dx"].reshape(expected["dx"].shape[0], -1)


def affine_fortran_order(drawn, expected=None):
    x, w, b = drawn["args"]
    return x.reshape(x.shape[0], -1, order="F") @ w + b


def affine_db_rows(drawn, expected=None):
    """db = dout.sum(axis=1): one value per example instead of per output."""
    return drawn["dout"].sum(axis=1)


def pool_backward_to_all(drawn, expected=None):
    """Every cell of each window gets the window's upstream gradient (no argmax mask)."""
    dout = drawn["dout"]
    x, pool_param = drawn["args"]
    ph, pw, s, H_out, W_out = _pool_geometry(x, pool_param)
    dx = np.zeros(x.shape)
    for i in range(H_out):
        for j in range(W_out):
            dx[:, :, i * s:i * s + ph, j * s:j * s + pw] += dout[:, :, i, j][:, :, None, None]
    return dx


def conv_forward_no_bias(drawn, expected):
    b = drawn["args"][2]
    return expected["out"] - b[None, :, None, None]


def svm_correct_class_counted(drawn, expected):
    """The correct class's own margin (always 1) left in the sum: loss + 1.  (Its dx entry
    comes out right: its +1 and the -1 it adds to the count cancel.)"""
    return expected["loss"] + 1.0


def softmax_dx_no_one(drawn, expected):
    """dx = probabilities / N: the 1 of the correct class never subtracted."""
    x = drawn["args"][0]
    return softmax_probabilities(x) / x.shape[0]
