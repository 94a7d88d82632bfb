"""Hostile submissions against the grader's side (issue: the grader trusted what the child
wrote).  Each runs under bubblewrap and under the unshare fallback, grades the hostile function
next to a healthy neighbour, and checks: the score a careful course staff would give, a clear
message, nothing left running, nothing left in the grader's temporary folder.
"""

import tempfile

import pytest

from autograder.grader import grade_submission
from autograder.report import feedback_text, write_submission
from autograder.sandbox import detect
from autograder.seeding import Secret
from autograder.variants import make_submission
from tests.test_autograder_hostile import sandbox_processes

pytestmark = pytest.mark.slow
SECRET = Secret(b"hostile output secret", "test")
EVENTS_FD = "int(__import__('sys').argv[5])"  # the runner's event pipe, as student code sees it


@pytest.fixture(params=["bwrap", "unshare"])
def sandbox(request):
    chosen = detect.__wrapped__(request.param)
    if chosen.mechanism != request.param:
        pytest.skip(f"{request.param} unavailable here (apt-get install bubblewrap; run as root)")
    return chosen


@pytest.fixture
def grade(tmp_path, monkeypatch, sandbox):
    grader_tmp = tmp_path / "grader-tmp"
    grader_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(grader_tmp))

    def run(overrides, functions, **kwargs):
        folder = make_submission(tmp_path / "submission", overrides, **kwargs)
        result = grade_submission(folder, "mallory", SECRET, functions, sandbox=sandbox)
        assert sandbox_processes() == []
        assert list(grader_tmp.iterdir()) == [], "the grader left files behind"
        return {f.function: f for f in result.functions}, result
    return run


def messages(function_result):
    return " | ".join(t.message for t in function_result.tests)


CORRECT_AFFINE = '''
_reference_affine_forward = affine_forward

def affine_forward(x, w, b):
    {attack}
    return _reference_affine_forward(x, w, b)
'''


def correct_affine_that(attack: str) -> dict:
    """A correct affine_forward that also does `attack` on every call."""
    body = "\n    ".join(attack.strip().splitlines())
    return {"layers.py": CORRECT_AFFINE.format(attack=body)}


def test_garbage_on_the_grader_channel_costs_only_that_probe(grade):
    graded, _ = grade({"layers.py": f'''
def relu_forward(x):
    import os
    os.write({EVENTS_FD}, b"A p0 out 99999999999\\n" + b"[" * 100000)
    return x, x
'''}, ["relu_forward", "relu_backward"])
    assert graded["relu_forward"].score == 0
    assert "the grader stopped reading your code's output" in messages(graded["relu_forward"])
    assert graded["relu_backward"].score == 2


def test_a_forged_array_header_is_refused(grade):
    graded, _ = grade({"layers.py": f'''
def relu_forward(x):
    import os
    header = b"{{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,)}}"
    npy = b"\\x93NUMPY\\x01\\x00" + len(header).to_bytes(2, "little") + header
    fd = {EVENTS_FD}
    os.write(fd, b"A p0 out %d\\n" % len(npy) + npy + b"D p0\\n")
    import time
    time.sleep(30)
'''}, ["relu_forward", "relu_backward"])
    assert graded["relu_forward"].score == 0
    assert "the array claims 1000000000000 elements" in messages(graded["relu_forward"])
    assert graded["relu_backward"].score == 2


def test_forged_result_files_links_fifos_and_deep_trees_change_nothing(grade):
    """The old protocol's files, planted everywhere the child can write: never read."""
    graded, _ = grade(correct_affine_that('''
import glob, json, os
for folder in ["."] + glob.glob("/sandbox/*") + glob.glob("/tmp/ag-*/*") + ["/tmp"]:
    for i in range(4):
        try:
            with open(os.path.join(folder, f"done_p{i}.json"), "w") as f:
                f.write("[" * 100000 + "]" * 100000)
            os.symlink("/dev/zero", os.path.join(folder, f"result_p{i}.npz"))
            os.mkfifo(os.path.join(folder, f"ready{i}"))
        except OSError:
            pass
os.makedirs("/tmp/chain", exist_ok=True)
fd = os.open("/tmp/chain", os.O_RDONLY)
for _ in range(3000):
    try:
        os.mkdir("d", dir_fd=fd)
    except FileExistsError:
        pass
    child = os.open("d", os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = child
os.close(fd)
'''), ["affine_forward", "relu_forward"])
    assert graded["affine_forward"].score == 2
    assert graded["relu_forward"].score == 1


def test_messages_with_lone_surrogates_and_escapes_reach_the_feedback(grade, tmp_path):
    graded, result = grade({"layers.py": '''
def relu_forward(x):
    raise ValueError("bad \\udcff value \\x1b[31m in red")
'''}, ["relu_forward", "relu_backward"])
    assert graded["relu_forward"].score == 0
    write_submission(result, tmp_path / "r.json", tmp_path / "feedback.txt")
    text = (tmp_path / "feedback.txt").read_text()
    assert "ValueError: bad" in text and "\x1b" not in text
    assert feedback_text(result).encode("utf-8")
    assert graded["relu_backward"].score == 2


def test_a_folder_named_like_a_module_is_skipped_with_a_message(grade, tmp_path):
    def make(path):
        folder = make_submission(path)
        (folder / "cs231n" / "gradient_check.py").unlink()
        (folder / "cs231n" / "gradient_check.py").mkdir()
        return folder
    folder = make(tmp_path / "odd")
    result = grade_submission(folder, "mallory", SECRET, ["affine_forward"])
    assert result.score == 2
    assert "skipped gradient_check.py: a folder, not a Python file" in result.problems


def test_results_too_large_and_disk_filling_stay_bounded(grade):
    """A 40 MB answer is refused unread; 24 x 64 MiB files fill only the capped scratch."""
    graded, _ = grade({"layers.py": '''
def relu_forward(x):
    import numpy as np
    return np.ones(5_000_000), x

def relu_backward(dout, cache):
    import os
    written = 0
    for i in range(24):
        try:
            with open(f"/tmp/fill{i}", "wb") as f:
                for _ in range(64):
                    f.write(b"\\0" * (1 << 20))
                    written += 1 << 20
        except OSError:
            break
    print("wrote", written >> 20, "MiB", flush=True)
    return dout * (cache > 0)
'''}, ["relu_forward", "relu_backward"])
    assert graded["relu_forward"].score == 0
    assert "more data than the grader accepts" in messages(graded["relu_forward"])
    printed = graded["relu_backward"].output
    assert "wrote" in printed, printed
    written = int(printed.split("wrote ")[1].split(" MiB")[0])
    assert 0 < written <= detect().limits.scratch_bytes >> 20
    assert graded["relu_backward"].score == 2


def test_a_module_that_is_not_utf8_does_not_crash_the_substituted_run(tmp_path):
    """A layers.py with a latin-1 comment imports (Python reads the comment as bytes) and has a
    wrong affine_forward: the convnet is regraded with the reference's layers appended to the
    student's module, which must not decode the student's bytes."""
    folder = make_submission(tmp_path / "latin1", {"layers.py": """
def affine_forward(x, w, b):
    return x.reshape(x.shape[0], -1) @ w, (x, w, b)  # forgets b
"""})
    layers = folder / "cs231n" / "layers.py"
    layers.write_bytes(layers.read_bytes() + "# r\xe9sum\xe9 of my notes\n".encode("latin-1"))
    result = grade_submission(folder, "mallory", SECRET, ["affine_forward", "ThreeLayerConvNet"])
    graded = {f.function: f for f in result.functions}
    assert graded["affine_forward"].score < 2
    assert graded["ThreeLayerConvNet"].score == 12  # graded with the reference's layers
    assert graded["ThreeLayerConvNet"].substituted
