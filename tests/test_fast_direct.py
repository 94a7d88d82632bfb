"""The AVX-512 convolution paths (cs231n_fast.direct in float32 and float64,
cs231n_fast.winograd512 in float32) against the float64 naive layer on odd shapes, their error
bounds, run-to-run reproducibility, their scratch reuse, the dispatch, and the Winograd
constants of _winograd512.h.  Skipped, saying why, on a CPU without AVX-512F.  No timing here:
speed lives in benchmarks/."""

import re
from pathlib import Path

import numpy as np
import pytest
from cs231n.layers import conv_backward_naive, conv_forward_naive

from cs231n_fast import blas, conv, direct, sandwich, winograd512

pytestmark = pytest.mark.skipif(not direct.available(),
                                reason="this CPU has no AVX-512F: the direct kernels never run")

# The bound: float32 within 1e-5 of the float64 result, relative to its largest entry;
# float64 within 1e-12 (a different summation order only).
BOUND = 1e-5
BOUNDS = {np.float32: BOUND, np.float64: 1e-12}
DTYPES = {"float32": np.float32, "float64": np.float64}

# (N, C, H, W, F, HH, WW, stride, pad)
DIRECT_CASES = {
    "stride2-odd-width": (3, 2, 31, 31, 25, 3, 3, 2, 1),
    "5x5-pad2-tails": (2, 4, 11, 13, 9, 5, 5, 1, 2),
    "7x7-convnet-first": (2, 3, 32, 32, 32, 7, 7, 1, 3),
    "3x2-stride2-no-pad": (1, 5, 9, 8, 17, 3, 2, 2, 0),
    "1x1-stride2": (2, 3, 11, 11, 4, 1, 1, 2, 0),
    "4x3-stride3-70-filters": (2, 3, 12, 17, 70, 4, 3, 3, 2),
    "pad-wider-than-filter": (1, 2, 5, 5, 3, 3, 3, 1, 3),
    "width-35-two-vectors-and-a-tail": (2, 3, 33, 35, 19, 3, 3, 1, 0),
    "stride-larger-than-filter": (2, 2, 8, 9, 3, 1, 2, 3, 1),
}
WINOGRAD_CASES = {
    "3x3-odd-sizes": (2, 3, 7, 9, 5, 3, 3, 1, 1),
    "3x3-64-channels": (3, 64, 16, 16, 64, 3, 3, 1, 1),
    "3x3-no-pad-17-filters": (2, 3, 8, 8, 17, 3, 3, 1, 0),
    "3x3-pad3": (2, 3, 5, 5, 4, 3, 3, 1, 3),
    "5x5-odd-sizes": (2, 4, 11, 13, 9, 5, 5, 1, 2),
    "5x5-32-channels": (2, 32, 16, 16, 64, 5, 5, 1, 2),
    "5x5-no-pad-odd-output": (1, 5, 9, 6, 3, 5, 5, 1, 0),
}


def inputs(case, seed=0):
    N, C, H, W, F, HH, WW, stride, pad = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, C, H, W))
    w = rng.standard_normal((F, C, HH, WW))
    b = rng.standard_normal(F)
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    dout = rng.standard_normal((N, F, H_out, W_out))
    return x, w, b, {"stride": stride, "pad": pad}, dout


def naive(x, w, b, conv_param, dout):
    out, cache = conv_forward_naive(x, w, b, conv_param)
    return (out, *conv_backward_naive(dout, cache))


def worst_error(got, want):
    """Largest |got - want| relative to the largest |want|, over the four results."""
    return max(float(np.abs(g.astype(np.float64) - v).max() / np.abs(v).max())
               for g, v in zip(got, want, strict=True))


def fast(x, w, b, conv_param, dout, dtype=np.float32):
    """Forward and backward of the fast layer with every input in dtype."""
    x, w, b, dout = (a.astype(dtype) for a in (x, w, b, dout))
    out, cache = conv.conv_forward_fast(x, w, b, conv_param)
    return (out, *conv.conv_backward_fast(dout, cache))


@pytest.mark.parametrize("dtype", DTYPES.values(), ids=DTYPES.keys())
@pytest.mark.parametrize("case", DIRECT_CASES.values(), ids=DIRECT_CASES.keys())
def test_direct_matches_naive(case, dtype):
    """Does the direct path give forward, dx, dw and db within the dtype's bound?"""
    x, w, b, conv_param, dout = inputs(case)
    assert conv.avx512_path(x.astype(dtype), w.astype(dtype), conv_param["stride"]) == "direct"
    got = fast(x, w, b, conv_param, dout, dtype)
    assert all(g.dtype == dtype for g in got)
    assert worst_error(got, naive(x, w, b, conv_param, dout)) < BOUNDS[dtype]


@pytest.mark.parametrize("case", WINOGRAD_CASES.values(), ids=WINOGRAD_CASES.keys())
def test_winograd_shapes_in_float64(case):
    """Do the shapes float32 sends to Winograd stay within 1e-12 in float64 (direct, or Winograd
    on BLAS for 3x3 over many channels)?"""
    x, w, b, conv_param, dout = inputs(case)
    F, C, HH = w.shape[:3]
    blas_winograd = (HH == 3 and min(F, C) >= conv.F64_WINOGRAD_CHANNELS and blas.FUSED
                     and conv.WINOGRAD)
    assert conv.avx512_path(x, w, 1) == (None if blas_winograd else "direct")
    got = fast(x, w, b, conv_param, dout, np.float64)
    assert worst_error(got, naive(x, w, b, conv_param, dout)) < BOUNDS[np.float64]


@pytest.mark.parametrize("case", WINOGRAD_CASES.values(), ids=WINOGRAD_CASES.keys())
def test_winograd512_matches_naive_in_float32(case, monkeypatch):
    """Does Winograd on AVX-512 stay within the bound, on every shape (channels too few for the
    dispatch included)?"""
    monkeypatch.setattr(conv, "WINOGRAD512_CHANNELS", 1)
    x, w, b, conv_param, dout = inputs(case)
    assert conv.avx512_path(x.astype(np.float32), w.astype(np.float32), 1) == "winograd512"
    assert worst_error(fast(x, w, b, conv_param, dout), naive(x, w, b, conv_param, dout)) < BOUND


def test_winograd512_error_at_the_benchmark_shape():
    """Is the 5x5 Winograd error at the benchmark's size (50 images, 32 channels, 64 filters)
    within the bound, each result separately, against the float64 im2col layer?"""
    x, w, b, conv_param, dout = inputs((50, 32, 16, 16, 64, 5, 5, 1, 2))
    want_out, cache = conv.conv_forward_fast(x, w, b, conv_param)
    want = (want_out, *conv.conv_backward_fast(dout, cache))
    got = fast(x, w, b, conv_param, dout)
    for g, v in zip(got, want, strict=True):
        assert worst_error((g,), (v,)) < BOUND


@pytest.mark.parametrize(("case", "dtype"), [(DIRECT_CASES["stride2-odd-width"], np.float32),
                                             (DIRECT_CASES["stride2-odd-width"], np.float64),
                                             (DIRECT_CASES["7x7-convnet-first"], np.float64),
                                             (WINOGRAD_CASES["3x3-64-channels"], np.float32),
                                             (WINOGRAD_CASES["5x5-32-channels"], np.float32)],
                         ids=["direct", "direct-float64", "direct-7x7-float64", "winograd-3x3",
                              "winograd-5x5"])
def test_bitwise_reproducible_and_scratch_reuse_is_clean(case, dtype):
    """Do two runs agree bit for bit, also after another shape (or dtype) has used the scratch
    buffers?"""
    x, w, b, conv_param, dout = inputs(case)
    first = fast(x, w, b, conv_param, dout, dtype)
    for other in DTYPES.values():  # other geometry, other buffers
        fast(*inputs(DIRECT_CASES["5x5-pad2-tails"], seed=1), other)
    x2, w2, b2, _, dout2 = inputs(case, seed=2)
    fast(x2 * 1e3, w2, b2, conv_param, dout2, dtype)  # same geometry, other numbers
    again = fast(x, w, b, conv_param, dout, dtype)
    for g, v in zip(again, first, strict=True):
        np.testing.assert_array_equal(g, v)


def test_dispatch():
    """Which shapes go where: small channel counts go direct; float64 goes direct but for 3x3
    stride 1 over many channels (Winograd on BLAS)."""
    x = np.zeros((2, 32, 16, 16), np.float32)
    w3, w5, w7 = (np.zeros((64, 32, k, k), np.float32) for k in (3, 5, 7))
    assert conv.avx512_path(x, w3, 1) == "winograd512"
    assert conv.avx512_path(x, w5, 1) == "winograd512"
    assert conv.avx512_path(x, w3, 2) == "direct"
    assert conv.avx512_path(x, w7, 1) == "direct"
    assert conv.avx512_path(x[:, :3], w3[:, :3], 1) == "direct"  # 3 channels: too few
    assert conv.avx512_path(x[:0], w3, 1) is None
    big = np.zeros((1, 64, 96, 96), np.float32)  # one image's Winograd scratch: 43 MB
    assert conv.avx512_path(big, np.zeros((64, 64, 5, 5), np.float32), 1) == "direct"
    x64 = np.zeros((2, 64, 16, 16))
    w64 = {k: np.zeros((64, 64, k, k)) for k in (3, 5, 7)}
    assert conv.avx512_path(x64, w64[3], 1) == (None if blas.FUSED else "direct")
    assert conv.avx512_path(x64, w64[3], 2) == "direct"
    assert conv.avx512_path(x64, w64[5], 1) == "direct"
    assert conv.avx512_path(x64, w64[7], 1) == "direct"
    assert conv.avx512_path(x64[:, :32], w64[3][:, :32], 1) == "direct"  # 32 channels: too few
    assert conv.avx512_path(x64[:0], w64[3], 2) is None


def test_float64_layers_run_on_the_direct_kernels(monkeypatch):
    """Do conv_forward_fast, conv_backward_fast and both passes of the conv-relu-pool sandwich
    (with and without dx) reach direct.forward / direct.backward in float64?"""
    calls = []

    def spy(name):
        kernel = getattr(direct, name)

        def call(*args, **kwargs):
            calls.append(name)
            return kernel(*args, **kwargs)
        return call

    for name in ("forward", "backward"):
        monkeypatch.setattr(direct, name, spy(name))
    x, w, b, conv_param, dout = inputs(DIRECT_CASES["7x7-convnet-first"])
    out, cache = conv.conv_forward_fast(x, w, b, conv_param)
    conv.conv_backward_fast(dout, cache)
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
    pooled, cache = sandwich.conv_relu_pool_forward_fast(x, w, b, conv_param, pool_param)
    for compute_dx in (True, False):
        sandwich.conv_relu_pool_backward_fast(np.ones_like(pooled), cache, compute_dx)
    assert calls == ["forward", "backward", "forward", "backward", "backward"]


@pytest.mark.parametrize("dtype", DTYPES.values(), ids=DTYPES.keys())
def test_skipping_dx_gives_the_same_dw_and_db(dtype):
    """Does direct.backward(compute_dx=False) give exactly the full pass's dw and db?"""
    x, w, b, conv_param, dout = inputs(DIRECT_CASES["7x7-convnet-first"])
    x, w, dout = (a.astype(dtype) for a in (x, w, dout))
    dx, dw, db = direct.backward(x, w, dout, 1, 3)
    none, dw_only, db_only = direct.backward(x, w, dout, 1, 3, compute_dx=False)
    assert none is None and dx.shape == x.shape
    np.testing.assert_array_equal(dw_only, dw)
    np.testing.assert_array_equal(db_only, db)


def reads_dout_in_place(case):
    """Whether the direct backward's dx reads dout itself for case (no padding needed)."""
    _, C, H, W, F, HH, WW, stride, pad = case
    H_out, W_out = (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1
    return direct._dout_geometry((F, C, HH, WW), stride, pad, H, W, H_out,
                                 W_out) == (0, H_out, W_out)


READS_INSIDE = {name: case for name, case in DIRECT_CASES.items() if reads_dout_in_place(case)}


def test_some_cases_read_dout_in_place_and_some_pad_it():
    """Both of dx's ways to read dout are covered by DIRECT_CASES, the notebook's among the
    first."""
    assert "stride2-odd-width" in READS_INSIDE
    assert "7x7-convnet-first" not in READS_INSIDE and "3x2-stride2-no-pad" not in READS_INSIDE


@pytest.mark.parametrize("dtype", DTYPES.values(), ids=DTYPES.keys())
@pytest.mark.parametrize("case", READS_INSIDE.values(), ids=READS_INSIDE.keys())
def test_dx_reading_dout_in_place_is_the_padded_copys_dx(case, dtype, monkeypatch):
    """Does dx read straight from dout give bitwise the dx of the padded copy?"""
    x, w, _, conv_param, dout = inputs(case)
    x, w, dout = (a.astype(dtype) for a in (x, w, dout))
    args = (x, w, dout, conv_param["stride"], conv_param["pad"])
    in_place = direct.backward(*args)
    geometry = direct._dout_geometry

    def padded_more(*shape):  # one more zero row and column on every side
        pd, H_d, W_d = geometry(*shape)
        return pd + 1, H_d + 2, W_d + 2

    monkeypatch.setattr(direct, "_dout_geometry", padded_more)
    padded = direct.backward(*args)
    for got, want in zip(in_place, padded, strict=True):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("r", [3, 5])
def test_header_constants_are_the_derived_transforms(r):
    """Are B^T and A^T in _winograd512.h the matrices winograd512.transforms derives (and do
    they satisfy the 1-D identity)?"""
    AT, G, BT = winograd512.transforms(r)
    header = (Path(winograd512.__file__).with_name("_winograd512.h")).read_text()
    alpha = r + 1

    def constant(name):
        body = re.search(rf"{name}\[\d+\]\[\d+\] = (\{{.*?\}});", header, re.S).group(1)
        return np.array([float(v) for v in re.findall(r"-?\d+", body)])

    np.testing.assert_array_equal(constant(f"CS_BT{alpha}").reshape(alpha, alpha), BT)
    np.testing.assert_array_equal(constant(f"CS_AT{alpha}").reshape(2, alpha), AT)
    rng = np.random.default_rng(r)
    d, g = rng.standard_normal(alpha), rng.standard_normal(r)
    want = [sum(g[k] * d[j + k] for k in range(r)) for j in range(2)]
    np.testing.assert_allclose(AT @ ((G @ g) * (BT @ d)), want, rtol=1e-12)
