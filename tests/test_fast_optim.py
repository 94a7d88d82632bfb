"""cs231n_fast.adam_step, the fused Adam kernel: the formula on worked inputs, both the serial
and the threaded loop, new arrays out and inputs untouched, every rejected input.  How it
agrees with cs231n.optim's NumPy path and torch.optim.Adam is in tests/test_provided.py.
No timing here: speed lives in benchmarks/."""

import numpy as np
import pytest

from cs231n_fast import adam_step

HYPER = {"learning_rate": 0.01, "beta1": 0.8, "beta2": 0.95, "epsilon": 1e-8}


def formula(w, dw, m, v, learning_rate, beta1, beta2, epsilon, t):
    """The textbook formula in float64."""
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw * dw
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


# sizes either side of the serial/threaded switch, and not a multiple of the chunk
SHAPES = {"0-d": (), "empty": (0, 3), "small": (3, 4), "threaded-ragged": (301, 331)}
TOLERANCE = {np.float32: 1e-5, np.float64: 1e-12}


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("shape", list(SHAPES.values()), ids=list(SHAPES))
def test_adam_step_matches_formula_and_leaves_inputs_alone(shape, dtype):
    rng = np.random.default_rng(5)
    w, dw, m = (rng.standard_normal(shape).astype(dtype) for _ in range(3))
    v = rng.random(shape).astype(dtype)
    before = [a.copy() for a in (w, dw, m, v)]
    result = adam_step(w, dw, m, v, t=3, **HYPER)
    expected = formula(*(a.astype(np.float64) for a in before), t=3, **HYPER)
    for name, got, want in zip(("next_w", "next_m", "next_v"), result, expected, strict=True):
        assert got.shape == shape and got.dtype == dtype, name
        np.testing.assert_allclose(got, want, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype],
                                   err_msg=name)
        assert not any(np.shares_memory(got, a) for a in (w, dw, m, v)), name
    for array, copy in zip((w, dw, m, v), before, strict=True):
        np.testing.assert_array_equal(array, copy)


def test_adam_step_accepts_noncontiguous_inputs():
    """Is a transposed (Fortran-ordered) weight stepped like its contiguous copy?"""
    rng = np.random.default_rng(6)
    w, dw, m, v = (rng.random((300, 400)).T for _ in range(4))
    result = adam_step(w, dw, m, v, t=1, **HYPER)
    contiguous = adam_step(*(np.ascontiguousarray(a) for a in (w, dw, m, v)), t=1, **HYPER)
    for got, want in zip(result, contiguous, strict=True):
        assert got.shape == (400, 300)
        np.testing.assert_array_equal(got, want)


def test_adam_step_first_step_is_learning_rate_times_sign():
    dw = np.array([0.5, -2.0, 1e-3], dtype=np.float32)
    zeros = np.zeros(3, dtype=np.float32)
    next_w, _, _ = adam_step(zeros, dw, zeros, zeros, 0.1, 0.9, 0.999, 1e-8, 1)
    np.testing.assert_allclose(next_w, -0.1 * np.sign(dw), rtol=1e-4)


ARRAYS = {name: np.zeros((2, 3)) for name in ("w", "dw", "m", "v")}


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"w": np.zeros((2, 3), dtype=np.int64)}, "w must be float32 or float64, got dtype int64"),
        ({"w": np.zeros((2, 3), dtype=np.float16)}, "w must be float32 or float64"),
        ({"dw": np.zeros((3, 2))}, r"dw has shape \(3, 2\) but w has shape \(2, 3\)"),
        ({"m": np.zeros(6)}, r"m has shape \(6,\) but w has shape \(2, 3\)"),
        ({"v": np.zeros((2, 3), dtype=np.float32)},
         "v has dtype float32 but w has dtype float64"),
        ({"learning_rate": -1.0}, r"learning_rate must be in \[0.0, None\), got -1.0"),
        ({"learning_rate": "0.1"}, "learning_rate must be a finite real number, got '0.1'"),
        ({"beta1": 1.0}, r"beta1 must be in \[0.0, 1.0\), got 1.0"),
        ({"beta2": float("nan")}, "beta2 must be a finite real number, got nan"),
        ({"epsilon": -1e-8}, "epsilon must be in"),
        ({"t": 0}, "t must be >= 1, got 0"),
        ({"t": 1.5}, "t must be an integer, got 1.5"),
        ({"t": True}, "t must be an integer, got True"),
    ],
    ids=["int-w", "float16-w", "dw-shape", "m-shape", "v-dtype", "negative-lr", "string-lr",
         "beta1-one", "beta2-nan", "negative-epsilon", "t-zero", "t-float", "t-bool"],
)
def test_adam_step_rejects_bad_input(changes, match):
    args = {**ARRAYS, **HYPER, "t": 1, **changes}
    with pytest.raises(ValueError, match=match):
        adam_step(**args)
