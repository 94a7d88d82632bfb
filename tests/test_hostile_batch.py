"""One submission never stops the batch; the grader's own peak memory and time stay bounded;
the nbgrader bridge takes nothing from the kernel; every path draws the same seed."""

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.variants import make_submission
from tests.test_autograder_hostile import sandbox_processes

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def test_a_hung_grader_is_killed_and_the_batch_goes_on(tmp_path):
    """grade-all: a student whose grading outlasts --submission-timeout gets a grader-fault row;
    a classmate-linking student gets 0; the honest student is graded; nothing keeps running."""
    root = tmp_path / "submissions"
    make_submission(root / "honest")
    make_submission(root / "slow", {"layers.py": "import time\ntime.sleep(60)\n"})
    (root / "copycat").symlink_to(root / "honest", target_is_directory=True)
    env = dict(os.environ, TMPDIR=str(tmp_path))
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "autograder", "grade-all", str(root), "-o",
                           str(tmp_path / "out"), "--jobs", "2", "--submission-timeout", "6",
                           "--only", "affine_forward", "relu_forward"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False, timeout=120)
    elapsed = time.monotonic() - start
    assert done.returncode == 1, done.stderr  # a grader fault happened, and is reported
    with open(tmp_path / "out" / "grades.csv", newline="") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert rows["honest"]["total"] == "3"
    assert rows["copycat"]["total"] == "0"
    assert rows["slow"]["status"].startswith("grader fault: grading took more than 6 s")
    copycat = json.loads((tmp_path / "out" / "copycat" / "results.json").read_text())
    assert "copycat is a symbolic link" in copycat["output"]
    assert elapsed < 40
    assert sandbox_processes() == []


WORST = '''
def relu_forward(x):
    import numpy as np, os
    fd = int(__import__("sys").argv[5])
    os.write(fd, b"A p0 out 33554000\\n" + b"\\0" * 33554000 + b"D p0\\n")
    return np.ones(5_000_000), x

def affine_forward(x, w, b):
    import os
    for i in range(24):
        try:
            with open(f"fill{i}", "wb") as f:
                f.write(b"\\0" * (64 << 20))
        except OSError:
            break
    os.makedirs("/".join(["d"] * 2000), exist_ok=True)
    raise MemoryError("x" * 100000)
'''

MEASURE = '''
import resource, sys, time
from autograder.cli import main
start = time.monotonic()
code = main(sys.argv[1:])
print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.monotonic() - start)
'''


def test_grader_peak_memory_and_time_on_the_worst_submission(tmp_path):
    """The grader process itself (not its children) stays under 1 GiB and its limits."""
    folder = make_submission(tmp_path / "worst", {"layers.py": WORST})
    done = subprocess.run([sys.executable, "-c", MEASURE, "grade", str(folder), "-o",
                           str(tmp_path / "r.json")], cwd=ROOT, capture_output=True,
                          text=True, check=True, timeout=300,
                          env=dict(os.environ, TMPDIR=str(tmp_path)))
    code, peak_kib, seconds = done.stdout.split()[-3:]
    print(f"grader peak RSS {int(peak_kib) / 1024:.0f} MiB, wall {float(seconds):.1f} s")
    assert code == "0"
    assert int(peak_kib) < 1 << 20  # KiB: 1 GiB
    data = json.loads((tmp_path / "r.json").read_text())
    scores = data["extra_data"]["functions"]
    assert scores["relu_forward"][0] == 0 and scores["affine_forward"][0] == 0
    assert scores["conv_forward_naive"][0] == 10  # the rest of the submission as usual
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feedback.txt", "r.json", "worst"]


def test_the_nbgrader_bridge_ignores_the_kernels_environment(tmp_path, monkeypatch):
    """Student code in the kernel points CS231N_REFERENCE_DIR and the secret at its own files:
    the grader run by check() uses the installed kit's reference and secret all the same."""
    from autograder import notebook
    folder = make_submission(tmp_path / "autograded" / "eve" / "assignment2", stub=True)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("CS231N_REFERENCE_DIR", str(folder))  # stubs as the "reference"
    monkeypatch.setenv("CS231N_GRADER_SECRET", "chosen by the student")
    monkeypatch.setenv("CS231N_SANDBOX", "plain")
    notebook._graded.clear()
    with pytest.raises(AssertionError, match="NotImplementedError"):
        notebook.check("affine_forward")
    data = next(iter(notebook._graded.values()))
    assert data["score"] == 0
    assert "env CS231N_GRADER_SECRET" not in data["extra_data"]["secret"]
    assert data["extra_data"]["sandbox"]["mechanism"] != "plain" or os.geteuid() != 0


def test_every_path_draws_the_same_seed_from_one_secret_file(tmp_path, monkeypatch):
    """CLI (--secret-file), Gradescope (the zip's copy) and nbgrader (the kit's file): one seed,
    whatever white space surrounds the secret."""
    from autograder import notebook
    from kit.gradescope import course_secret
    secret_file = tmp_path / "secret"
    secret_file.write_bytes(b"course-secret \n")
    folder = make_submission(tmp_path / "autograded" / "s42" / "assignment2")

    def cli_seed(*extra):
        out = tmp_path / "cli.json"
        subprocess.run([sys.executable, "-m", "autograder", "grade", str(folder), "-o",
                        str(out), "--only", "relu_forward", *extra], cwd=ROOT, check=True,
                       capture_output=True, timeout=300)
        return json.loads(out.read_text())["extra_data"]["seed"]

    cli = cli_seed("--secret-file", str(secret_file))
    zipped = tmp_path / "grader_secret"
    zipped.write_bytes(course_secret(secret_file) + b"\n")  # as kit.gradescope.build_zip writes
    assert cli_seed("--secret-file", str(zipped)) == cli
    monkeypatch.setattr(notebook, "SECRET_FILE", secret_file)
    monkeypatch.chdir(folder)
    notebook._graded.clear()
    notebook.check("relu_forward")
    assert next(iter(notebook._graded.values()))["extra_data"]["seed"] == cli
    monkeypatch.setenv("CS231N_GRADER_SECRET", " course-secret\n")
    assert cli_seed() == cli


def test_a_grader_log_of_any_size_is_read_only_at_its_tail():
    """Does grade-all read only the last 2000 bytes of a grader process's log, whatever its
    size, and keep its last line (what a fault row shows)?"""
    from autograder.batch import log_tail

    class Counting(io.BytesIO):
        read_bytes = 0

        def read(self, size=-1):
            data = super().read(size)
            self.read_bytes += len(data)
            return data

    log = Counting(b"x" * (50 << 20) + b"\nTraceback: the last line \xff\n")
    tail = log_tail(log)
    assert tail.splitlines()[-1] == "Traceback: the last line \ufffd"
    assert log.read_bytes <= 2000
