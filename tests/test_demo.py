"""`make demo` (kit/demo.py): the score table, and a real run on two samples."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.points import POINTS
from autograder.samples import get_sample
from kit.demo import score_table

ROOT = Path(__file__).resolve().parents[1]


def _results(folder, name, scores):
    (folder / name).mkdir(parents=True)
    functions = {f: [scores.get(f, full), full] for f, full in POINTS.items()}
    (folder / name / "results.json").write_text(json.dumps(
        {"score": sum(v[0] for v in functions.values()),
         "extra_data": {"functions": functions}}))


def test_table_flags_a_sample_that_scored_differently(tmp_path):
    """Does the table say NO when a sample loses points its spec does not declare?"""
    _results(tmp_path, "perfect", {})
    _results(tmp_path, "conv_ignores_stride", {"conv_forward_naive": 10, "relu_forward": 0})
    lines, ok = score_table([get_sample("perfect"), get_sample("conv_ignores_stride")], tmp_path)
    text = "\n".join(lines)
    assert not ok
    assert "perfect" in text and "100/100" in text
    row = next(line for line in lines if line.startswith("conv_ignores_stride"))
    assert "NO" in row and "relu_forward -1" in row


def test_table_accepts_declared_losses(tmp_path):
    sample = get_sample("conv_ignores_stride")
    lost = sample.loses["conv_forward_naive"]
    _results(tmp_path, sample.name, {"conv_forward_naive": POINTS["conv_forward_naive"] - lost})
    _results(tmp_path, "stubs", dict.fromkeys(POINTS, 0))
    lines, ok = score_table([sample, get_sample("stubs")], tmp_path)
    assert ok, lines
    assert any("everything" in line for line in lines)


def test_missing_results_are_reported(tmp_path):
    lines, ok = score_table([get_sample("perfect")], tmp_path)
    assert not ok and "missing" in lines[2]


@pytest.mark.slow
def test_demo_runs_on_two_samples(tmp_path):
    """Does the demo build, grade and tabulate real samples and say where the reports are?"""
    process = subprocess.run(
        [sys.executable, "-m", "kit.demo", "--skip-release", "--out", str(tmp_path),
         "--only", "perfect", "softmax_no_max_shift"],
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    assert process.returncode == 0, process.stdout + process.stderr
    assert "softmax_loss -" in process.stdout
    assert (tmp_path / "results" / "grades.csv").is_file()
    assert (tmp_path / "results" / "perfect" / "feedback.txt").is_file()
    assert "grades CSV" in process.stdout
    assert "class report" in process.stdout and (tmp_path / "results" / "report.html").is_file()
