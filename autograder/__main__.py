"""``python -m autograder``: the command line (autograder/cli.py).

The grader's own NumPy work is small (reference outputs, comparisons), and cs231n_fast parks
OpenBLAS's worker threads around its kernels, which is unsafe while another of the grader's
threads is inside a multi-threaded BLAS call: the grader process keeps OpenBLAS on one thread.
Set before NumPy is imported; the sandboxed children set their own.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from autograder.cli import main  # noqa: E402 - after the thread settings above

sys.exit(main())
