"""Autograder for the CS231n convolutional-networks assignment.

Hidden test cases live in :mod:`autograder.cases` as data, student code runs in the sandbox of
:mod:`autograder.sandbox` (child side: :mod:`autograder.runner`), :mod:`autograder.grader` compares
against the reference, :mod:`autograder.report` writes Gradescope JSON, feedback and CSV, and
:mod:`autograder.notebook` is the bridge used by nbgrader's hidden test cells.
"""

__version__ = "0.1.0"
