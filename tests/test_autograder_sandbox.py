"""The sandbox says what it enforces, and the weaker fallbacks still grade."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.sandbox import Limits, detect
from autograder.sandbox.channel import parse_npy

ROOT = Path(__file__).resolve().parents[1]


def test_detect_reports_protections():
    sandbox = detect()
    info = sandbox.describe()
    assert info["mechanism"] in ("bwrap", "unshare", "plain")
    assert any("rlimits" in line for line in info["enforced"])
    if sandbox.mechanism == "bwrap" and os.geteuid() == 0:
        assert any("unprivileged uid" in line for line in info["enforced"])
        assert any("no network" in line for line in info["enforced"])


@pytest.mark.slow
def test_plain_fallback_grades_and_says_what_it_lacks(tmp_path):
    from autograder.variants import make_submission
    folder = make_submission(tmp_path / "s")
    env = dict(os.environ, CS231N_SANDBOX="plain")
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(folder), "-o",
                           str(tmp_path / "r.json"), "--only", "relu_forward"], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["score"] == 1
    sandbox = data["extra_data"]["sandbox"]
    assert sandbox["mechanism"] == "plain"
    assert any("network not blocked" in line for line in sandbox["not_enforced"])


def test_unknown_mechanism_is_refused():
    with pytest.raises(ValueError, match="CS231N_SANDBOX"):
        detect.__wrapped__("docker")


def npy_bytes(array) -> bytes:
    import io

    import numpy as np
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def test_results_with_objects_are_refused():
    """Only plain numeric arrays cross back: no pickles, no object or text arrays."""
    import numpy as np
    with pytest.raises(ValueError, match="not a plain numeric type"):
        parse_npy(npy_bytes(np.array([{"a": 1}], dtype=object)))
    with pytest.raises(ValueError, match="not a plain numeric type"):
        parse_npy(npy_bytes(np.array(["text"])))
    array = parse_npy(npy_bytes(np.arange(3.0)))
    assert type(array) is np.ndarray and array.tolist() == [0.0, 1.0, 2.0]


def test_limits_are_sane():
    limits = Limits()
    assert limits.output_bytes <= 64 << 10 and limits.processes <= 128
