"""Build the cs231n_fast Cython extensions (invoked by pyproject's setuptools backend).

Every ``cs231n_fast/*.pyx`` becomes an extension module ``cs231n_fast.<name>``, compiled against
NumPy's headers with OpenMP.  Set ``CS231N_FAST_DEBUG=1`` to turn bounds and wraparound checks
back on (and optimisation off) while debugging a kernel.
"""

import os
import sys
from pathlib import Path

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup

DEBUG = os.environ.get("CS231N_FAST_DEBUG", "") not in ("", "0")

if sys.platform == "win32":
    openmp_compile, openmp_link = ["/openmp"], []
elif sys.platform == "darwin":
    # Apple clang has no OpenMP by default; prange then runs serially.
    openmp_compile, openmp_link = [], []
else:
    # Cython makes a variable assigned inside `with parallel():` firstprivate, so gcc sees the
    # unset outer value copied in and warns "may be used uninitialized"; every thread assigns
    # it before use (cs231n_fast/_conv.pyx), so the warning is noise in a student's build.
    openmp_compile, openmp_link = ["-fopenmp", "-Wno-maybe-uninitialized"], ["-fopenmp"]

optimise = ["-O0", "-g"] if DEBUG else ["-O3"]

extensions = [
    Extension(
        f"cs231n_fast.{pyx.stem}",
        [str(pyx)],
        include_dirs=[np.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_2_0_API_VERSION")],
        extra_compile_args=openmp_compile + (optimise if sys.platform != "win32" else []),
        extra_link_args=openmp_link,
    )
    for pyx in sorted(Path("cs231n_fast").glob("*.pyx"))
]

setup(
    ext_modules=cythonize(
        extensions,
        language_level=3,
        compiler_directives={
            "boundscheck": DEBUG,
            "wraparound": DEBUG,
            "initializedcheck": DEBUG,
            "cdivision": not DEBUG,
        },
    ),
)
