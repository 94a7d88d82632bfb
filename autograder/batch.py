"""Grade every submission folder under ROOT, each in a grader process of its own whose wall
clock is kept here, so that no submission can stop, hang or exhaust the batch; resume an
interrupted batch; grade one shard of a class; merge shards.

Invariants:
- Each submission is graded by `python -m autograder grade` in a new session that dies with
  this process.  When it runs longer than `submission_timeout`, its process group is killed
  (its sandboxed children die with it) and the student gets a grader-fault row; the other
  students are graded as usual.
- A student's row is read only from a results.json this grader wrote (atomically), read with a
  size bound.  A results.json is reused instead of grading again only when its grader version,
  secret fingerprint, seed, graded functions and submission digest all equal this run's.
- grades.csv is rewritten atomically after every student, so an interrupted batch leaves the
  grades of everyone finished so far, and never a truncated file.
- `--shard I/N` takes the students whose SHA-256(id) mod N is I-1: a deterministic split that
  does not move when other students are added.
"""

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import __version__
from autograder.points import POINTS
from autograder.report import grades_row_from_json, write_grades_csv
from autograder.seeding import GraderFault, load_secret, student_seed
from autograder.submission import Refused, find_package_root, package_digest, read_package

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


def parse_shard(text: str) -> tuple[int, int]:
    """'2/3' -> (2, 3); ValueError naming the value otherwise."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard takes I/N with whole numbers, got {text!r}") from None
    if not 1 <= index <= count:
        raise ValueError(f"--shard {text}: I must be between 1 and N={count}")
    return index, count


def in_shard(student: str, shard: tuple[int, int] | None) -> bool:
    if shard is None:
        return True
    index, count = shard
    digest = hashlib.sha256(student.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def log_tail(log, limit: int = 2000) -> str:
    """The last ``limit`` bytes of a grader process's log (a file object), decoded; never more
    is read, however much the process wrote."""
    size = log.seek(0, os.SEEK_END)
    log.seek(max(0, size - limit))
    return log.read(limit).decode("utf-8", "replace").strip()


def read_results(path: Path) -> dict | None:
    """A results.json's data, or None when missing, too large or not this grader's."""
    try:
        if path.is_symlink() or path.stat().st_size > MAX_RESULTS_BYTES:
            return None
        data = json.loads(path.read_text())
        grades_row_from_json(data)  # has what a row needs
        return data
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _identity(data: dict) -> tuple:
    extra = data["extra_data"]
    return (extra.get("grader_version"), extra.get("secret_fingerprint"), extra.get("seed"),
            tuple(sorted(extra.get("functions", {}))), extra.get("submission_digest"))


def expected_identity(folder: Path, secret, only) -> tuple | None:
    """What a results.json of this run for `folder` would record, or None (grade anyway)."""
    try:
        files, _ = read_package(find_package_root(folder))
    except (Refused, OSError):
        return None
    functions = tuple(sorted(only or POINTS))
    return (__version__, secret.fingerprint, student_seed(secret, folder.name), functions,
            package_digest(files))


def _command(folder: Path, results: Path, secret_file, only, timeout_scale, workers):
    # setpriv --pdeathsig: a grader whose batch was killed stops too, and its sandboxes with it.
    prefix = ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []
    command = [*prefix, sys.executable, "-m", "autograder", "grade", str(folder), "-o",
               str(results), "--student-id", folder.name, "--quiet", "--timeout-scale",
               str(timeout_scale), "--workers", str(workers)]
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
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, 9)
        self.process.wait()

    def row(self, timed_out: float | None) -> dict:
        tail = log_tail(self.log)
        self.log.close()
        if timed_out is not None:
            return _fault(self.student, f"grading took more than {timed_out:.0f} s and was "
                          "stopped")
        data = read_results(self.results)
        if data is None:
            detail = tail.splitlines()[-1] if tail else "no results.json"
            return _fault(self.student, f"exit {self.process.returncode}: {detail}")
        return grades_row_from_json(data)


def _fault(student: str, detail: str) -> dict:
    return {"student_id": student, "total": "", "status": f"grader fault: {detail}",
            "fault": True}


def grade_all(root: Path, out_dir: Path, jobs: int = 1, secret_file=None, only=None,
              timeout_scale: float = 1.0, submission_timeout: float = 600.0,
              shard: tuple[int, int] | None = None, regrade: bool = False,
              progress=None) -> list[dict]:
    """Grade ROOT's submissions (those of `shard`), `jobs` at a time; reuse up-to-date
    results unless `regrade`; write OUT/<id>/ reports and OUT/grades.csv; return the rows."""
    from tqdm import tqdm

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    secret = load_secret(secret_file)
    folders = [f for f in submission_folders(Path(root)) if in_shard(f.name, shard)]
    workers = 4 if jobs > 1 else 6
    args = (secret_file, only, timeout_scale, workers)
    todo, running, rows = [], [], []
    for folder in folders:
        previous = None if regrade else read_results(out_dir / folder.name / "results.json")
        if previous is not None and _identity(previous) == expected_identity(folder, secret,
                                                                              only):
            rows.append(grades_row_from_json(previous) | {"reused": True})
        else:
            todo.append(folder)
    bar = progress or tqdm(total=len(todo), unit="submission", file=sys.stderr)
    try:
        while todo or running:
            while todo and len(running) < jobs:
                running.append(_Running(todo.pop(0), out_dir, args))
            time.sleep(0.05)
            for job in list(running):
                if job.process.poll() is None and (
                        time.monotonic() - job.started <= submission_timeout):
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


def merge(shard_dirs: list[Path], out_dir: Path) -> list[dict]:
    """One OUT from several shards' OUTs: every student's reports and one grades.csv."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows, seen = [], {}
    for shard in map(Path, shard_dirs):
        if not shard.is_dir():
            raise GraderFault(f"{shard} is not a folder")
        for student in sorted(p for p in shard.iterdir() if p.is_dir() and not p.is_symlink()):
            data = read_results(student / "results.json")
            if data is None:
                continue
            if student.name in seen:
                raise GraderFault(f"{student.name} is in both {seen[student.name]} and {shard}")
            seen[student.name] = shard
            target = out_dir / student.name
            if target.resolve() != student.resolve():
                target.mkdir(exist_ok=True)
                for name in ("results.json", "feedback.txt"):
                    if (student / name).is_file():
                        shutil.copyfile(student / name, target / name)
            rows.append(grades_row_from_json(data))
    write_grades_csv(rows, out_dir / "grades.csv")
    return rows
