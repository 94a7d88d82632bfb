"""Grade every submission folder under ROOT, each in a grader process of its own whose wall
clock is kept here, so that no submission can stop, hang or exhaust the batch.

Invariants:
- Each submission is graded by `python -m autograder grade` in a new session.  When it runs
  longer than `submission_timeout`, its process group is killed (its sandboxed children die
  with it: bwrap --die-with-parent, setpriv --pdeathsig) and the student gets a grader-fault
  row; the other students are graded as usual.
- A student's row is read only from the results.json that this batch's own grader process
  wrote for that student (removed beforehand, read with a size bound).
- grades.csv is rewritten atomically after every student, so an interrupted batch leaves the
  grades of everyone finished so far.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.report import grades_row_from_json, write_grades_csv

KIT_ROOT = Path(__file__).resolve().parents[1]
MAX_RESULTS_BYTES = 2 << 20


def submission_folders(root: Path) -> list[Path]:
    """Every entry of ROOT that is a folder or a link (a link is refused by the grader, with a
    message in that student's feedback), hidden names aside."""
    folders = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if not entry.name.startswith(".") and (entry.is_symlink() or entry.is_dir()):
            folders.append(Path(entry.path))
    return folders


def _command(folder: Path, results: Path, secret_file, only, timeout_scale, workers):
    command = [sys.executable, "-m", "autograder", "grade", str(folder), "-o", str(results),
               "--student-id", folder.name, "--quiet", "--timeout-scale", str(timeout_scale),
               "--workers", str(workers)]
    if secret_file:
        command += ["--secret-file", str(secret_file)]
    if only:
        command += ["--only", *only]
    return command


class _Running:
    def __init__(self, folder: Path, out_dir: Path, command_args):
        self.student = folder.name
        self.results = out_dir / self.student / "results.json"
        self.results.unlink(missing_ok=True)
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives with the process; row() closes it
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            _command(folder, self.results, *command_args), cwd=KIT_ROOT,
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, 9)
        except ProcessLookupError:
            pass
        self.process.wait()

    def row(self, timed_out: float | None) -> dict:
        self.log.seek(0)
        tail = self.log.read()[-2000:].decode("utf-8", "replace").strip()
        self.log.close()
        if timed_out is not None:
            return _fault(self.student, f"grading took more than {timed_out:.0f} s and was "
                          "stopped")
        try:
            if self.results.stat().st_size > MAX_RESULTS_BYTES:
                raise ValueError("results.json too large")
            return grades_row_from_json(json.loads(self.results.read_text()))
        except (OSError, ValueError, KeyError, TypeError) as error:
            detail = tail.splitlines()[-1] if tail else type(error).__name__
            return _fault(self.student, f"exit {self.process.returncode}: {detail}")


def _fault(student: str, detail: str) -> dict:
    return {"student_id": student, "total": "", "status": f"grader fault: {detail}",
            "fault": True}


def grade_all(root: Path, out_dir: Path, jobs: int = 1, secret_file=None, only=None,
              timeout_scale: float = 1.0, submission_timeout: float = 600.0,
              progress=None) -> list[dict]:
    """Grade ROOT's submissions, `jobs` at a time; write OUT/<id>/ reports and OUT/grades.csv;
    return the rows."""
    from tqdm import tqdm

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    folders = submission_folders(Path(root))
    workers = 4 if jobs > 1 else 6
    args = (secret_file, only, timeout_scale, workers)
    todo, running, rows = list(folders), [], []
    bar = progress or tqdm(total=len(folders), unit="submission", file=sys.stderr)
    try:
        while todo or running:
            while todo and len(running) < jobs:
                running.append(_Running(todo.pop(0), out_dir, args))
            time.sleep(0.05)
            for job in list(running):
                elapsed = time.monotonic() - job.started
                if job.process.poll() is None and elapsed <= submission_timeout:
                    continue
                timed_out = None
                if job.process.poll() is None:
                    job.kill()
                    timed_out = submission_timeout
                running.remove(job)
                rows.append(job.row(timed_out))
                write_grades_csv(rows, out_dir / "grades.csv")
                bar.update(1)
    finally:
        for job in running:
            job.kill()
        if progress is None:
            bar.close()
    write_grades_csv(rows, out_dir / "grades.csv")
    return rows
