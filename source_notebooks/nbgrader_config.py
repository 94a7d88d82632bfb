"""nbgrader configuration of the cs231n course (assignment2: convolutional networks).

This folder is the nbgrader course root. ``source/assignment2`` holds only the three notebooks:
the ``cs231n`` package lives once, in ``assignment/cs231n`` of the kit, and ``make release``
copies it into the student release with the solutions stripped (nbgrader would copy ``.py``
files verbatim, solutions included). Grading therefore always runs the student's own package.
"""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

try:
    from autograder.never_copied import glob_patterns
    from kit.feedback import HideTestTracebacks, keep_only_feedback_pages
    from kit.release.markers import (
        BEGIN_HIDDEN_TESTS,
        BEGIN_SOLUTION,
        END_HIDDEN_TESTS,
        END_SOLUTION,
    )
except ImportError as error:
    # nbgrader only logs a config file that fails to load, then goes on with its defaults
    # (instructor files over the student's, hidden tests in the feedback): stop instead.
    raise SystemExit(f"{__file__}: the cs231n kit is not importable ({error}); install it "
                     f"with `pip install -e .` (or `make build`) in the kit root") from error

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "cs231n"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# What is never copied from a submission into the autograded (and feedback) folders:
# nbgrader's defaults, downloaded data and build outputs, and the student's cs231n_fast, whose
# compiled module (if any) may be built for another platform; grading imports the grader's own
# build of the provided fast layers instead.
c.CourseDirectory.ignore = glob_patterns("feedback", "cs231n_fast")

# Solution and hidden-test delimiters: nbgrader's defaults, named once in kit/release/markers.py
# because the release leak check and the package stripper look for the same markers.
c.ClearSolutions.begin_solution_delimeter = BEGIN_SOLUTION
c.ClearSolutions.end_solution_delimeter = END_SOLUTION
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearHiddenTests.begin_test_delimeter = BEGIN_HIDDEN_TESTS
c.ClearHiddenTests.end_test_delimeter = END_HIDDEN_TESTS

# Grade the student's own cs231n files. nbgrader overwrites every non-notebook file of a
# submission with the instructor's copy from source/assignment2 unless it is listed here; the
# source folder holds no package today, and this keeps it that way should anyone add one.
# tests/test_release.py checks this list names every .py file of the reference package.
c.Autograde.exclude_overwriting = {
    "assignment2": [
        "cs231n/__init__.py",
        "cs231n/_checks.py",
        "cs231n/classifiers/__init__.py",
        "cs231n/classifiers/cnn.py",
        "cs231n/data_utils.py",
        "cs231n/fast_layers.py",
        "cs231n/gradient_check.py",
        "cs231n/image_utils.py",
        "cs231n/layer_utils.py",
        "cs231n/layers.py",
        "cs231n/optim.py",
        "cs231n/solver.py",
        "cs231n/vis_utils.py",
    ],
}

# One cell may run this long (seconds) while autograding. NBGRADER_EXECUTION puts the
# notebooks in quick mode, so a correct submission needs a few seconds per cell.
c.Execute.timeout = 300

# Feedback shows the student their autograded notebooks as HTML pages: strip the hidden test code
# that autograding restored into the grade cells, from their source and from the tracebacks of
# failed checks (the printed feedback of the checks stays), and keep no other file (nbgrader
# would copy the whole autograded folder). Needs the kit installed (`make build`).
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, HideTestTracebacks,
                                    CSSHTMLHeaderPreprocessor]
c.GenerateFeedback.post_convert_hook = keep_only_feedback_pages
