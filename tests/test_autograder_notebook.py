"""autograder.notebook.check: the bridge nbgrader's hidden test cells call."""

import pytest

from autograder.notebook import check, student_id_from
from autograder.variants import make_submission


@pytest.fixture
def autograded(tmp_path, monkeypatch):
    """nbgrader's layout: the kernel runs in autograded/<student_id>/assignment2/."""
    def make(stub=False, overrides=None):
        folder = make_submission(tmp_path / "autograded" / "alice" / "assignment2", overrides,
                                 stub=stub)
        monkeypatch.chdir(folder)
        return folder
    return make


def test_student_id_from_the_nbgrader_layout(tmp_path, monkeypatch):
    folder = tmp_path / "autograded" / "s123" / "assignment2"
    folder.mkdir(parents=True)
    assert student_id_from(folder) == "s123"
    monkeypatch.delenv("CS231N_STUDENT_ID", raising=False)
    assert student_id_from(tmp_path) == "anonymous"
    monkeypatch.setenv("CS231N_STUDENT_ID", "from-env")
    assert student_id_from(tmp_path) == "from-env"


def test_check_returns_points_and_prints_to_stdout_only(autograded, capfd):
    autograded()
    assert check("relu_forward") == 1.0
    out, err = capfd.readouterr()
    assert "relu_forward: 1 / 1 points" in out and "PASS" in out
    assert err == ""


def test_check_gives_partial_credit(autograded, capfd):
    autograded(overrides={"layers.py": "def relu_forward(x):\n    x[x < 0] = 0\n    return x, x\n"})
    assert check("relu_forward") == 0.75
    out, err = capfd.readouterr()
    assert "FAIL inputs left unmodified" in out and err == ""


def test_check_raises_with_feedback_when_nothing_passes(autograded, capfd):
    autograded(stub=True)
    with pytest.raises(AssertionError, match="NotImplementedError"):
        check("conv_forward_naive")
    out, err = capfd.readouterr()
    assert "conv_forward_naive: 0 / 10 points" in out and err == ""


def test_check_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown graded function 'conv'"):
        check("conv")


def test_a_notebook_is_graded_once_not_once_per_cell(autograded, monkeypatch):
    """Does the second cell of a notebook reuse the first cell's grader run?"""
    from autograder import notebook
    autograded()
    runs = []
    real_run = notebook.subprocess.run
    monkeypatch.setattr(notebook.subprocess, "run",
                        lambda *a, **k: runs.append(a) or real_run(*a, **k))
    assert check("relu_forward") == 1.0
    assert check("affine_backward") == 3.0  # same notebook (Layers): no second run
    assert len(runs) == 1
    assert check("conv_forward_naive") == 10.0  # another notebook: its own run
    assert len(runs) == 2


def test_an_edited_submission_is_graded_again(autograded):
    """Is a cached grade dropped when the student's file changes?"""
    folder = autograded()
    assert check("relu_forward") == 1.0
    layers = folder / "cs231n" / "layers.py"
    layers.write_text(layers.read_text()
                      + "\n\ndef relu_forward(x):\n    raise NotImplementedError\n")
    with pytest.raises(AssertionError, match="relu_forward: 0 / 1"):
        check("relu_forward")
