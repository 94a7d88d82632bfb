"""The fused conv-relu-pool layer (cs231n_fast.conv_relu_pool_*_fast) against the naive layers
chained and against the unfused fast layers, bit for bit, on odd shapes, both dtypes and both
convolution paths.  No timing here: speed lives in benchmarks/."""

import numpy as np
import pytest
from cs231n.layers import (
    conv_backward_naive,
    conv_forward_naive,
    max_pool_backward_naive,
    max_pool_forward_naive,
    relu_backward,
    relu_forward,
)

from cs231n_fast import (
    conv_backward_fast,
    conv_forward_fast,
    conv_relu_pool_backward_fast,
    conv_relu_pool_forward_fast,
    max_pool_backward_fast,
    max_pool_forward_fast,
)

# (N, C, H, W, F, HH, WW, stride, pad, pool_height, pool_width, pool_stride)
CASES = {
    "convnet-7x7-pool2x2": (2, 3, 8, 8, 4, 7, 7, 1, 3, 2, 2, 2),
    "3x3-nonsquare-pool2x2": (3, 2, 6, 10, 5, 3, 3, 1, 1, 2, 2, 2),
    "5x3-s2-pool3x3-s2-overlap": (2, 3, 13, 11, 3, 5, 3, 2, 2, 3, 3, 2),
    "1x1-pool3x2-s1": (1, 4, 5, 4, 3, 1, 1, 1, 0, 3, 2, 1),
    "3x3-pool2x3-s3-gaps": (2, 2, 7, 11, 2, 3, 3, 1, 0, 2, 3, 3),
    "one-image-one-filter": (1, 1, 4, 4, 1, 3, 3, 1, 1, 2, 2, 2),
}
DTYPES = [np.float64, np.float32]


def inputs(case, dtype, seed=0):
    N, C, H, W, F, HH, WW, stride, pad, pool_height, pool_width, pool_stride = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, C, H, W)).astype(dtype)
    w = rng.standard_normal((F, C, HH, WW)).astype(dtype)
    b = rng.standard_normal(F).astype(dtype)
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    H_pool = (H_out - pool_height) // pool_stride + 1
    W_pool = (W_out - pool_width) // pool_stride + 1
    dout = rng.standard_normal((N, F, H_pool, W_pool)).astype(dtype)
    conv_param = {"stride": stride, "pad": pad}
    pool_param = {"pool_height": pool_height, "pool_width": pool_width, "stride": pool_stride}
    return x, w, b, conv_param, pool_param, dout


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_matches_naive_chain(case, dtype, conv_path):
    """Do forward and the three gradients agree with naive conv, relu and pool chained?"""
    x, w, b, conv_param, pool_param, dout = inputs(case, dtype)
    out, cache = conv_relu_pool_forward_fast(x, w, b, conv_param, pool_param)
    dx, dw, db = conv_relu_pool_backward_fast(dout, cache)

    a, conv_cache = conv_forward_naive(*(v.astype(np.float64) for v in (x, w, b)), conv_param)
    s, relu_cache = relu_forward(a)
    expected_out, pool_cache = max_pool_forward_naive(s, pool_param)
    ds = max_pool_backward_naive(dout.astype(np.float64), pool_cache)
    expected = conv_backward_naive(relu_backward(ds, relu_cache), conv_cache)
    rtol = 1e-4 if dtype == np.float32 else 1e-10
    for got, want in zip((out, dx, dw, db), (expected_out, *expected), strict=True):
        assert got.dtype == dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * (np.abs(want).max() or 1))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bitwise_equal_to_unfused_fast_chain(case, dtype, conv_path, monkeypatch):
    """Is the fused layer exactly the unfused (im2col) fast layers chained, and repeatable?"""
    import cs231n_fast.conv

    monkeypatch.setattr(cs231n_fast.conv, "WINOGRAD", False)  # the sandwich is im2col-based
    x, w, b, conv_param, pool_param, dout = inputs(case, dtype, seed=1)
    out, cache = conv_relu_pool_forward_fast(x, w, b, conv_param, pool_param)
    grads = conv_relu_pool_backward_fast(dout, cache)

    a, conv_cache = conv_forward_fast(x, w, b, conv_param)
    expected_out, pool_cache = max_pool_forward_fast(np.maximum(a, 0), pool_param)
    da = max_pool_backward_fast(dout, pool_cache) * (a > 0)
    np.testing.assert_array_equal(out, expected_out)
    for got, want in zip(grads, conv_backward_fast(da, conv_cache), strict=True):
        np.testing.assert_array_equal(got, want)
    again, cache = conv_relu_pool_forward_fast(x, w, b, conv_param, pool_param)
    np.testing.assert_array_equal(again, out)
    for got, want in zip(conv_relu_pool_backward_fast(dout, cache), grads, strict=True):
        np.testing.assert_array_equal(got, want)


def test_skipping_dx_keeps_dw_db(conv_path):
    """Does compute_dx=False return None for dx and the same dw and db?"""
    x, w, b, conv_param, pool_param, dout = inputs(CASES["convnet-7x7-pool2x2"], np.float32)
    _, cache = conv_relu_pool_forward_fast(x, w, b, conv_param, pool_param)
    _, dw, db = conv_relu_pool_backward_fast(dout, cache)
    no_dx, dw_only, db_only = conv_relu_pool_backward_fast(dout, cache, compute_dx=False)
    assert no_dx is None
    np.testing.assert_array_equal(dw_only, dw)
    np.testing.assert_array_equal(db_only, db)


def test_all_negative_activations_pass_no_gradient(conv_path):
    """Where the ReLU zeroes a whole window, is the output 0 and the gradient 0?"""
    x, w, b, conv_param, pool_param, dout = inputs(CASES["3x3-nonsquare-pool2x2"], np.float64)
    b = np.full_like(b, -1e3)  # every activation negative
    out, cache = conv_relu_pool_forward_fast(x, w, b, conv_param, pool_param)
    dx, dw, db = conv_relu_pool_backward_fast(dout, cache)
    assert not out.any() and not dx.any() and not dw.any() and not db.any()


def test_inputs_unmodified_and_errors():
    """Are the inputs left alone, and is a non-tiling pool rejected with a ValueError?"""
    x, w, b, conv_param, pool_param, dout = inputs(CASES["3x3-nonsquare-pool2x2"], np.float32)
    copies = [a.copy() for a in (x, w, b, dout)]
    _, cache = conv_relu_pool_forward_fast(x, w, b, conv_param, pool_param)
    conv_relu_pool_backward_fast(dout, cache)
    for original, copy in zip((x, w, b, dout), copies, strict=True):
        np.testing.assert_array_equal(original, copy)
    with pytest.raises(ValueError, match="does not tile"):
        conv_relu_pool_forward_fast(x, w, b, conv_param, {"pool_height": 3, "pool_width": 2,
                                                          "stride": 2})
    with pytest.raises(ValueError, match="dout"):
        conv_relu_pool_backward_fast(dout[:, :1], cache)
