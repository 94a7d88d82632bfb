"""Shared fixtures: where the course data lives, and the optional PyTorch oracle.

Tests that need the CIFAR-10 subset or the demo photos use ``../shared/data`` beside the clone
(override with ``CS231N_SHARED_DATA``) and skip, saying why, when it is not there.  Tests that
compare against PyTorch skip with a reason when torch is not installed.
"""

import os
import re
from pathlib import Path

# As in the grader's own process (autograder/__main__.py): tests call the grader in-process with
# several threads, and cs231n_fast parks OpenBLAS's workers around its kernels.  Benchmarks, not
# tests, measure multi-threaded speed.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pytest

from autograder.reference import use_reference

use_reference()  # `import cs231n` in the tests is the reference in assignment/

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("CS231N_SHARED_DATA", ROOT.parent / "shared" / "data"))
CIFAR_DIR = SHARED_DATA / "cifar-10-subset-py"
IMAGES_DIR = SHARED_DATA / "images"
# The oracle's pin, defined once in pyproject.toml (the Makefile reads it too).
ORACLE = re.search(r'^oracle = \["(torch==[^"]+)"\]', (ROOT / "pyproject.toml").read_text(),
                   re.MULTILINE).group(1)


@pytest.fixture(scope="session")
def cifar_dir():
    """The real CIFAR-10 subset in the official pickle layout, or a skip saying why."""
    if not (CIFAR_DIR / "data_batch_1").is_file():
        pytest.skip(f"CIFAR-10 subset not found at {CIFAR_DIR} (set CS231N_SHARED_DATA)")
    return CIFAR_DIR


@pytest.fixture(scope="session")
def images_dir():
    """The folder holding kitten.jpg and puppy.jpg, or a skip saying why."""
    if not (IMAGES_DIR / "kitten.jpg").is_file() or not (IMAGES_DIR / "puppy.jpg").is_file():
        pytest.skip(f"kitten.jpg/puppy.jpg not found in {IMAGES_DIR} (set CS231N_SHARED_DATA)")
    return IMAGES_DIR


@pytest.fixture(scope="session")
def torch():
    """PyTorch (CPU) as an independent oracle, or a skip when it is not installed."""
    return pytest.importorskip(
        "torch", reason=f"PyTorch not installed: pip install {ORACLE} (CI installs it)"
    )


@pytest.fixture
def rng():
    """A seeded generator, so every run draws the same inputs."""
    return np.random.default_rng(231)


@pytest.fixture(params=["avx512", "fused-blas", "numpy-chunks"])
def conv_path(request, monkeypatch):
    """Run a test through every convolution path of cs231n_fast: the AVX-512 kernels where the
    CPU has AVX-512F (direct in float32 and float64, Winograd in float32; conv.avx512_path
    picks); per-image BLAS inside the OpenMP loop (when NumPy's OpenBLAS was found); and the
    portable NumPy-matmul fallback."""
    import cs231n_fast.blas
    import cs231n_fast.direct

    if request.param == "avx512":
        if not cs231n_fast.direct.available():
            pytest.skip("this CPU has no AVX-512F: the direct kernels never run here")
        return request.param
    monkeypatch.setattr(cs231n_fast.direct, "ENABLED", False)
    if request.param == "fused-blas":
        if not cs231n_fast.blas.FUSED:
            pytest.skip("NumPy's OpenBLAS CBLAS symbols not found: only the fallback runs here")
    else:
        monkeypatch.setattr(cs231n_fast.blas, "FUSED", False)
    return request.param
