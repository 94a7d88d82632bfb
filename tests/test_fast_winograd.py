"""Winograd F(2x2, 3x3) (cs231n_fast.winograd, used for 3x3 stride-1 convolutions) against the
naive layer in float64: its documented error bounds, on odd shapes, and bitwise repeatability.
No timing here: speed lives in benchmarks/."""

import numpy as np
import pytest
from cs231n.layers import conv_backward_naive, conv_forward_naive

import cs231n_fast.conv
from cs231n_fast import blas, conv_backward_fast, conv_forward_fast

pytestmark = pytest.mark.skipif(not blas.FUSED, reason="Winograd runs only with BLAS bound")

# (N, C, H, W, F, pad): odd sizes leave half-empty output tiles; pad 0 and 2 move the tiles
CASES = {
    "odd-7x7-pad1": (2, 3, 7, 7, 4, 1),
    "nonsquare-6x9-pad0": (3, 5, 6, 9, 2, 0),
    "5x8-pad2": (2, 4, 5, 8, 3, 2),
    "1x1-image-pad1": (1, 2, 1, 1, 2, 1),
    "tall-9x4-pad3": (5, 3, 9, 4, 7, 3),
    "many-images-one-group-each": (9, 16, 8, 8, 8, 1),
}
# Documented bounds, max-norm relative to the float64 reference (see cs231n_fast.winograd).
BOUND = {np.float32: 1e-5, np.float64: 1e-12}


def inputs(case, seed=0):
    N, C, H, W, F, pad = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, C, H, W))
    w = rng.standard_normal((F, C, 3, 3))
    b = rng.standard_normal(F)
    dout = rng.standard_normal((N, F, H + 2 * pad - 2, W + 2 * pad - 2))
    return x, w, b, {"stride": 1, "pad": pad}, dout


def max_relative(got, want):
    return float(np.abs(got - want).max() / (np.abs(want).max() or 1.0))


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_within_documented_error_of_float64_naive(case, dtype):
    """Are out, dx, dw, db within 1e-5 (float32) / 1e-12 (float64) of the float64 naive?"""
    x, w, b, conv_param, dout = inputs(case)
    assert cs231n_fast.conv.WINOGRAD
    out, cache = conv_forward_fast(*(a.astype(dtype) for a in (x, w, b)), conv_param)
    grads = conv_backward_fast(dout.astype(dtype), cache)
    expected_out, naive_cache = conv_forward_naive(x, w, b, conv_param)
    expected = conv_backward_naive(dout, naive_cache)
    for got, want in zip((out, *grads), (expected_out, *expected), strict=True):
        assert got.dtype == dtype and got.shape == want.shape
        assert max_relative(got, want) < BOUND[dtype]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_agrees_with_im2col_path_and_repeats_bitwise(dtype, monkeypatch):
    """Does Winograd agree with the im2col path, and give identical bits when run again?"""
    x, w, b, conv_param, dout = (a.astype(dtype) if isinstance(a, np.ndarray) else a
                                 for a in inputs(CASES["many-images-one-group-each"], seed=3))
    out, cache = conv_forward_fast(x, w, b, conv_param)
    grads = conv_backward_fast(dout, cache)
    again, cache = conv_forward_fast(x, w, b, conv_param)
    np.testing.assert_array_equal(again, out)
    for got, want in zip(conv_backward_fast(dout, cache), grads, strict=True):
        np.testing.assert_array_equal(got, want)

    monkeypatch.setattr(cs231n_fast.conv, "WINOGRAD", False)
    im2col_out, cache = conv_forward_fast(x, w, b, conv_param)
    reference = (im2col_out, *conv_backward_fast(dout, cache))
    for got, want in zip((out, *grads), reference, strict=True):
        assert max_relative(got, want) < 2 * BOUND[dtype]


def test_other_shapes_do_not_take_winograd():
    """Is Winograd used only for 3x3 filters at stride 1?"""
    from cs231n_fast import winograd

    assert winograd.applies((4, 3, 3, 3), 1)
    assert not winograd.applies((4, 3, 3, 3), 2)
    assert not winograd.applies((4, 3, 5, 5), 1)
    assert not winograd.applies((4, 3, 3, 1), 1)
