"""cs231n_fast's thread count: passed explicitly to every kernel, set and restored by the API,
and results that do not depend on it beyond the documented partial-sum order."""

import os
import subprocess
import sys

import numpy as np
import pytest

import cs231n_fast
from cs231n_fast import threads


def test_set_get_and_limit_restore():
    """Does limit(n) set the count inside the block and restore the previous one after?"""
    before = cs231n_fast.get_num_threads()
    with cs231n_fast.limit(3):
        assert cs231n_fast.get_num_threads() == 3
        with cs231n_fast.limit(1):
            assert cs231n_fast.get_num_threads() == 1
        assert cs231n_fast.get_num_threads() == 3
    assert cs231n_fast.get_num_threads() == before


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "2"])
def test_bad_thread_counts_are_refused(bad):
    """Is anything but a positive int (or None) a ValueError naming the value?"""
    with pytest.raises(ValueError, match="n_threads must be a positive int"):
        cs231n_fast.set_num_threads(bad)


def test_default_follows_omp_num_threads(monkeypatch):
    """Does OMP_NUM_THREADS (the grader's children set 1) decide the default?"""
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert threads._default() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "3,2")
    assert threads._default() == 3
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert threads._default() >= 1


@pytest.mark.parametrize("files, expected", [
    ({"sys/fs/cgroup/cpu.max": "200000 100000\n"}, 2),
    ({"sys/fs/cgroup/cpu.max": "150000 100000\n"}, 2),
    ({"sys/fs/cgroup/cpu.max": "max 100000\n"}, None),
    ({"sys/fs/cgroup/cpu/cpu.cfs_quota_us": "300000\n",
      "sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n"}, 3),
    ({"sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1\n",
      "sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n"}, None),
    ({"sys/fs/cgroup/cpu.max": "garbage"}, None),
    ({}, None),
])
def test_a_container_quota_caps_the_default(tmp_path, monkeypatch, files, expected):
    """Does a cgroup CPU quota (v2 or v1) cap the default thread count, and does an unlimited,
    missing or garbled one leave it to the CPU affinity?"""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert threads.cpu_quota(tmp_path) == expected
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(threads.os, "sched_getaffinity", lambda pid: set(range(64)),
                        raising=False)
    assert threads._default(tmp_path) == (expected or 64)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_more_threads_than_cores_give_the_same_layers(dtype, conv_path):
    """With 1 thread and with 7 (more than the machine has), do every layer's outputs agree
    (to float rounding: only the filter gradient's per-thread partial sums regroup)?"""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((9, 16, 12, 12)).astype(dtype)
    w = rng.standard_normal((20, 16, 3, 3)).astype(dtype)
    b = rng.standard_normal(20).astype(dtype)
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
    results = []
    for n in (1, 7):
        with cs231n_fast.limit(n):
            out, cache = cs231n_fast.conv_forward_fast(x, w, b, {"stride": 1, "pad": 1})
            grads = cs231n_fast.conv_backward_fast(out, cache)
            pooled, pool_cache = cs231n_fast.max_pool_forward_fast(out, pool_param)
            dpool = cs231n_fast.max_pool_backward_fast(pooled, pool_cache)
            results.append((out, *grads, pooled, dpool))
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    for one, seven in zip(*results, strict=True):
        np.testing.assert_allclose(seven, one, rtol=rtol, atol=rtol * np.abs(one).max())


@pytest.mark.parametrize("environ, expected", [
    ({}, threads.OPENMP_DEFAULTS),
    ({"OMP_WAIT_POLICY": "ACTIVE"}, {}),
    ({"OMP_WAIT_POLICY": "PASSIVE"}, {}),
    ({"GOMP_SPINCOUNT": "0"}, {}),
])
def test_openmp_defaults_yield_to_the_users_settings(environ, expected):
    """Does the package add its short-spin default only where the user set neither the wait
    policy nor the spin count (an explicit GOMP_SPINCOUNT would override their policy)?"""
    assert threads.openmp_defaults(environ) == expected


@pytest.mark.parametrize("user, expected", [
    ({}, ("PASSIVE", "10000")),
    ({"OMP_WAIT_POLICY": "active"}, ("active", None)),
])
def test_the_import_sets_the_openmp_defaults_before_libgomp_loads(user, expected):
    """Does importing cs231n_fast in a fresh process leave these settings in its environment
    (so libgomp, loaded by the import, reads them), and a user's own policy untouched?"""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    env.update(user)
    code = ("import os, cs231n_fast; "
            "print(os.environ.get('OMP_WAIT_POLICY'), os.environ.get('GOMP_SPINCOUNT'))")
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.split()
    assert shown == [str(value) for value in expected]
