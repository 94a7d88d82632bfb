"""grade-all that loses nothing: killed part-way and resumed, split into shards and merged,
it gives exactly the grades of one uninterrupted run."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.batch import in_shard, parse_shard
from autograder.variants import make_submission
from tests.test_autograder_hostile import sandbox_processes

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
ONLY = ["affine_forward", "relu_forward", "softmax_loss"]
BUG = {"layers.py": "def relu_forward(x):\n    return x, x\n"}


@pytest.fixture(scope="module")
def class_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    for student in ("ada", "bob", "cy", "dee", "eve", "fay"):
        make_submission(root / student, BUG if student in ("bob", "eve") else None,
                        stub=student == "cy")
    return root


def grade_all(root, out, *extra, wait=True):
    command = [sys.executable, "-m", "autograder", "grade-all", str(root), "-o", str(out),
               "--only", *ONLY, *extra]
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done


def grades(out: Path) -> dict:
    with open(out / "grades.csv", newline="") as f:
        return {row["student_id"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def uninterrupted(class_root, tmp_path_factory):
    out = tmp_path_factory.mktemp("once")
    grade_all(class_root, out)
    return grades(out)


def test_a_killed_batch_resumes_to_the_same_grades(class_root, uninterrupted, tmp_path):
    """SIGKILL grade-all after its first student, run it again: same grades, nothing corrupt,
    nothing left running, finished students not graded twice."""
    out = tmp_path / "out"
    process = grade_all(class_root, out, wait=False)
    deadline = time.monotonic() + 300
    while not (out / "grades.csv").is_file() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert (out / "grades.csv").is_file(), "no student finished before the kill"
    partial = grades(out)  # parses: never a truncated file
    assert 1 <= len(partial) < 6
    time.sleep(1)
    assert sandbox_processes() == []
    done = grade_all(class_root, out)
    assert "up-to-date results reused" in done.stderr
    assert grades(out) == uninterrupted
    for student in uninterrupted:
        json.loads((out / student / "results.json").read_text())


def test_regrade_when_the_files_change(class_root, uninterrupted, tmp_path):
    out = tmp_path / "out"
    grade_all(class_root, out)
    again = grade_all(class_root, out)
    assert "6 up-to-date results reused" in again.stderr
    path = class_root / "bob" / "cs231n" / "layers.py"
    original = path.read_text()
    try:
        path.write_text(original + "\ndef relu_forward(x):\n    return x * (x > 0), x\n")
        changed = grade_all(class_root, out)
        assert "5 up-to-date results reused" in changed.stderr
        assert grades(out)["bob"]["relu_forward"] == "1"
    finally:
        path.write_text(original)
    forced = grade_all(class_root, out, "--regrade")
    assert "reused" not in forced.stderr
    assert grades(out) == uninterrupted


def test_three_shards_merged_equal_one_run(class_root, uninterrupted, tmp_path):
    shards = [tmp_path / f"shard{i}" for i in (1, 2, 3)]
    for i, shard in enumerate(shards, 1):
        grade_all(class_root, shard, "--shard", f"{i}/3")
    sizes = [len(grades(shard)) for shard in shards]
    assert sum(sizes) == 6
    subprocess.run([sys.executable, "-m", "autograder", "merge", *map(str, shards), "-o",
                    str(tmp_path / "merged")], cwd=ROOT, check=True, capture_output=True,
                   timeout=120)
    assert grades(tmp_path / "merged") == uninterrupted
    assert (tmp_path / "merged" / "ada" / "feedback.txt").is_file()


def test_shards_are_a_partition():
    students = [f"s{i}" for i in range(200)]
    owners = [[i for i in (1, 2, 3) if in_shard(s, (i, 3))] for s in students]
    assert all(len(o) == 1 for o in owners)
    assert all(30 < sum(o == [i] for o in owners) < 110 for i in (1, 2, 3))
    for bad in ("0/3", "4/3", "a/b", "3"):
        with pytest.raises(ValueError, match="--shard"):
            parse_shard(bad)
