"""Reference layers (affine, relu, losses, convolution, max pooling) checked three ways.

1. The course's fixed expected outputs (course notebooks 000/001/003) with the course's thresholds.
2. Numerical gradients from the package's own ``cs231n.gradient_check``.
3. PyTorch float64 as an independent oracle (skipped when torch is absent).
Normalization layers live in test_layers_norm.py, error paths in test_layers_errors.py.
"""

import math

import numpy as np
import pytest
from cs231n.gradient_check import eval_numerical_gradient, eval_numerical_gradient_array
from cs231n.layers import (
    affine_backward,
    affine_forward,
    conv_backward_naive,
    conv_forward_naive,
    max_pool_backward_naive,
    max_pool_forward_naive,
    relu_backward,
    relu_forward,
    softmax_loss,
    svm_loss,
)

from tests._helpers import rel_error, torch_tensor

# ---------------------------------------------------------------- course's expected outputs


def test_affine_forward_matches_course_numbers():
    """Does affine_forward reproduce the notebook's correct_out (difference ~1e-9)?"""
    num_inputs, input_shape, output_dim = 2, (4, 5, 6), 3
    input_size = num_inputs * math.prod(input_shape)
    weight_size = output_dim * math.prod(input_shape)
    x = np.linspace(-0.1, 0.5, num=input_size).reshape(num_inputs, *input_shape)
    w = np.linspace(-0.2, 0.3, num=weight_size).reshape(math.prod(input_shape), output_dim)
    b = np.linspace(-0.3, 0.1, num=output_dim)
    out, _ = affine_forward(x, w, b)
    correct_out = np.array([[1.49834967, 1.70660132, 1.91485297],
                            [3.25553199, 3.5141327, 3.77273342]])
    assert out.shape == (2, 3)
    assert rel_error(out, correct_out) < 1e-8


def test_relu_forward_matches_course_numbers():
    """Does relu_forward reproduce the notebook's correct_out (difference ~1e-8)?"""
    x = np.linspace(-0.5, 0.5, num=12).reshape(3, 4)
    out, _ = relu_forward(x)
    correct_out = np.array([[0., 0., 0., 0.],
                            [0., 0., 0.04545455, 0.13636364],
                            [0.22727273, 0.31818182, 0.40909091, 0.5]])
    assert out.shape == (3, 4)
    assert rel_error(out, correct_out) < 5e-8


def test_conv_forward_naive_matches_course_numbers():
    """Does conv_forward_naive (stride 2, pad 1) reproduce correct_out (difference ~2e-8)?"""
    x_shape, w_shape = (2, 3, 4, 4), (3, 3, 4, 4)
    x = np.linspace(-0.1, 0.5, num=math.prod(x_shape)).reshape(x_shape)
    w = np.linspace(-0.2, 0.3, num=math.prod(w_shape)).reshape(w_shape)
    b = np.linspace(-0.1, 0.2, num=3)
    out, _ = conv_forward_naive(x, w, b, {"stride": 2, "pad": 1})
    correct_out = np.array([[[[-0.08759809, -0.10987781],
                              [-0.18387192, -0.2109216]],
                             [[0.21027089, 0.21661097],
                              [0.22847626, 0.23004637]],
                             [[0.50813986, 0.54309974],
                              [0.64082444, 0.67101435]]],
                            [[[-0.98053589, -1.03143541],
                              [-1.19128892, -1.24695841]],
                             [[0.69108355, 0.66880383],
                              [0.59480972, 0.56776003]],
                             [[2.36270298, 2.36904306],
                              [2.38090835, 2.38247847]]]])
    assert out.shape == (2, 3, 2, 2)
    assert rel_error(out, correct_out) < 5e-8


def test_max_pool_forward_naive_matches_course_numbers():
    """Does max_pool_forward_naive (2x2 stride 2) reproduce correct_out (difference ~1e-8)?"""
    x_shape = (2, 3, 4, 4)
    x = np.linspace(-0.3, 0.4, num=math.prod(x_shape)).reshape(x_shape)
    out, _ = max_pool_forward_naive(x, {"pool_width": 2, "pool_height": 2, "stride": 2})
    correct_out = np.array([[[[-0.26315789, -0.24842105],
                              [-0.20421053, -0.18947368]],
                             [[-0.14526316, -0.13052632],
                              [-0.08631579, -0.07157895]],
                             [[-0.02736842, -0.01263158],
                              [0.03157895, 0.04631579]]],
                            [[[0.09052632, 0.10526316],
                              [0.14947368, 0.16421053]],
                             [[0.20842105, 0.22315789],
                              [0.26736842, 0.28210526]],
                             [[0.32631579, 0.34105263],
                              [0.38526316, 0.4]]]])
    assert out.shape == (2, 3, 2, 2)
    assert rel_error(out, correct_out) < 5e-8


def test_conv_forward_naive_image_filters():
    """Does the notebook's demo (grayscale + horizontal-edge filters, pad 1) give known pixels?"""
    x = np.zeros((1, 3, 3, 3))
    x[0, 0] = 10.0  # red
    x[0, 1] = 20.0  # green
    x[0, 2, 0, :] = 30.0  # blue: bright top row only
    w = np.zeros((2, 3, 3, 3))
    w[0, 0, 1, 1], w[0, 1, 1, 1], w[0, 2, 1, 1] = 0.3, 0.6, 0.1
    w[1, 2] = [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]
    b = np.array([0, 128])  # integer biases, as in the notebook
    out, _ = conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})
    assert out.shape == (1, 2, 3, 3)
    np.testing.assert_allclose(out[0, 0, 1], [0.3 * 10 + 0.6 * 20] * 3)
    np.testing.assert_allclose(out[0, 0, 0], [0.3 * 10 + 0.6 * 20 + 0.1 * 30] * 3)
    # Row 1 sees the bright row above it through the filter's top row: 128 + (1 + 2 + 1) * 30
    np.testing.assert_allclose(out[0, 1, 1], [128 + 3 * 30, 128 + 4 * 30, 128 + 3 * 30])


# ---------------------------------------------------------------- numerical gradients


def test_affine_backward_numerical(rng):
    """Does affine_backward agree with numerical gradients (error < 1e-10 in the course)?"""
    x, w, b = rng.standard_normal((10, 2, 3)), rng.standard_normal((6, 5)), rng.standard_normal(5)
    dout = rng.standard_normal((10, 5))
    dx_num = eval_numerical_gradient_array(lambda x: affine_forward(x, w, b)[0], x, dout)
    dw_num = eval_numerical_gradient_array(lambda w: affine_forward(x, w, b)[0], w, dout)
    db_num = eval_numerical_gradient_array(lambda b: affine_forward(x, w, b)[0], b, dout)
    _, cache = affine_forward(x, w, b)
    dx, dw, db = affine_backward(dout, cache)
    assert (dx.shape, dw.shape, db.shape) == (x.shape, w.shape, b.shape)
    assert rel_error(dx_num, dx) < 1e-8
    assert rel_error(dw_num, dw) < 1e-8
    assert rel_error(db_num, db) < 1e-8


def test_relu_backward_numerical(rng):
    """Does relu_backward agree with numerical gradients (error ~1e-12 in the course)?"""
    x = rng.standard_normal((10, 10))
    x[np.abs(x) < 1e-3] = 0.5  # keep the centred difference away from the kink
    dout = rng.standard_normal(x.shape)
    dx_num = eval_numerical_gradient_array(lambda x: relu_forward(x)[0], x, dout)
    _, cache = relu_forward(x)
    dx = relu_backward(dout, cache)
    assert dx.shape == x.shape
    assert rel_error(dx_num, dx) < 1e-9


def test_svm_and_softmax_course_sanity(rng):
    """Near-zero scores: is the SVM loss ~9 and softmax ~2.3 (log 10), with exact gradients?"""
    num_classes, num_inputs = 10, 50
    x = 0.001 * rng.standard_normal((num_inputs, num_classes))
    y = rng.integers(num_classes, size=num_inputs)

    loss, dx = svm_loss(x, y)
    dx_num = eval_numerical_gradient(lambda x: svm_loss(x, y)[0], x, verbose=False)
    assert loss == pytest.approx(9.0, abs=0.01)
    assert rel_error(dx_num, dx) < 1e-8

    loss, dx = softmax_loss(x, y)
    dx_num = eval_numerical_gradient(lambda x: softmax_loss(x, y)[0], x, verbose=False)
    assert loss == pytest.approx(math.log(10), abs=0.01)
    assert rel_error(dx_num, dx) < 1e-7


def test_conv_backward_naive_numerical(rng):
    """Does conv_backward_naive agree with numerical gradients (course: ~1e-8)?"""
    x = rng.standard_normal((4, 3, 5, 5))
    w = rng.standard_normal((2, 3, 3, 3))
    b = rng.standard_normal(2)
    dout = rng.standard_normal((4, 2, 5, 5))
    conv_param = {"stride": 1, "pad": 1}

    def forward(_):
        return conv_forward_naive(x, w, b, conv_param)[0]

    dx_num = eval_numerical_gradient_array(forward, x, dout)
    dw_num = eval_numerical_gradient_array(forward, w, dout)
    db_num = eval_numerical_gradient_array(forward, b, dout)
    _, cache = conv_forward_naive(x, w, b, conv_param)
    dx, dw, db = conv_backward_naive(dout, cache)
    assert rel_error(dx_num, dx) < 1e-7
    assert rel_error(dw_num, dw) < 1e-7
    assert rel_error(db_num, db) < 1e-7


def test_max_pool_backward_naive_numerical(rng):
    """Does max_pool_backward_naive agree with numerical gradients (course: ~1e-12)?

    Seed 003 shows a real student bug scoring ``dx error: 1.0`` here.
    """
    x = rng.standard_normal((3, 2, 8, 8))
    dout = rng.standard_normal((3, 2, 4, 4))
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
    dx_num = eval_numerical_gradient_array(
        lambda x: max_pool_forward_naive(x, pool_param)[0], x, dout
    )
    _, cache = max_pool_forward_naive(x, pool_param)
    dx = max_pool_backward_naive(dout, cache)
    assert dx.shape == x.shape
    assert rel_error(dx, dx_num) < 1e-10


# ---------------------------------------------------------------- PyTorch oracle


AFFINE_SHAPES = [((4, 6), 3), ((3, 2, 5), 7), ((2, 3, 4, 5), 4), ((1, 1), 1)]


@pytest.mark.torch
@pytest.mark.parametrize(
    ("x_shape", "output_dim"), AFFINE_SHAPES,
    ids=[f"x{'x'.join(map(str, s))}-M{m}" for s, m in AFFINE_SHAPES],
)
def test_affine_matches_torch(torch, rng, x_shape, output_dim):
    """Do affine forward and backward match torch.nn.functional.linear?"""
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal((math.prod(x_shape[1:]), output_dim))
    b = rng.standard_normal(output_dim)
    dout = rng.standard_normal((x_shape[0], output_dim))
    out, cache = affine_forward(x, w, b)
    dx, dw, db = affine_backward(dout, cache)

    tx, tw, tb = torch_tensor(torch, x), torch_tensor(torch, w), torch_tensor(torch, b)
    tout = torch.nn.functional.linear(tx.reshape(x_shape[0], -1), tw.T, tb)
    tout.backward(torch.from_numpy(dout))
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dw, tw.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(db, tb.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.torch
def test_relu_matches_torch(torch, rng):
    """Do relu forward and backward match torch.relu (including exact zeros in x)?"""
    x = rng.standard_normal((5, 3, 4))
    x[0, 0, :2] = 0.0  # torch's relu gradient at 0 is 0, as is the course's
    dout = rng.standard_normal(x.shape)
    out, cache = relu_forward(x)
    dx = relu_backward(dout, cache)
    tx = torch_tensor(torch, x)
    tout = torch.relu(tx)
    tout.backward(torch.from_numpy(dout))
    np.testing.assert_array_equal(out, tout.detach().numpy())
    np.testing.assert_array_equal(dx, tx.grad.numpy())


LOSS_CASES = [(1, 2, 1.0), (8, 10, 1.0), (20, 5, 1e-3), (16, 10, 1e3), (4, 3, 5e3)]
LOSS_IDS = [f"N{n}-C{c}-scale{s:g}" for n, c, s in LOSS_CASES]


@pytest.mark.torch
@pytest.mark.parametrize(("num_rows", "num_classes", "scale"), LOSS_CASES, ids=LOSS_IDS)
def test_svm_loss_matches_torch(torch, rng, num_rows, num_classes, scale):
    """Does svm_loss match torch's multi_margin_loss (which also divides by C)?"""
    x = scale * rng.standard_normal((num_rows, num_classes))
    y = rng.integers(num_classes, size=num_rows)
    loss, dx = svm_loss(x, y)
    tx = torch_tensor(torch, x)
    tloss = num_classes * torch.nn.functional.multi_margin_loss(tx, torch.from_numpy(y))
    tloss.backward()
    assert isinstance(loss, float)
    assert loss == pytest.approx(tloss.item(), rel=1e-10, abs=1e-12)
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.torch
@pytest.mark.parametrize(("num_rows", "num_classes", "scale"), LOSS_CASES, ids=LOSS_IDS)
def test_softmax_loss_matches_torch(torch, rng, num_rows, num_classes, scale):
    """Does softmax_loss match torch's cross_entropy, even for scores in the thousands?"""
    x = scale * rng.standard_normal((num_rows, num_classes))
    y = rng.integers(num_classes, size=num_rows)
    loss, dx = softmax_loss(x, y)
    tx = torch_tensor(torch, x)
    tloss = torch.nn.functional.cross_entropy(tx, torch.from_numpy(y))
    tloss.backward()
    assert math.isfinite(loss) and np.all(np.isfinite(dx))
    assert loss == pytest.approx(tloss.item(), rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_losses_stay_finite_for_large_scores(rng, dtype):
    """Scores ~1e3 overflow a naive exp: are both losses and gradients finite and sensible?"""
    x = (1e3 * rng.standard_normal((32, 10))).astype(dtype)
    y = rng.integers(10, size=32)
    for loss_function in (svm_loss, softmax_loss):
        loss, dx = loss_function(x, y)
        assert math.isfinite(loss) and loss >= 0
        assert dx.dtype == dtype and np.all(np.isfinite(dx))
    # A class winning by 1000 costs nothing; losing by 1000 costs ~1000 nats.
    loss, dx = softmax_loss(np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([0, 0]))
    assert loss == pytest.approx(500.0)
    np.testing.assert_allclose(dx, [[0.0, 0.0], [-0.5, 0.5]], atol=1e-12)


# (N, C, H, W, F, HH, WW, stride, pad); every case tiles.
CONV_CASES = [
    (2, 3, 5, 5, 2, 3, 3, 1, 1),  # the notebook's shape
    (2, 2, 6, 4, 3, 3, 1, 1, 0),  # non-square image and filter
    (1, 3, 7, 9, 2, 3, 5, 2, 0),  # non-square, stride 2
    (2, 1, 4, 4, 2, 2, 2, 2, 1),  # even filter, stride 2
    (1, 2, 8, 5, 2, 2, 2, 3, 0),  # stride 3
    (1, 3, 5, 7, 2, 3, 2, 3, 2),  # stride 3, pad 2, non-square
    (2, 2, 3, 5, 1, 3, 3, 1, 3),  # pad 3: some outputs see only padding
    (1, 2, 5, 6, 2, 3, 4, 2, 3),  # stride 2, pad 3
    (3, 2, 4, 6, 4, 5, 3, 1, 2),  # filter taller than the image
]


def _conv_id(case):
    n, c, h, w, f, hh, ww, stride, pad = case
    return f"x{n}x{c}x{h}x{w}-w{f}x{c}x{hh}x{ww}-s{stride}-p{pad}"


def test_conv_cases_cover_the_brief():
    """Do the torch cases cover strides 1-3, pads 0-3 and non-square images and filters?"""
    assert {case[7] for case in CONV_CASES} >= {1, 2, 3}
    assert {case[8] for case in CONV_CASES} >= {0, 1, 2, 3}
    assert any(case[2] != case[3] for case in CONV_CASES)
    assert any(case[5] != case[6] for case in CONV_CASES)


@pytest.mark.torch
@pytest.mark.parametrize("case", CONV_CASES, ids=[_conv_id(case) for case in CONV_CASES])
def test_conv_naive_matches_torch(torch, rng, case):
    """Do conv forward and backward (naive) match torch.nn.functional.conv2d?"""
    n, c, h, w_, f, hh, ww, stride, pad = case
    x = rng.standard_normal((n, c, h, w_))
    w = rng.standard_normal((f, c, hh, ww))
    b = rng.standard_normal(f)
    out, cache = conv_forward_naive(x, w, b, {"stride": stride, "pad": pad})
    assert out.shape == (n, f, 1 + (h + 2 * pad - hh) // stride, 1 + (w_ + 2 * pad - ww) // stride)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv_backward_naive(dout, cache)

    tx, tw, tb = torch_tensor(torch, x), torch_tensor(torch, w), torch_tensor(torch, b)
    tout = torch.nn.functional.conv2d(tx, tw, tb, stride=stride, padding=pad)
    tout.backward(torch.from_numpy(dout))
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dw, tw.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(db, tb.grad.numpy(), rtol=1e-10, atol=1e-12)


# (N, C, H, W, pool_height, pool_width, stride)
POOL_CASES = [
    (2, 3, 4, 4, 2, 2, 2),
    (1, 2, 7, 7, 3, 3, 2),  # overlapping 3x3 stride 2
    (2, 1, 5, 9, 3, 3, 1),  # overlapping stride 1, non-square image
    (1, 2, 6, 8, 2, 4, 2),  # non-square window
    (2, 2, 7, 4, 1, 1, 3),  # 1x1 window, stride 3
    (1, 1, 3, 5, 3, 5, 1),  # one window covering the whole image
]


def _pool_id(case):
    n, c, h, w, ph, pw, stride = case
    return f"x{n}x{c}x{h}x{w}-pool{ph}x{pw}-s{stride}"


@pytest.mark.torch
@pytest.mark.parametrize("case", POOL_CASES, ids=[_pool_id(case) for case in POOL_CASES])
def test_max_pool_naive_matches_torch(torch, rng, case):
    """Do max-pool forward and backward (naive) match torch's max_pool2d, overlaps included?"""
    n, c, h, w, ph, pw, stride = case
    x = rng.standard_normal((n, c, h, w))
    pool_param = {"pool_height": ph, "pool_width": pw, "stride": stride}
    out, cache = max_pool_forward_naive(x, pool_param)
    dout = rng.standard_normal(out.shape)
    dx = max_pool_backward_naive(dout, cache)

    tx = torch_tensor(torch, x)
    tout = torch.nn.functional.max_pool2d(tx, (ph, pw), stride=stride)
    tout.backward(torch.from_numpy(dout))
    assert out.shape == tuple(tout.shape)
    np.testing.assert_array_equal(out, tout.detach().numpy())
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_max_pool_backward_overlapping_windows_add_up():
    """When one pixel is the max of several overlapping windows, do their gradients add?"""
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 1.0  # the centre is the max of all four 2x2 stride-1 windows
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 1}
    _, cache = max_pool_forward_naive(x, pool_param)
    dout = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    dx = max_pool_backward_naive(dout, cache)
    expected = np.zeros((1, 1, 3, 3))
    expected[0, 0, 1, 1] = 10.0
    np.testing.assert_array_equal(dx, expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_dtype_is_kept(rng, dtype):
    """float32 in, float32 out (and float64 stays float64) for every layer and gradient."""
    x = rng.standard_normal((2, 3, 6, 6)).astype(dtype)
    w = rng.standard_normal((4, 3, 3, 3)).astype(dtype)
    b = rng.standard_normal(4).astype(dtype)
    out, cache = conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})
    assert out.dtype == dtype
    assert all(g.dtype == dtype for g in conv_backward_naive(np.ones_like(out), cache))
    pooled, cache = max_pool_forward_naive(out, {"pool_height": 2, "pool_width": 2, "stride": 2})
    assert pooled.dtype == dtype
    assert max_pool_backward_naive(np.ones_like(pooled), cache).dtype == dtype
    relu_out, cache = relu_forward(pooled)
    assert relu_out.dtype == dtype
    assert relu_backward(np.ones_like(relu_out), cache).dtype == dtype
    fc_w = rng.standard_normal((4 * 3 * 3, 5)).astype(dtype)
    fc_b = np.zeros(5, dtype)
    scores, cache = affine_forward(relu_out, fc_w, fc_b)
    assert scores.dtype == dtype
    assert all(g.dtype == dtype for g in affine_backward(np.ones_like(scores), cache))
    y = np.array([0, 4])
    for loss_function in (svm_loss, softmax_loss):
        loss, dscores = loss_function(scores, y)
        assert isinstance(loss, float) and dscores.dtype == dtype
