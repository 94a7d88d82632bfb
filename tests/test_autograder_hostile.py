"""Hostile and broken submissions: each gets a score and a clear message, the grader survives,
nothing is left running, and the other functions (and submissions) are graded as usual.

Each case grades the hostile function next to a healthy neighbour from the same module.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.grader import grade_submission
from autograder.sandbox import detect, uid_range
from autograder.seeding import Secret
from autograder.variants import make_submission

pytestmark = pytest.mark.slow
SECRET = Secret(b"hostile test secret", "test")
ROOT = Path(__file__).resolve().parents[1]


def sandbox_processes() -> list[str]:
    """Processes still running under our sandboxes' uids, allowing a second for the kernel to
    finish killing them."""
    deadline = time.monotonic() + 2
    while (alive := _sandbox_processes()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def _sandbox_processes() -> list[str]:
    if os.geteuid() != 0:
        return []  # without root the children keep our uid: nothing to tell them apart
    ours = uid_range()
    alive = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines()
                          if ":" in line)
        except OSError:
            continue
        zombie = fields.get("State", "").strip().startswith("Z")
        if int(fields.get("Uid", "0").split()[0]) in ours and not zombie:
            alive.append(f"{status.parent.name}: {fields.get('Name', '').strip()}")
    return alive


@pytest.fixture(autouse=True, params=["bwrap", "unshare"])
def mechanism(request, monkeypatch):
    """Every hostile submission under bubblewrap and under the unshare fallback."""
    chosen = detect.__wrapped__(request.param)
    if chosen.mechanism != request.param:
        pytest.skip(f"{request.param} unavailable here (apt-get install bubblewrap; run as root)")
    monkeypatch.setattr("autograder.grader.detect", lambda: chosen)
    monkeypatch.setenv("CS231N_SANDBOX", request.param)  # for the grader subprocesses
    return chosen


needs_namespaces = pytest.mark.skipif(
    detect().mechanism == "plain",
    reason="needs a PID namespace (bubblewrap or unshare as root): apt-get install bubblewrap")


def grade_hostile(tmp_path, overrides, functions):
    folder = make_submission(tmp_path / "submission", overrides)
    result = grade_submission(folder, "mallory", SECRET, functions)
    assert sandbox_processes() == []
    return {f.function: f for f in result.functions}, result


def messages(function_result):
    return " | ".join(t.message for t in function_result.tests)


def test_exit_at_import(tmp_path):
    graded, _ = grade_hostile(tmp_path, {"classifiers/cnn.py": "import sys\nsys.exit(3)\n"},
                              ["ThreeLayerConvNet", "affine_forward"])
    assert graded["ThreeLayerConvNet"].score == 0
    assert "importing your code failed: SystemExit: 3" in messages(graded["ThreeLayerConvNet"])
    assert graded["affine_forward"].score == 2


def test_hard_exit_at_import(tmp_path):
    graded, _ = grade_hostile(tmp_path, {"layers.py": "import os\nos._exit(0)\n"},
                              ["relu_forward", "softmax_loss"])
    for function in graded.values():
        assert function.score == 0
        assert "exited with code 0 while importing your code" in messages(function)


def test_syntax_error(tmp_path):
    graded, _ = grade_hostile(tmp_path, {"layers.py": "def broken(:\n    pass\n"},
                              ["affine_forward", "ThreeLayerConvNet"])
    assert graded["affine_forward"].score == graded["ThreeLayerConvNet"].score == 0
    assert "SyntaxError" in messages(graded["affine_forward"])


def test_os_exit_inside_a_function(tmp_path):
    graded, _ = grade_hostile(tmp_path, {"layers.py": '''
def relu_forward(x):
    import os
    os._exit(7)
'''}, ["relu_forward", "relu_backward"])
    assert graded["relu_forward"].score == 0
    assert "exited with code 7 during this call" in messages(graded["relu_forward"])
    assert graded["relu_backward"].score == 2


def test_infinite_loop(tmp_path):
    graded, _ = grade_hostile(tmp_path, {"layers.py": '''
def affine_forward(x, w, b):
    while True:
        pass
'''}, ["affine_forward", "affine_backward"])
    assert graded["affine_forward"].score == 0
    assert "timed out after" in messages(graded["affine_forward"])
    assert graded["affine_backward"].score == 3


def test_multi_gigabyte_allocation(tmp_path):
    graded, _ = grade_hostile(tmp_path, {"layers.py": '''
def svm_loss(x, y):
    import numpy as np
    big = np.ones(4 << 30)  # 32 GiB
    return big.sum(), x
'''}, ["svm_loss", "softmax_loss"])
    assert graded["svm_loss"].score == 0
    assert "MemoryError" in messages(graded["svm_loss"])
    assert graded["softmax_loss"].score == 4


@needs_namespaces
def test_fork_storm(tmp_path):
    graded, _ = grade_hostile(tmp_path, {"layers.py": '''
def relu_backward(dout, cache):
    import os
    while True:
        try:
            os.fork()
        except OSError:
            pass
'''}, ["relu_backward", "relu_forward"])
    assert graded["relu_backward"].score == 0
    assert "timed out" in messages(graded["relu_backward"])
    assert graded["relu_forward"].score == 1


def test_monkeypatching_numpy_and_builtins(tmp_path):
    graded, _ = grade_hostile(tmp_path, {"layers.py": '''
import builtins
import numpy
numpy.allclose = lambda *args, **kwargs: True
numpy.array_equal = lambda *args, **kwargs: True
numpy.savez = lambda *args, **kwargs: None
numpy.testing.assert_allclose = lambda *args, **kwargs: None
builtins.abs = lambda value: 0

def affine_forward(x, w, b):
    return numpy.zeros((x.shape[0], w.shape[1])), (x, w, b)
'''}, ["affine_forward", "relu_forward"])
    assert graded["affine_forward"].score == 0
    assert "relative error 1.0e+00" in messages(graded["affine_forward"])
    assert graded["relu_forward"].score == 1


def test_hard_coded_notebook_answers(tmp_path):
    graded, _ = grade_hostile(tmp_path, {"layers.py": '''
def affine_forward(x, w, b):
    import numpy as np
    correct_out = np.array([[1.49834967, 1.70660132, 1.91485297],
                            [3.25553199, 3.5141327, 3.77273342]])
    return correct_out, (x, w, b)
'''}, ["affine_forward"])
    assert graded["affine_forward"].score == 0
    assert "has shape (2, 3), expected" in messages(graded["affine_forward"])


def test_ndarray_subclass_claiming_equality(tmp_path):
    graded, _ = grade_hostile(tmp_path, {"layers.py": '''
import numpy as _np

class _AlwaysEqual(_np.ndarray):
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __array_ufunc__(self, *args, **kwargs):
        return _np.zeros(self.shape)
    def __array_function__(self, *args, **kwargs):
        return True

def affine_forward(x, w, b):
    return _np.zeros((x.shape[0], w.shape[1])).view(_AlwaysEqual), (x, w, b)
'''}, ["affine_forward"])
    assert graded["affine_forward"].score == 0
    assert "relative error" in messages(graded["affine_forward"])


def test_mutating_the_inputs(tmp_path):
    graded, _ = grade_hostile(tmp_path, {"layers.py": '''
def relu_forward(x):
    x[x < 0] = 0
    return x, x

def relu_backward(dout, cache):
    dout[cache <= 0] = 0
    return dout
'''}, ["relu_forward", "relu_backward"])
    assert graded["relu_forward"].score == 0.75
    assert graded["relu_backward"].score == 1.5
    assert "modified argument 1" in messages(graded["relu_backward"])


@needs_namespaces
def test_killing_the_parent(tmp_path):
    graded, _ = grade_hostile(tmp_path, {"layers.py": '''
def relu_forward(x):
    import os, signal
    for pid in (os.getppid(), 1, -1):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)
    except OSError:
        pass
    return x * 0, x
'''}, ["relu_forward", "relu_backward"])
    assert graded["relu_forward"].score == 0  # the grader (this process) is still here
    assert graded["relu_backward"].score == 2


def test_flooding_stdout(tmp_path):
    graded, result = grade_hostile(tmp_path, {"layers.py": '''
_reference_affine_forward = affine_forward

def affine_forward(x, w, b):
    import sys
    for _ in range(3000):
        print("spam " * 2000)
        sys.stderr.write("eggs " * 2000 + "\\n")
    return _reference_affine_forward(x, w, b)
'''}, ["affine_forward"])
    assert graded["affine_forward"].score == 2
    assert "not shown" in graded["affine_forward"].output
    from autograder.report import results_json_text
    assert len(results_json_text(result).encode()) < 1_000_000


def test_writing_fake_results_files(tmp_path):
    target = tmp_path / "results.json"
    graded, _ = grade_hostile(tmp_path, {"layers.py": f'''
def affine_forward(x, w, b):
    import glob, json, os
    fake = json.dumps({{"score": 100, "tests": []}})
    for path in [{str(target)!r}, "/autograder/results/results.json", "results.json",
                 "../results.json", "/sandbox/job/spec.json", "/sandbox/job/runner.py"]:
        try:
            with open(path, "w") as f:
                f.write(fake)
        except OSError:
            pass
    for out in glob.glob("/sandbox/out*") + glob.glob("/tmp/ag-*/*/out-*"):
        for i in range(20):
            try:
                with open(os.path.join(out, f"done_p{{i}}.json"), "w") as f:
                    json.dump({{"ok": True, "modified": []}}, f)
            except OSError:
                pass
    return x.reshape(x.shape[0], -1)[:, :w.shape[1]] * 0, (x, w, b)
'''}, ["affine_forward", "relu_forward"])
    assert not target.exists()
    assert graded["affine_forward"].score == 0
    assert graded["relu_forward"].score == 1


def test_searching_the_disk_for_the_reference(tmp_path, mechanism):
    if mechanism.mechanism != "bwrap":
        pytest.skip("only bubblewrap hides the file system (sandbox-info says so elsewhere)")
    graded, _ = grade_hostile(tmp_path, {"layers.py": '''
def affine_forward(x, w, b):
    import os
    found = []
    for top in ("/work", "/home", "/srv", "/autograder", "/tmp", "/sandbox", "/root", "/opt"):
        for root, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if d not in ("site-packages", "python3.11", "submission")]
            for name in files:
                path = os.path.join(root, name)
                try:
                    with open(path, errors="ignore") as f:
                        text = f.read(200_000)
                except OSError:
                    continue
                if "BEGIN SOLUTION" in text or "HMAC" in text or "expected" in name:
                    found.append(path)
    print("found", len(found), found[:5], flush=True)
    return None, None
'''}, ["affine_forward"])
    assert graded["affine_forward"].score == 0
    assert "found 0 []" in graded["affine_forward"].output


@needs_namespaces
def test_hostile_submission_does_not_affect_the_batch(tmp_path):
    """grade-all: a fork storm and a parent killer next to an honest student."""
    root = tmp_path / "submissions"
    make_submission(root / "honest")
    make_submission(root / "storm", {"layers.py": '''
def affine_forward(x, w, b):
    import os, signal
    os.kill(os.getppid(), signal.SIGKILL)
    while True:
        try:
            os.fork()
        except OSError:
            pass
'''})
    done = subprocess.run([sys.executable, "-m", "autograder", "grade-all", str(root), "-o",
                           str(tmp_path / "out"), "--jobs", "2", "--only", "affine_forward",
                           "relu_forward"], cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    honest = json.loads((tmp_path / "out" / "honest" / "results.json").read_text())
    storm = json.loads((tmp_path / "out" / "storm" / "results.json").read_text())
    assert honest["score"] == 3 and storm["score"] == 1


def test_symlinks_to_the_reference_are_not_followed(tmp_path):
    """A submission whose package (or a module) links to the reference gets nothing from it."""
    from autograder.reference import REFERENCE_DIR
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "cs231n").symlink_to(REFERENCE_DIR / "cs231n")
    result = grade_submission(linked, "mallory", SECRET, ["affine_forward"])
    assert result.score == 0 and "symbolic link" in result.tests[0].message
    folder = make_submission(tmp_path / "module", stub=True)
    (folder / "cs231n" / "layers.py").unlink()
    (folder / "cs231n" / "layers.py").symlink_to(REFERENCE_DIR / "cs231n" / "layers.py")
    result = grade_submission(folder, "mallory", SECRET, ["affine_forward"])
    assert result.score == 0 and "skipped symlink layers.py" in result.problems
