"""Re-grade an nbgrader course's submitted/ tree through the CLI path and flag every student
whose nbgrader total is higher than the CLI's.

nbgrader runs a student's notebook code in the grading kernel (that is how it works), so a
notebook or an import-time hook can replace what a hidden test cell returns.  The CLI path
grades the same files in the sandbox only.  A flag is a reason to look, not a verdict:

    python -m autograder nbgrader-regrade COURSE_DIR [-o OUT] [--assignment assignment2]

writes OUT/<student>/results.json and feedback.txt, OUT/grades.csv and OUT/regrade.csv
(student, nbgrader total, CLI total, flagged) and exits 1 when any student is flagged.
"""

import csv
import io
from pathlib import Path

from autograder.batch import grade_all
from autograder.report import write_text_atomic
from autograder.seeding import GraderFault

TOLERANCE = 1e-6


def gradebook_totals(course: Path, assignment: str) -> dict[str, float]:
    """{student: nbgrader's total} from the course's SQLite gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    database = course / "gradebook.db"
    if not database.is_file():
        raise GraderFault(f"no nbgrader gradebook at {database} (run nbgrader autograde first)")
    totals = {}
    with Gradebook(f"sqlite:///{database}") as gradebook:
        for student in gradebook.students:
            try:
                totals[student.id] = float(
                    gradebook.find_submission(assignment, student.id).score)
            except MissingEntry:
                continue
    return totals


def regrade(course: Path, out_dir: Path, assignment: str = "assignment2", jobs: int = 1,
            secret_file=None) -> list[dict]:
    """Grade submitted/<student>/<assignment>/ with the CLI path and compare with nbgrader."""
    course, out_dir = Path(course), Path(out_dir)
    submitted = course / "submitted"
    if not submitted.is_dir():
        raise GraderFault(f"no submitted/ folder in {course}")
    nbgrader = gradebook_totals(course, assignment)
    rows = {row["student_id"]: row for row in grade_all(submitted, out_dir, jobs=jobs,
                                                          secret_file=secret_file)}
    report = []
    for student in sorted(set(nbgrader) | set(rows)):
        cli = rows.get(student, {}).get("total", "")
        ours = float(cli) if cli != "" else None
        theirs = nbgrader.get(student)
        flagged = theirs is not None and (ours is None or theirs > ours + TOLERANCE)
        report.append({"student_id": student, "nbgrader_total": "" if theirs is None else
                       f"{theirs:g}", "cli_total": cli, "flagged": "yes" if flagged else ""})
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=["student_id", "nbgrader_total", "cli_total",
                                              "flagged"])
    writer.writeheader()
    writer.writerows(report)
    write_text_atomic(out_dir / "regrade.csv", text.getvalue())
    return report
