"""Bad input raises ValueError naming the values; good input is never modified.

These checks sit outside the solution regions, so the student stubs keep them too.
"""

import copy

import numpy as np
import pytest
from cs231n import layers


def _conv_inputs(x_shape=(2, 3, 5, 5), w_shape=(4, 3, 3, 3)):
    return np.zeros(x_shape), np.zeros(w_shape), np.zeros(w_shape[0])


ERROR_CASES = [
    # (id, call, message pattern)
    ("affine-D-mismatch",
     lambda: layers.affine_forward(np.zeros((2, 3, 4)), np.zeros((10, 5)), np.zeros(5)),
     r"D = 12 .* D = 10"),
    ("affine-b-shape",
     lambda: layers.affine_forward(np.zeros((2, 4)), np.zeros((4, 5)), np.zeros(4)),
     r"b must have shape \(5,\), got \(4,\)"),
    ("affine-backward-dout-shape",
     lambda: layers.affine_backward(
         np.zeros((2, 4)), layers.affine_forward(np.zeros((2, 4)), np.zeros((4, 5)),
                                                 np.zeros(5))[1]),
     r"dout must have shape \(2, 5\), got \(2, 4\)"),
    ("relu-backward-dout-shape",
     lambda: layers.relu_backward(np.zeros(3), np.zeros(4)),
     r"dout must have shape \(4,\), got \(3,\)"),
    ("conv-stride-does-not-tile",
     lambda: layers.conv_forward_naive(*_conv_inputs((1, 3, 8, 8), (2, 3, 5, 5)),
                                       {"stride": 2, "pad": 1}),
     r"stride 2 does not tile: \(H \+ 2\*pad - HH\) = 5"),
    ("conv-stride-does-not-tile-W",
     lambda: layers.conv_forward_naive(*_conv_inputs((1, 3, 6, 7), (2, 3, 3, 3)),
                                       {"stride": 3, "pad": 0}),
     r"stride 3 does not tile: \(W \+ 2\*pad - WW\) = 4"),
    ("conv-channel-mismatch",
     lambda: layers.conv_forward_naive(np.zeros((2, 3, 5, 5)), np.zeros((4, 2, 3, 3)),
                                       np.zeros(4), {"stride": 1, "pad": 1}),
     r"channel mismatch: x has C = 3 .* w expects C = 2"),
    ("conv-filter-too-large",
     lambda: layers.conv_forward_naive(*_conv_inputs((1, 3, 3, 3), (2, 3, 7, 7)),
                                       {"stride": 1, "pad": 1}),
     r"HH is larger than the padded input: .* = -2"),
    ("conv-x-ndim",
     lambda: layers.conv_forward_naive(np.zeros((3, 5, 5)), np.zeros((4, 3, 3, 3)),
                                       np.zeros(4), {"stride": 1, "pad": 1}),
     r"x must be 4-dimensional \(N, C, H, W\), got 3"),
    ("conv-b-shape",
     lambda: layers.conv_forward_naive(np.zeros((1, 3, 5, 5)), np.zeros((4, 3, 3, 3)),
                                       np.zeros(3), {"stride": 1, "pad": 1}),
     r"b must have shape \(4,\), got \(3,\)"),
    ("conv-zero-stride",
     lambda: layers.conv_forward_naive(*_conv_inputs(), {"stride": 0, "pad": 1}),
     r"conv_param\['stride'\] must be >= 1, got 0"),
    ("conv-negative-pad",
     lambda: layers.conv_forward_naive(*_conv_inputs(), {"stride": 1, "pad": -1}),
     r"conv_param\['pad'\] must be >= 0, got -1"),
    ("conv-float-stride",
     lambda: layers.conv_forward_naive(*_conv_inputs(), {"stride": 1.5, "pad": 1}),
     r"conv_param\['stride'\] must be an integer, got 1.5"),
    ("conv-missing-pad",
     lambda: layers.conv_forward_naive(*_conv_inputs(), {"stride": 1}),
     r"conv_param is missing 'pad'"),
    ("pool-window-larger-than-input",
     lambda: layers.max_pool_forward_naive(
         np.zeros((1, 1, 2, 6)), {"pool_height": 3, "pool_width": 2, "stride": 2}),
     r"pool_height is larger than the input: \(H - pool_height\) = -1"),
    ("pool-does-not-tile",
     lambda: layers.max_pool_forward_naive(
         np.zeros((1, 1, 4, 5)), {"pool_height": 2, "pool_width": 2, "stride": 2}),
     r"pool stride 2 does not tile: \(W - pool_width\) = 3"),
    ("pool-x-ndim",
     lambda: layers.max_pool_forward_naive(
         np.zeros((4, 4)), {"pool_height": 2, "pool_width": 2, "stride": 2}),
     r"x must be 4-dimensional"),
    ("pool-backward-dout-shape",
     lambda: layers.max_pool_backward_naive(
         np.zeros((1, 1, 3, 3)),
         (np.zeros((1, 1, 4, 4)), {"pool_height": 2, "pool_width": 2, "stride": 2})),
     r"dout must have shape \(1, 1, 2, 2\), got \(1, 1, 3, 3\)"),
    ("svm-label-too-large",
     lambda: layers.svm_loss(np.zeros((3, 4)), np.array([0, 4, 1])),
     r"y labels must be in \[0, 4\) .* got \[4\]"),
    ("softmax-negative-label",
     lambda: layers.softmax_loss(np.zeros((3, 4)), np.array([0, -1, 1])),
     r"y labels must be in \[0, 4\) .* got \[-1\]"),
    ("softmax-float-labels",
     lambda: layers.softmax_loss(np.zeros((2, 4)), np.array([0.0, 1.0])),
     r"integer class labels, got dtype float64"),
    ("softmax-y-length",
     lambda: layers.softmax_loss(np.zeros((3, 4)), np.array([0, 1])),
     r"y must have shape \(3,\) to match x, got \(2,\)"),
    ("affine-x-1d",
     lambda: layers.affine_forward(np.zeros(4), np.zeros((4, 5)), np.zeros(5)),
     r"leading batch dimension N, got shape \(4,\)"),
    ("softmax-empty-batch",
     lambda: layers.softmax_loss(np.zeros((0, 4)), np.zeros(0, dtype=int)),
     r"at least one example and one class, got shape \(0, 4\)"),
    ("svm-x-ndim",
     lambda: layers.svm_loss(np.zeros(4), np.array([0])),
     r"x must be 2-dimensional scores \(N, C\), got 1"),
    ("batchnorm-unknown-mode",
     lambda: layers.batchnorm_forward(np.zeros((2, 3)), np.ones(3), np.zeros(3),
                                      {"mode": "eval"}),
     r"bn_param\['mode'\] must be 'train' or 'test', got 'eval'"),
    ("batchnorm-missing-mode",
     lambda: layers.batchnorm_forward(np.zeros((2, 3)), np.ones(3), np.zeros(3), {}),
     r"bn_param is missing 'mode'"),
    ("batchnorm-gamma-shape",
     lambda: layers.batchnorm_forward(np.zeros((2, 3)), np.ones(4), np.zeros(3),
                                      {"mode": "train"}),
     r"gamma must have shape \(3,\), got \(4,\)"),
    ("batchnorm-x-ndim",
     lambda: layers.batchnorm_forward(np.zeros((2, 3, 1)), np.ones(3), np.zeros(3),
                                      {"mode": "train"}),
     r"x must be 2-dimensional \(N, D\), got 3"),
    ("spatial-batchnorm-beta-shape",
     lambda: layers.spatial_batchnorm_forward(np.zeros((2, 3, 2, 2)), np.ones(3),
                                              np.zeros((1, 3, 1, 1)), {"mode": "train"}),
     r"beta must have shape \(3,\), got \(1, 3, 1, 1\)"),
    ("spatial-batchnorm-unknown-mode",
     lambda: layers.spatial_batchnorm_forward(np.zeros((2, 3, 2, 2)), np.ones(3),
                                              np.zeros(3), {"mode": "Train"}),
     r"must be 'train' or 'test', got 'Train'"),
    ("groupnorm-G-does-not-divide-C",
     lambda: layers.spatial_groupnorm_forward(np.zeros((2, 6, 2, 2)), np.ones((1, 6, 1, 1)),
                                              np.zeros((1, 6, 1, 1)), 4, {}),
     r"G = 4 groups does not divide C = 6 channels"),
    ("groupnorm-G-zero",
     lambda: layers.spatial_groupnorm_forward(np.zeros((2, 6, 2, 2)), np.ones((1, 6, 1, 1)),
                                              np.zeros((1, 6, 1, 1)), 0, {}),
     r"G must be >= 1, got 0"),
    ("groupnorm-gamma-shape",
     lambda: layers.spatial_groupnorm_forward(np.zeros((2, 6, 2, 2)), np.ones((6, 1, 1)),
                                              np.zeros((6, 1, 1)), 2, {}),
     r"gamma must have shape \(1, 6, 1, 1\) or \(6,\), got \(6, 1, 1\)"),
    ("groupnorm-x-ndim",
     lambda: layers.spatial_groupnorm_forward(np.zeros((2, 6)), np.ones(6), np.zeros(6), 2, {}),
     r"x must be 4-dimensional \(N, C, H, W\), got 2"),
]


@pytest.mark.parametrize(
    ("call", "pattern"), [case[1:] for case in ERROR_CASES], ids=[case[0] for case in ERROR_CASES]
)
def test_bad_input_raises_value_error(call, pattern):
    """Is bad input a ValueError whose message names the expected and actual values?"""
    with pytest.raises(ValueError, match=pattern):
        call()


def _read_only_dout(out):
    """An upstream gradient the backward pass cannot write into (it would raise)."""
    dout = np.linspace(-1, 1, out.size).reshape(out.shape)
    dout.flags.writeable = False
    return dout


def _run_everything(rng):
    """(name, run, args) for every layer; run(*args) does forward + backward."""
    x4 = rng.standard_normal((2, 4, 6, 5))
    w4 = rng.standard_normal((3, 4, 3, 2))
    b3 = rng.standard_normal(3)

    def conv(x, w, b, conv_param):
        out, cache = layers.conv_forward_naive(x, w, b, conv_param)
        layers.conv_backward_naive(_read_only_dout(out), cache)

    def pool(x, pool_param):
        out, cache = layers.max_pool_forward_naive(x, pool_param)
        layers.max_pool_backward_naive(_read_only_dout(out), cache)

    def affine(x, w, b):
        out, cache = layers.affine_forward(x, w, b)
        layers.affine_backward(_read_only_dout(out), cache)

    def relu(x):
        out, cache = layers.relu_forward(x)
        layers.relu_backward(_read_only_dout(out), cache)

    def batchnorm(x, gamma, beta, bn_param):
        layers.batchnorm_forward(x, gamma, beta, bn_param)  # test mode: no backward pass

    def spatial_batchnorm(x, gamma, beta, bn_param):
        layers.spatial_batchnorm_forward(x, gamma, beta, bn_param)

    def groupnorm(x, gamma, beta, groups, gn_param):
        out, cache = layers.spatial_groupnorm_forward(x, gamma, beta, groups, gn_param)
        layers.spatial_groupnorm_backward(_read_only_dout(out), cache)

    x2 = rng.standard_normal((5, 4))
    y = np.array([0, 3, 1, 2, 0])
    return [
        ("conv", conv, (x4, w4, b3, {"stride": 1, "pad": 1})),
        ("pool", pool, (x4, {"pool_height": 3, "pool_width": 3, "stride": 1})),
        ("affine", affine, (x4, rng.standard_normal((120, 3)), b3)),
        ("relu", relu, (x2,)),
        ("svm", layers.svm_loss, (x2, y)),
        ("softmax", layers.softmax_loss, (x2, y)),
        ("batchnorm", batchnorm, (x2, np.ones(4), np.zeros(4), {"mode": "test",
                                                               "running_mean": np.ones(4),
                                                               "running_var": np.ones(4)})),
        ("spatial-batchnorm", spatial_batchnorm, (x4, np.ones(4), np.zeros(4),
                                                  {"mode": "test", "running_mean": np.ones(4),
                                                   "running_var": np.ones(4)})),
        ("groupnorm", groupnorm, (x4, rng.standard_normal((1, 4, 1, 1)),
                                  rng.standard_normal((1, 4, 1, 1)), 2, {"eps": 1e-5})),
    ]


@pytest.mark.parametrize(
    "index", range(9),
    ids=["conv", "pool", "affine", "relu", "svm", "softmax", "batchnorm", "spatial-batchnorm",
         "groupnorm"],
)
def test_inputs_are_not_modified(rng, index):
    """Are the caller's arrays and dicts unchanged after forward + backward (dout read-only)?"""
    _, run, args = _run_everything(rng)[index]
    before = copy.deepcopy(args)
    run(*args)
    for old, new in zip(before, args, strict=True):
        if isinstance(old, np.ndarray):
            np.testing.assert_array_equal(old, new)
        elif isinstance(old, dict):
            assert old.keys() == new.keys()
            for key in old:
                np.testing.assert_array_equal(old[key], new[key])
        else:
            assert old == new


def test_batchnorm_backward_rejects_a_test_mode_cache():
    """Does backward after a 'test' forward (cache None) say what went wrong?"""
    bn_param = {"mode": "test"}
    out, cache = layers.batchnorm_forward(np.ones((2, 3)), np.ones(3), np.zeros(3), bn_param)
    with pytest.raises(ValueError, match="'train' mode forward pass"):
        layers.batchnorm_backward(np.ones_like(out), cache)


@pytest.mark.parametrize("spatial", [False, True], ids=["batchnorm", "spatial-batchnorm"])
def test_batchnorm_train_changes_only_the_running_stats(rng, spatial):
    """In train mode only bn_param's running stats change (the documented exception)."""
    x = rng.standard_normal((6, 3, 2, 2) if spatial else (6, 3))
    forward = layers.spatial_batchnorm_forward if spatial else layers.batchnorm_forward
    backward = layers.spatial_batchnorm_backward if spatial else layers.batchnorm_backward
    gamma, beta = rng.standard_normal(3), rng.standard_normal(3)
    old_mean = np.zeros(3)
    bn_param = {"mode": "train", "running_mean": old_mean, "eps": 1e-5}
    saved = (x.copy(), gamma.copy(), beta.copy())
    out, cache = forward(x, gamma, beta, bn_param)
    dout = np.ones_like(out)
    backward(dout, cache)
    for old, new in zip(saved, (x, gamma, beta), strict=True):
        np.testing.assert_array_equal(old, new)
    np.testing.assert_array_equal(dout, np.ones_like(out))
    assert set(bn_param) == {"mode", "running_mean", "running_var", "eps"}
    np.testing.assert_array_equal(old_mean, np.zeros(3))  # replaced, not written into
    assert not np.array_equal(bn_param["running_mean"], old_mean)
