"""Autograder for the CS231n convolutional-networks assignment: hidden cases as data, the
sandbox, the grader, reports, batch grading, similarity.  The flow: autograder/README.md.

May import: the standard library, NumPy, the reference package (only through
:mod:`autograder.reference`), and for the instructor's tools tqdm, matplotlib, nbgrader and
copydetect.  Never kit/ (kit builds on this package) and never a student's code, which runs only
in the sandbox's children.
"""

__version__ = "0.1.0"
