"""cs231n_fast.blas: parking OpenBLAS's idle workers must never change what BLAS computes,
nor the thread count the user set.  No timing here: the speed-up is measured in benchmarks/."""

import numpy as np
import pytest

blas = pytest.importorskip("cs231n_fast.blas")


@pytest.mark.skipif(not blas.FUSED, reason="NumPy's OpenBLAS not found; nothing is parked")
def test_parked_workers_restart_with_the_same_results(rng):
    """Is a multi-threaded matmul after park_workers bitwise the one before?"""
    a = rng.standard_normal((300, 400))
    b = rng.standard_normal((400, 500))
    before = a @ b
    threads = blas._get_threads()
    blas.park_workers()
    np.testing.assert_array_equal(a @ b, before)
    with blas.single_threaded():
        assert blas._get_threads() == 1
    assert blas._get_threads() == threads
    np.testing.assert_array_equal(a @ b, before)


def test_park_workers_is_harmless_without_workers():
    """Can park_workers be called twice in a row (no workers the second time)?"""
    blas.park_workers()
    blas.park_workers()
