"""The bridge used by nbgrader's hidden test cells::

    ### BEGIN HIDDEN TESTS
    from autograder.notebook import check
    check("conv_forward_naive")
    ### END HIDDEN TESTS

`check` grades one function of the submission in the current working directory with the same
cases and sandbox as the command line, prints a short feedback text to stdout only (nbgrader
gives a cell zero when it writes to stderr) and returns the points earned, so the cell's result
gives nbgrader partial credit.  It raises AssertionError with the feedback when nothing passed.

The grading runs in a separate Python process: the notebook's kernel has already imported the
student's `cs231n`, and the grader must import the reference under that same name.  That process
takes nothing from the kernel's environment (student code has run there and may have changed
it): the reference, the sandbox and the settings are the installed kit's, and the course secret
is the kit's secret file (autograder.seeding.SECRET_FILE).  nbgrader runs student notebook code
in its kernel by design, so a notebook can still fake what a cell returns: re-grade the
submitted/ tree with `python -m autograder nbgrader-regrade COURSE` and look at the flags.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from autograder.points import NOTEBOOK_OF, POINTS
from autograder.seeding import SECRET_FILE
from autograder.submission import NBGRADER_STEPS, student_id

STUDENT_ENV = "CS231N_STUDENT_ID"
KIT_ROOT = Path(__file__).resolve().parents[1]


def student_id_from(cwd: Path) -> str:
    """<student_id> from nbgrader's <course>/autograded/<student_id>/<assignment>/ (the one rule,
    autograder.submission.student_id), else $CS231N_STUDENT_ID, else "anonymous"."""
    if Path(cwd).resolve().parent.parent.name in NBGRADER_STEPS:
        return student_id(Path(cwd).resolve())
    return os.environ.get(STUDENT_ENV) or "anonymous"


def _fingerprint(submission: Path) -> tuple:
    """What the cached grades depend on: the folder and every .py the student could edit."""
    files = sorted((submission / "cs231n").rglob("*.py"))
    return (str(submission), student_id_from(submission),
            tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files))


# One grader run per notebook, not per cell: the first check() of a notebook grades all of that
# notebook's functions (one process start, one sandbox per function) and later cells read the
# result.  Keyed on the student's files, so an edited submission is graded again.
_graded: dict[tuple, dict] = {}


def _grade_notebook_of(name: str, submission: Path) -> dict:
    key = (NOTEBOOK_OF[name], _fingerprint(submission))
    if key in _graded:
        return _graded[key]
    functions = [f for f, notebook in NOTEBOOK_OF.items() if notebook == NOTEBOOK_OF[name]]
    with tempfile.TemporaryDirectory(prefix="ag-nb-") as scratch:
        results = Path(scratch) / "results.json"
        env = {"PATH": "/usr/bin:/bin", "HOME": scratch, "LANG": "C.UTF-8",
               "PYTHONPATH": str(KIT_ROOT)}
        command = [sys.executable, "-m", "autograder", "grade", str(submission), "-o",
                   str(results), "--feedback", str(Path(scratch) / "feedback.txt"),
                   "--only", *functions, "--student-id", student_id_from(submission), "--quiet"]
        if SECRET_FILE.is_file():
            command += ["--secret-file", str(SECRET_FILE)]
        done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0 or not results.is_file():
            message = (done.stderr or done.stdout).strip()[-2000:]
            raise RuntimeError(f"the autograder itself failed (exit {done.returncode}): "
                               f"{message}")
        _graded[key] = json.loads(results.read_text())
    return _graded[key]


def check(name: str) -> float:
    """Grade function `name` of the submission in the current folder; return its points."""
    if name not in POINTS:
        raise ValueError(f"unknown graded function {name!r}; expected one of {list(POINTS)}")
    data = _grade_notebook_of(name, Path.cwd())
    from autograder.report import notebook_feedback
    text = notebook_feedback(data, name)
    print(text)
    score = float(sum(t["score"] for t in data["tests"] if t["name"].startswith(name + ": ")))
    if score <= 0:
        raise AssertionError(text)
    return score
