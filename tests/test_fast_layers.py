"""The compiled fast layers (cs231n_fast, re-exported by cs231n.fast_layers) against the naive
reference layers, PyTorch (float64) and a direct NumPy im2col: values, gradients, dtypes,
input immutability and every rejected input.  No timing here: speed lives in benchmarks/."""

import importlib
import sys

import numpy as np
import pytest
from cs231n.fast_layers import (
    col2im,
    conv_backward_fast,
    conv_forward_fast,
    im2col,
    max_pool_backward_fast,
    max_pool_forward_fast,
)
from cs231n.layers import (
    conv_backward_naive,
    conv_forward_naive,
    max_pool_backward_naive,
    max_pool_forward_naive,
)

# (N, C, H, W, F, HH, WW, stride, pad)
CONV_CASES = {
    "square-3x3-s1-p1": (2, 3, 7, 7, 4, 3, 3, 1, 1),
    "nonsquare-img-3x5-s2-p1": (2, 3, 7, 9, 4, 3, 5, 2, 1),
    "3x2-s3-p2": (2, 2, 8, 10, 3, 3, 2, 3, 2),
    "1x4-s1-p0": (3, 2, 5, 6, 2, 1, 4, 1, 0),
    "7x7-s1-p3": (2, 3, 8, 8, 3, 7, 7, 1, 3),
    "2x2-pad3-all-zero-windows": (1, 1, 4, 5, 2, 2, 2, 1, 3),
    "filter-fills-input": (2, 2, 3, 4, 2, 5, 6, 1, 1),
    "5x3-s2-p0": (1, 4, 9, 11, 5, 5, 3, 2, 0),
    "32-channels-K288": (2, 32, 5, 6, 3, 3, 3, 1, 1),
}
# (N, C, H, W, pool_height, pool_width, stride)
POOL_CASES = {
    "2x2-s2-tiling": (2, 3, 8, 8, 2, 2, 2),
    "3x3-s2-overlapping": (2, 3, 7, 9, 3, 3, 2),
    "3x2-s1-overlapping": (2, 2, 6, 5, 3, 2, 1),
    "2x3-s3-gaps": (1, 2, 5, 9, 2, 3, 3),
    "whole-image": (3, 2, 4, 6, 4, 6, 1),
    "1x1-s1": (1, 2, 3, 4, 1, 1, 1),
}
DTYPES = [np.float64, np.float32]


def tolerance(dtype, reference):
    """assert_allclose kwargs: float32 sums lose ~1e-7 relative per term, float64 ~1e-16."""
    scale = float(np.max(np.abs(reference))) or 1.0
    rtol = 1e-4 if dtype == np.float32 else 1e-10
    return {"rtol": rtol, "atol": rtol * scale}


def conv_inputs(case, dtype, seed=0):
    N, C, H, W, F, HH, WW, stride, pad = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, C, H, W)).astype(dtype)
    w = rng.standard_normal((F, C, HH, WW)).astype(dtype)
    b = rng.standard_normal(F).astype(dtype)
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    dout = rng.standard_normal((N, F, H_out, W_out)).astype(dtype)
    return x, w, b, {"stride": stride, "pad": pad}, dout


def pool_inputs(case, dtype, seed=0):
    N, C, H, W, pool_height, pool_width, stride = case
    rng = np.random.default_rng(seed)
    # a permutation has no ties, so "which maximum gets the gradient" is unambiguous
    x = rng.permutation(N * C * H * W).reshape(N, C, H, W).astype(dtype) / (N * C * H * W)
    pool_param = {"pool_height": pool_height, "pool_width": pool_width, "stride": stride}
    H_out = (H - pool_height) // stride + 1
    W_out = (W - pool_width) // stride + 1
    dout = rng.standard_normal((N, C, H_out, W_out)).astype(dtype)
    return x, pool_param, dout


def im2col_reference(x, HH, WW, stride, pad):
    """Straight from the definition: one flattened padded window per output pixel."""
    N, C, H, W = x.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))  # (N, C, H+2p, W+2p)
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    cols = np.empty((C * HH * WW, N, H_out, W_out), x.dtype)
    for ho in range(H_out):
        for wo in range(W_out):
            window = x_pad[:, :, ho * stride:ho * stride + HH, wo * stride:wo * stride + WW]
            cols[:, :, ho, wo] = window.reshape(N, -1).T  # (C*HH*WW, N)
    return cols.reshape(C * HH * WW, N * H_out * W_out)


# --- convolution ------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CONV_CASES.values(), ids=CONV_CASES.keys())
def test_conv_matches_naive(case, dtype, conv_path):
    """Do forward and backward agree with the naive layers, in the input's dtype?"""
    x, w, b, conv_param, dout = conv_inputs(case, dtype)
    out, cache = conv_forward_fast(x, w, b, conv_param)
    dx, dw, db = conv_backward_fast(dout, cache)
    # the reference always runs in float64
    x64, w64, b64, dout64 = (a.astype(np.float64) for a in (x, w, b, dout))
    out_ref, cache_ref = conv_forward_naive(x64, w64, b64, conv_param)
    grads_ref = conv_backward_naive(dout64, cache_ref)

    assert out.shape == out_ref.shape and out.dtype == dtype
    np.testing.assert_allclose(out, out_ref, **tolerance(dtype, out_ref))
    for name, grad, ref in zip(("dx", "dw", "db"), (dx, dw, db), grads_ref, strict=True):
        assert grad.shape == ref.shape, name
        assert grad.dtype == dtype, name
        np.testing.assert_allclose(grad, ref, err_msg=name, **tolerance(dtype, ref))


@pytest.mark.torch
@pytest.mark.parametrize("case", CONV_CASES.values(), ids=CONV_CASES.keys())
def test_conv_matches_torch(case, torch, conv_path):
    """Does float64 forward/backward agree with torch.nn.functional.conv2d's autograd?"""
    x, w, b, conv_param, dout = conv_inputs(case, np.float64, seed=1)
    out, cache = conv_forward_fast(x, w, b, conv_param)
    dx, dw, db = conv_backward_fast(dout, cache)

    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    out_t = torch.nn.functional.conv2d(
        xt, wt, bt, stride=conv_param["stride"], padding=conv_param["pad"]
    )
    out_t.backward(torch.tensor(dout))
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-10, atol=1e-10)
    for grad, ref in ((dx, xt.grad), (dw, wt.grad), (db, bt.grad)):
        np.testing.assert_allclose(grad, ref.numpy(), rtol=1e-10, atol=1e-10)


def test_conv_numerical_gradient():
    """Do the analytic gradients match centred differences of sum(out * dout)?"""
    x, w, b, conv_param, dout = conv_inputs(CONV_CASES["nonsquare-img-3x5-s2-p1"], np.float64)
    _, cache = conv_forward_fast(x, w, b, conv_param)
    grads = conv_backward_fast(dout, cache)
    rng = np.random.default_rng(2)
    h = 1e-6
    for arg, grad in zip((x, w, b), grads, strict=True):
        for flat in rng.choice(arg.size, size=min(5, arg.size), replace=False):
            index = np.unravel_index(flat, arg.shape)
            plus, minus = arg.copy(), arg.copy()
            plus[index] += h
            minus[index] -= h
            args_plus = [plus if a is arg else a for a in (x, w, b)]
            args_minus = [minus if a is arg else a for a in (x, w, b)]
            f_plus = np.sum(conv_forward_fast(*args_plus, conv_param)[0] * dout)
            f_minus = np.sum(conv_forward_fast(*args_minus, conv_param)[0] * dout)
            assert grad[index] == pytest.approx((f_plus - f_minus) / (2 * h), rel=1e-6, abs=1e-6)


def test_conv_mixed_dtypes_promote_to_float64():
    """Do float32 images with float64 weights compute in float64, as NumPy would?"""
    x, w, b, conv_param, dout = conv_inputs(CONV_CASES["square-3x3-s1-p1"], np.float64)
    out, cache = conv_forward_fast(x.astype(np.float32), w, b, conv_param)
    grads = conv_backward_fast(dout.astype(np.float32), cache)
    assert out.dtype == np.float64
    assert all(g.dtype == np.float64 for g in grads)


def test_conv_non_contiguous_and_readonly_inputs_unmodified(conv_path):
    """Strided, Fortran-ordered and read-only inputs work, give the C-order answer, stay intact."""
    x, w, b, conv_param, dout = conv_inputs(CONV_CASES["nonsquare-img-3x5-s2-p1"], np.float64)
    expected_out, cache = conv_forward_fast(x, w, b, conv_param)
    expected_grads = conv_backward_fast(dout, cache)

    x_big = np.zeros((x.shape[0], x.shape[1], x.shape[2] * 2, x.shape[3]))
    x_big[:, :, ::2] = x
    x_strided = x_big[:, :, ::2]  # (N, C, H, W) view with a row stride of 2
    w_fortran = np.asfortranarray(w)
    b_strided = np.repeat(b, 2)[::2]
    dout_transposed = np.ascontiguousarray(dout.transpose(0, 1, 3, 2)).transpose(0, 1, 3, 2)
    inputs = (x_strided, w_fortran, b_strided, dout_transposed)
    assert not any(a.flags.c_contiguous for a in inputs)
    copies = [a.copy() for a in inputs]
    for a in inputs:
        a.flags.writeable = False

    out, cache = conv_forward_fast(x_strided, w_fortran, b_strided, dict(conv_param))
    grads = conv_backward_fast(dout_transposed, cache)
    np.testing.assert_array_equal(out, expected_out)
    for grad, expected in zip(grads, expected_grads, strict=True):
        np.testing.assert_array_equal(grad, expected)
    for a, copy in zip(inputs, copies, strict=True):
        np.testing.assert_array_equal(a, copy)


def test_conv_param_not_modified():
    """Is the caller's conv_param left exactly as given?"""
    x, w, b, conv_param, dout = conv_inputs(CONV_CASES["square-3x3-s1-p1"], np.float64)
    conv_param["extra"] = "kept"
    before = dict(conv_param)
    _, cache = conv_forward_fast(x, w, b, conv_param)
    conv_backward_fast(dout, cache)
    assert conv_param == before


@pytest.mark.parametrize(
    "change, match",
    [
        ({"x": np.zeros((2, 3, 8, 8))}, r"stride 2 does not tile: \(H \+ 2\*pad - HH\)"),
        ({"w": np.zeros((4, 2, 3, 3))}, r"channel mismatch: x has C=3 .* w has 2"),
        ({"w": np.zeros((4, 3, 11, 3))}, r"HH=11 is larger than the padded input"),
        ({"b": np.zeros(5)}, r"b has shape \(5,\), expected \(4,\)"),
        ({"x": np.zeros((3, 7, 7))}, r"x must have 4 dimensions, got 3"),
        ({"w": np.zeros((4, 3, 3))}, r"w must have 4 dimensions, got 3"),
        ({"x": np.zeros((2, 3, 7, 7), dtype=np.int64)}, r"x must be float32 or float64.*int64"),
        ({"w": np.zeros((4, 3, 3, 3), dtype=np.float16)}, r"w must be float32 or .*float16"),
        ({"conv_param": {"stride": 0, "pad": 1}}, r"conv_param\['stride'\] must be >= 1, got 0"),
        ({"conv_param": {"stride": 1, "pad": -1}}, r"conv_param\['pad'\] must be >= 0, got -1"),
        ({"conv_param": {"stride": 1.5, "pad": 1}}, r"'stride'\] must be an integer, got 1.5"),
        ({"conv_param": {"stride": True, "pad": 1}}, r"'stride'\] must be an integer, got True"),
        ({"conv_param": {"pad": 1}}, r"conv_param is missing 'stride'"),
    ],
    ids=["non-tiling-stride", "channel-mismatch", "filter-too-tall", "bias-shape", "x-ndim",
         "w-ndim", "int-dtype", "float16-dtype", "zero-stride", "negative-pad", "float-stride",
         "bool-stride", "missing-stride"],
)
def test_conv_forward_rejects(change, match):
    """Is each bad input a ValueError naming the offending values?"""
    args = {
        "x": np.zeros((2, 3, 7, 7)),
        "w": np.zeros((4, 3, 3, 3)),
        "b": np.zeros(4),
        "conv_param": {"stride": 2, "pad": 1},
    }
    args.update(change)
    with pytest.raises(ValueError, match=match):
        conv_forward_fast(**args)


def test_conv_backward_rejects_bad_dout_and_cache():
    """Is a dout of the wrong shape, or something that is not a cache, a ValueError?"""
    x, w, b, conv_param, dout = conv_inputs(CONV_CASES["square-3x3-s1-p1"], np.float64)
    _, cache = conv_forward_fast(x, w, b, conv_param)
    with pytest.raises(ValueError, match=r"dout has shape \(2, 4, 7, 6\), expected \(2, 4, 7, 7\)"):
        conv_backward_fast(dout[..., :6], cache)
    with pytest.raises(ValueError, match="dout must be a float array, got dtype int64"):
        conv_backward_fast(dout.astype(np.int64), cache)
    with pytest.raises(ValueError, match="cache must be the 4-tuple returned by conv_forward_fast"):
        conv_backward_fast(dout, cache[:3])


# --- im2col / col2im --------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CONV_CASES.values(), ids=CONV_CASES.keys())
def test_im2col_matches_definition_and_col2im_is_its_adjoint(case, dtype):
    """Is im2col exactly the padded windows, and <im2col(x), c> == <x, col2im(c)>?"""
    *_, HH, WW, stride, pad = case
    x, *_ = conv_inputs(case, dtype)
    cols = im2col(x, HH, WW, stride=stride, pad=pad)
    np.testing.assert_array_equal(cols, im2col_reference(x, HH, WW, stride, pad))
    assert cols.dtype == dtype

    c = np.random.default_rng(3).standard_normal(cols.shape).astype(dtype)
    back = col2im(c, x.shape, HH, WW, stride=stride, pad=pad)
    assert back.shape == x.shape and back.dtype == dtype
    lhs = np.sum(cols.astype(np.float64) * c)
    rhs = np.sum(x.astype(np.float64) * back)
    assert lhs == pytest.approx(rhs, rel=1e-4 if dtype == np.float32 else 1e-12)


def test_im2col_col2im_reject_bad_geometry():
    """Are non-tiling strides and mismatched column shapes ValueErrors?"""
    with pytest.raises(ValueError, match="stride 2 does not tile"):
        im2col(np.zeros((1, 1, 6, 6)), 3, 3, stride=2, pad=0)
    with pytest.raises(ValueError, match=r"cols has shape \(9, 4\), expected \(9, 16\)"):
        col2im(np.zeros((9, 4)), (1, 1, 6, 6), 3, 3, stride=1, pad=0)
    with pytest.raises(ValueError, match=r"'filter_height'\] must be >= 1, got 0"):
        im2col(np.zeros((1, 1, 6, 6)), 0, 3)


# --- max pooling ------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", POOL_CASES.values(), ids=POOL_CASES.keys())
def test_max_pool_matches_naive(case, dtype):
    """Do forward and backward (overlapping windows included) equal the naive layers exactly?"""
    x, pool_param, dout = pool_inputs(case, dtype)
    out, cache = max_pool_forward_fast(x, pool_param)
    dx = max_pool_backward_fast(dout, cache)
    out_ref, cache_ref = max_pool_forward_naive(x, pool_param)
    dx_ref = max_pool_backward_naive(dout, cache_ref)
    assert out.shape == out_ref.shape and out.dtype == dtype
    assert dx.shape == x.shape and dx.dtype == dtype
    np.testing.assert_array_equal(out, out_ref)
    np.testing.assert_allclose(dx, dx_ref, **tolerance(dtype, dx_ref))


@pytest.mark.torch
@pytest.mark.parametrize("case", POOL_CASES.values(), ids=POOL_CASES.keys())
def test_max_pool_matches_torch(case, torch):
    """Does float64 forward/backward agree with torch.nn.functional.max_pool2d's autograd?"""
    x, pool_param, dout = pool_inputs(case, np.float64, seed=4)
    out, cache = max_pool_forward_fast(x, pool_param)
    dx = max_pool_backward_fast(dout, cache)
    xt = torch.tensor(x, requires_grad=True)
    out_t = torch.nn.functional.max_pool2d(
        xt, (pool_param["pool_height"], pool_param["pool_width"]), stride=pool_param["stride"]
    )
    out_t.backward(torch.tensor(dout))
    np.testing.assert_array_equal(out, out_t.detach().numpy())
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_max_pool_ties_go_to_first_maximum():
    """With a constant window, does the whole gradient go to its top-left pixel?"""
    x = np.ones((1, 1, 4, 4))
    _, cache = max_pool_forward_fast(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
    dx = max_pool_backward_fast(np.full((1, 1, 2, 2), 3.0), cache)
    expected = np.zeros((4, 4))
    expected[::2, ::2] = 3.0
    np.testing.assert_array_equal(dx[0, 0], expected)


@pytest.mark.parametrize("size, stride", [(2, 2), (3, 1)], ids=["2x2-s2", "3x3-s1"])
def test_max_pool_nan_propagates(size, stride):
    """Is a NaN in a window reported as its maximum (as np.max does), and given its gradient?"""
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    x[0, 0, 0, 1] = np.nan
    pool_param = {"pool_height": size, "pool_width": size, "stride": stride}
    out, cache = max_pool_forward_fast(x, pool_param)
    out_ref, _ = max_pool_forward_naive(x, pool_param)
    np.testing.assert_array_equal(np.isnan(out), np.isnan(out_ref))
    assert np.isnan(out[0, 0, 0, 0]) and not np.isnan(out[0, 0, -1, -1])
    dx = max_pool_backward_fast(np.ones_like(out), cache)
    assert dx[0, 0, 0, 1] >= 1  # the NaN position received its window's gradient


def test_max_pool_non_contiguous_readonly_inputs_unmodified():
    """Do a strided read-only x and a transposed dout give the same answers and stay intact?"""
    x, pool_param, dout = pool_inputs(POOL_CASES["3x3-s2-overlapping"], np.float64)
    expected_out, cache = max_pool_forward_fast(x, pool_param)
    expected_dx = max_pool_backward_fast(dout, cache)

    x_strided = np.repeat(x, 2, axis=3)[..., ::2]  # (N, C, H, W) with a column stride of 2
    dout_transposed = np.ascontiguousarray(dout.transpose(0, 1, 3, 2)).transpose(0, 1, 3, 2)
    copies = [x_strided.copy(), dout_transposed.copy()]
    x_strided.flags.writeable = False
    dout_transposed.flags.writeable = False
    param_before = dict(pool_param)

    out, cache = max_pool_forward_fast(x_strided, pool_param)
    dx = max_pool_backward_fast(dout_transposed, cache)
    np.testing.assert_array_equal(out, expected_out)
    np.testing.assert_array_equal(dx, expected_dx)
    np.testing.assert_array_equal(x_strided, copies[0])
    np.testing.assert_array_equal(dout_transposed, copies[1])
    assert pool_param == param_before


@pytest.mark.parametrize(
    "x, pool_param, match",
    [
        (np.zeros((2, 3, 8, 8)), {"pool_height": 3, "pool_width": 3, "stride": 2},
         r"stride 2 does not tile: \(H \+ 2\*pad - pool_height\) = \(8 \+ 2\*0 - 3\) = 5"),
        (np.zeros((2, 3, 4, 4)), {"pool_height": 5, "pool_width": 2, "stride": 1},
         r"pool_height=5 is larger than the padded input: H \+ 2\*pad = 4"),
        (np.zeros((2, 3, 4, 4)), {"pool_height": 2, "pool_width": 6, "stride": 2},
         r"pool_width=6 is larger than the padded input"),
        (np.zeros((3, 4, 4)), {"pool_height": 2, "pool_width": 2, "stride": 2},
         r"x must have 4 dimensions, got 3"),
        (np.zeros((2, 3, 4, 4), dtype=np.int32), {"pool_height": 2, "pool_width": 2, "stride": 2},
         r"x must be float32 or float64, got dtype int32"),
        (np.zeros((2, 3, 4, 4)), {"pool_height": 2, "pool_width": 2},
         r"pool_param is missing 'stride'"),
        (np.zeros((2, 3, 4, 4)), {"pool_height": 0, "pool_width": 2, "stride": 2},
         r"pool_param\['pool_height'\] must be >= 1, got 0"),
        (np.zeros((2, 3, 4, 4)), [2, 2, 2], r"pool_param must be a dict, got list"),
    ],
    ids=["non-tiling-stride", "window-too-tall", "window-too-wide", "x-ndim", "int-dtype",
         "missing-stride", "zero-height", "not-a-dict"],
)
def test_max_pool_forward_rejects(x, pool_param, match):
    """Is each bad input a ValueError naming the offending values?"""
    with pytest.raises(ValueError, match=match):
        max_pool_forward_fast(x, pool_param)


def test_max_pool_backward_rejects_bad_dout():
    """Is a dout of the wrong shape a ValueError naming both shapes?"""
    x, pool_param, dout = pool_inputs(POOL_CASES["2x2-s2-tiling"], np.float64)
    _, cache = max_pool_forward_fast(x, pool_param)
    with pytest.raises(ValueError, match=r"dout has shape \(2, 3, 4, 3\), expected \(2, 3, 4, 4\)"):
        max_pool_backward_fast(dout[..., :3], cache)


# --- packaging --------------------------------------------------------------------------------


def test_fast_layers_import_error_says_how_to_build(monkeypatch):
    """Without the compiled package, does importing cs231n.fast_layers say how to build it?"""
    monkeypatch.setitem(sys.modules, "cs231n_fast", None)  # makes `import cs231n_fast` fail
    monkeypatch.delitem(sys.modules, "cs231n.fast_layers")
    with pytest.raises(ImportError, match=r"pip install -e \.") as error:
        importlib.import_module("cs231n.fast_layers")
    assert "restart the kernel" in str(error.value)


@pytest.mark.parametrize("small_patch", [0, 10**9], ids=["chunk-gemm", "per-image-gemm"])
@pytest.mark.parametrize("chunk_bytes", [1, 2 * 4608], ids=["one-image-chunks", "uneven-chunks"])
def test_conv_chunked_batch_matches_single_chunk(chunk_bytes, small_patch, monkeypatch):
    """Does splitting the batch into cache-sized chunks (last one short) change any result,
    with either forward GEMM strategy of the NumPy fallback?"""
    import cs231n_fast.blas
    import cs231n_fast.conv

    monkeypatch.setattr(cs231n_fast.blas, "FUSED", False)
    monkeypatch.setattr(cs231n_fast.conv, "SMALL_PATCH", small_patch)

    x, w, b, conv_param, dout = conv_inputs((5, 2, 6, 7, 3, 3, 2, 1, 1), np.float64)
    assert cs231n_fast.conv._chunks(5, 4608)[1] == 5  # the default: one chunk
    expected_out, cache = conv_forward_fast(x, w, b, conv_param)
    expected_grads = conv_backward_fast(dout, cache)
    monkeypatch.setattr(cs231n_fast.conv, "CHUNK_BYTES", chunk_bytes)  # an image's columns: 4608 B
    out, cache = conv_forward_fast(x, w, b, conv_param)
    grads = conv_backward_fast(dout, cache)
    np.testing.assert_allclose(out, expected_out, rtol=1e-12, atol=1e-12)
    for grad, expected in zip(grads, expected_grads, strict=True):
        np.testing.assert_allclose(grad, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_conv_backward_fast_is_reproducible_to_the_bit(dtype):
    """Do repeated backward passes give bitwise the same dw and db (per-thread partial sums)?"""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((37, 3, 16, 16)).astype(dtype)
    w = rng.standard_normal((8, 3, 5, 5)).astype(dtype)
    b = rng.standard_normal(8).astype(dtype)
    out, cache = conv_forward_fast(x, w, b, {"stride": 1, "pad": 2})
    dout = rng.standard_normal(out.shape).astype(dtype)
    first = conv_backward_fast(dout, cache)
    for _ in range(30):
        again = conv_backward_fast(dout, cache)
        for name, a, b_ in zip(("dx", "dw", "db"), first, again, strict=True):
            assert np.array_equal(a, b_), f"{name} changed between identical calls"
