"""The nbgrader path end to end, with real nbgrader, real kernels and the real SQLite gradebook.

A temporary course directory is made from ``source_notebooks/``; ``generate_assignment`` runs;
three students hand in the released notebooks with their own ``cs231n`` (the perfect, stub and a
buggy sample); ``autograde``, ``export`` and ``generate_feedback`` run.  The hidden test cells
call the same checks through the same sandbox as the CLI, so nbgrader must award each student
exactly the CLI's total; the feedback must show neither solutions nor hidden tests.
"""

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.points import POINTS
from autograder.samples import get_sample
from autograder.samples.build import build_samples

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
ASSIGNMENT = "assignment2"
STUDENTS = {"perfect": "perfect", "stubs": "stubs", "buggy": "maxpool_routes_to_all"}
# Stubs whose layers.py, imported by the notebook's kernel, replaces the hidden cells' check():
# nbgrader cannot stop that (student code runs in its kernel); nbgrader-regrade must flag it.
CHEATER = "cheater"
CHEAT = """
try:
    import autograder.notebook as _bridge
    from autograder.points import POINTS as _POINTS
    _bridge.check = lambda name: float(_POINTS[name])
except ImportError:
    pass
"""

pytestmark = pytest.mark.slow


def _nbgrader(course, *args, timeout=600, data_env=None):
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.update(data_env or {})
    # autograde must shorten itself (NBGRADER_EXECUTION), not be told to
    for name in ("PYTHONPATH", "CS231N_QUICK"):
        env.pop(name, None)
    command = [str(VENV_BIN / "nbgrader"), *args, f"--CourseDirectory.root={course}"]
    process = subprocess.run(command, cwd=course, env=env, capture_output=True, text=True,
                             timeout=timeout, check=False)
    assert process.returncode == 0, f"{' '.join(command)}:\n{process.stdout}\n{process.stderr}"
    return process


def _cli_total(submission, out):
    subprocess.run([sys.executable, "-m", "autograder", "grade", str(submission), "-o", str(out)],
                   check=True, capture_output=True, cwd=ROOT, timeout=600)
    return json.loads(out.read_text())["score"]


@pytest.fixture(scope="module")
def course(tmp_path_factory, cifar_dir, images_dir):
    """A graded course: generate_assignment, three submissions, autograde, export, feedback."""
    course = tmp_path_factory.mktemp("course")
    shutil.copyfile(ROOT / "source_notebooks" / "nbgrader_config.py",
                    course / "nbgrader_config.py")
    shutil.copytree(ROOT / "source_notebooks" / "source", course / "source")
    # The instructor's package deliberately beside the source notebooks: autograde must still
    # grade each student's own cs231n (Autograde.exclude_overwriting), never this one.
    shutil.copytree(ROOT / "assignment" / "cs231n", course / "source" / ASSIGNMENT / "cs231n",
                    ignore=shutil.ignore_patterns("__pycache__"))
    data_env = {"CS231N_CIFAR10_DIR": str(cifar_dir), "CS231N_IMAGES_DIR": str(images_dir)}
    _nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    released = sorted((course / "release" / ASSIGNMENT).glob("*.ipynb"))
    assert released, "generate_assignment released no notebook"

    samples = tmp_path_factory.mktemp("samples")
    build_samples(samples, list(STUDENTS.values()))
    for student, sample in [*STUDENTS.items(), (CHEATER, "stubs")]:
        target = course / "submitted" / student / ASSIGNMENT
        shutil.copytree(samples / sample, target)
        if student == CHEATER:
            with open(target / "cs231n" / "layers.py", "a") as f:
                f.write(CHEAT)
        for notebook in released:  # this course's own release, so cell checksums match
            shutil.copyfile(notebook, target / notebook.name)
        (target / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")

    start = time.perf_counter()
    _nbgrader(course, "autograde", ASSIGNMENT, timeout=1200, data_env=data_env)
    print(f"nbgrader autograde: {(time.perf_counter() - start) / (len(STUDENTS) + 1):.1f} s "
          "a student")
    _nbgrader(course, "export", "--to", str(course / "grades.csv"))
    _nbgrader(course, "generate_feedback", ASSIGNMENT)
    return course


def test_gradebook_totals_match_the_cli(course, tmp_path):
    """Does nbgrader's gradebook give each student exactly what the CLI gives the same files?"""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assignment = gradebook.find_assignment(ASSIGNMENT)
        assert assignment.max_score == pytest.approx(sum(POINTS.values()))
        scores = {s: gradebook.find_submission(ASSIGNMENT, s).score for s in STUDENTS}
    for student in STUDENTS:
        cli = _cli_total(course / "autograded" / student / ASSIGNMENT, tmp_path / f"{student}.json")
        assert scores[student] == pytest.approx(cli), student
    assert scores["perfect"] == pytest.approx(sum(POINTS.values()))
    assert scores["stubs"] == 0
    sample = get_sample(STUDENTS["buggy"])
    lost = sum(POINTS[f] if v is None else v for f, v in sample.loses.items())
    assert sum(POINTS.values()) - lost <= scores["buggy"] < sum(POINTS.values())


def test_buggy_student_loses_points_only_on_their_bug(course):
    """Is the student's own .py graded: the buggy max-pool backward, and nothing else, loses?"""
    from nbgrader.api import Gradebook

    bug = get_sample(STUDENTS["buggy"]).loses
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "buggy")
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                function = grade.name.removeprefix("test_")  # grade_id is test_<function>
                assert function in POINTS, grade.name
                if function in bug:
                    assert grade.score < grade.max_score, grade.name
                else:
                    assert grade.score == grade.max_score, grade.name


def test_stub_student_scores_zero_in_every_cell_and_keeps_own_files(course):
    """With the instructor's package in source/, is the stub student still graded on their own
    stubs (zero in every cell), and are all students' .py files graded byte for byte as sent?"""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "stubs")
        scores = {grade.name: grade.auto_score
                  for notebook in submission.notebooks for grade in notebook.grades}
    assert set(scores) == {f"test_{name}" for name in POINTS}
    assert set(scores.values()) == {0.0}
    for student in STUDENTS:
        submitted = course / "submitted" / student / ASSIGNMENT
        for path in submitted.rglob("*.py"):
            relative = path.relative_to(submitted)
            graded = course / "autograded" / student / ASSIGNMENT / relative
            assert graded.read_bytes() == path.read_bytes(), (student, relative)


def test_exported_csv(course):
    with open(course / "grades.csv", newline="") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert set(rows) == {*STUDENTS, CHEATER}
    assert float(rows["perfect"]["score"]) == pytest.approx(sum(POINTS.values()))
    assert float(rows["stubs"]["score"]) == 0
    assert float(rows["perfect"]["max_score"]) == pytest.approx(sum(POINTS.values()))


def test_feedback_hides_solutions_and_hidden_tests(course):
    """Does the HTML feedback show the student's results but no solution or hidden test code?"""
    for student in STUDENTS:
        folder = course / "feedback" / student / ASSIGNMENT
        pages = sorted(folder.rglob("*"))
        released = sorted((course / "release" / ASSIGNMENT).glob("*.ipynb"))
        # Only the notebooks' HTML pages: no instructor file, nothing else nbgrader copies in.
        assert [p.name for p in pages] == [f"{nb.stem}.html" for nb in released], student
        for page in pages:
            # Highlighted code is split into spans: compare the text a reader sees.
            text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
            for secret in ("BEGIN SOLUTION", "HIDDEN TESTS", "autograder.notebook",
                           'check("'):
                assert secret not in text, f"{page.relative_to(course)} shows {secret!r}"
            if student == "stubs":
                assert "0 / " in text  # the checks' feedback stays


def test_regrade_flags_the_student_whose_kernel_faked_the_checks(course, tmp_path):
    """nbgrader-regrade grades submitted/ through the CLI path: the cheater's nbgrader total is
    above the CLI's and is flagged; honest students are not."""
    done = subprocess.run([sys.executable, "-m", "autograder", "nbgrader-regrade", str(course),
                           "-o", str(tmp_path / "regrade"), "--jobs", "2"], cwd=ROOT,
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 1, done.stderr
    with open(tmp_path / "regrade" / "regrade.csv", newline="") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert set(rows) == {*STUDENTS, CHEATER}
    assert rows[CHEATER]["flagged"] == "yes"
    assert float(rows[CHEATER]["nbgrader_total"]) > float(rows[CHEATER]["cli_total"]) == 0
    assert [s for s, row in rows.items() if row["flagged"]] == [CHEATER]
    assert float(rows["perfect"]["cli_total"]) == pytest.approx(sum(POINTS.values()))
