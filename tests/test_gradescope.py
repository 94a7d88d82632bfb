"""The Gradescope path: upload layouts, the autograder.zip contents, and run_autograder end to end.

The end-to-end test unpacks the real zip into a temporary ``autograder/`` tree (the scripts honour
``AUTOGRADER_ROOT``), builds its ``cs231n_fast`` sources as ``setup.sh`` would, and grades sample
submissions with ``run_autograder``.  ``setup.sh`` itself is only syntax-checked: its apt and pip
steps would reinstall this machine's packages.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.gradescope.layout import assemble
from autograder.sandbox.cleanup import remove_tree

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "autograder" / "gradescope"


@pytest.fixture
def student_view(tmp_path):
    """A miniature student view: two notebooks and a stubbed package with a nested module."""
    view = tmp_path / "view"
    (view / "cs231n" / "classifiers").mkdir(parents=True)
    for name in ("Layers.ipynb", "ConvolutionalNetworks.ipynb"):
        (view / name).write_text("stub notebook")
    for relative in ("__init__.py", "layers.py", "classifiers/__init__.py", "classifiers/cnn.py"):
        (view / "cs231n" / relative).write_text("# stub\n")
    return view


def _upload(tmp_path, files):
    upload = tmp_path / "submission"
    for relative, text in files.items():
        (upload / relative).parent.mkdir(parents=True, exist_ok=True)
        (upload / relative).write_text(text)
    return upload


@pytest.mark.parametrize("prefix", ["", "assignment2/", "my zip/assignment2/"],
                         ids=["top", "folder", "nested"])
def test_tree_upload_keeps_paths(tmp_path, student_view, prefix):
    """Is an uploaded cs231n/ tree used at its own paths, wherever it sits in the upload?"""
    upload = _upload(tmp_path, {
        f"{prefix}cs231n/layers.py": "# student layers\n",
        f"{prefix}cs231n/classifiers/cnn.py": "# student cnn\n",
        f"{prefix}cs231n/helpers.py": "# student helper\n",
        f"{prefix}Layers.ipynb": "student notebook",
    })
    out = tmp_path / "out"
    result = assemble(upload, student_view, out)
    assert result.layout == "tree"
    assert (out / "cs231n/layers.py").read_text() == "# student layers\n"
    assert (out / "cs231n/classifiers/cnn.py").read_text() == "# student cnn\n"
    assert (out / "cs231n/helpers.py").is_file()
    assert (out / "Layers.ipynb").read_text() == "student notebook"
    assert (out / "ConvolutionalNetworks.ipynb").read_text() == "stub notebook"


def test_flat_upload_is_placed_by_name(tmp_path, student_view):
    """Do loose layers.py / cnn.py land at their package paths, and the rest get reported?"""
    upload = _upload(tmp_path, {
        "layers.py": "# student layers\n",
        "cnn.py": "# student cnn\n",
        "__init__.py": "# ambiguous\n",
        "notes.py": "# unknown\n",
        "Layers.ipynb": "student notebook",
        "__MACOSX/layers.py": "# resource fork junk\n",
    })
    out = tmp_path / "out"
    result = assemble(upload, student_view, out)
    assert result.layout == "flat"
    assert (out / "cs231n/layers.py").read_text() == "# student layers\n"
    assert (out / "cs231n/classifiers/cnn.py").read_text() == "# student cnn\n"
    assert (out / "cs231n/__init__.py").read_text() == "# stub\n"
    assert (out / "Layers.ipynb").read_text() == "student notebook"
    assert sorted(result.used) == [
        "Layers.ipynb", "cs231n/classifiers/cnn.py", "cs231n/layers.py"]
    summary = result.summary()
    assert "__init__.py (name is ambiguous)" in summary
    assert "notes.py (not a file of the assignment)" in summary


def test_symlinks_are_not_followed(tmp_path, student_view):
    """Can a link in the upload pull a grader file into the graded package?  It must not."""
    secret = tmp_path / "grader_secret"
    secret.write_text("do not leak")
    upload = _upload(tmp_path, {"cs231n/layers.py": "# student layers\n"})
    (upload / "cs231n" / "leak.py").symlink_to(secret)
    (upload / "cs231n" / "linked").symlink_to(tmp_path, target_is_directory=True)
    out = tmp_path / "out"
    result = assemble(upload, student_view, out)
    assert not (out / "cs231n" / "leak.py").exists()
    assert "do not leak" not in "".join(p.read_text() for p in out.rglob("*") if p.is_file())
    assert "cs231n/leak.py (symbolic link: not followed)" in result.summary()


def test_linked_packages_odd_files_and_deep_trees_are_reported(tmp_path, student_view):
    """A linked cs231n/, a FIFO or folder named like a module, 2000 nested folders: each is
    named in the summary, nothing crashes, and the stubs stay where nothing usable came."""
    upload = tmp_path / "submission"
    (upload / "assignment2").mkdir(parents=True)
    (upload / "assignment2" / "cs231n").symlink_to(student_view / "cs231n",
                                                   target_is_directory=True)
    os.mkfifo(upload / "layers.py")
    (upload / "cnn.py").mkdir()
    deep = upload / "deep"
    deep.mkdir()
    fd = os.open(deep, os.O_RDONLY)
    for _ in range(2000):
        os.mkdir("d", dir_fd=fd)
        child = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = child
    os.close(fd)
    try:
        result = assemble(upload, student_view, tmp_path / "out")
    finally:
        remove_tree(deep)  # pytest's own cleanup would recurse 2000 deep
    summary = result.summary()
    assert "assignment2/cs231n (symbolic link: not followed" in summary
    assert "layers.py (not a regular file)" in summary
    assert result.used == []
    assert (tmp_path / "out" / "cs231n/layers.py").read_text() == "# stub\n"


def test_empty_upload_grades_the_stubs(tmp_path, student_view):
    result = assemble(tmp_path / "submission", student_view, tmp_path / "out")
    assert result.layout == "empty" and result.used == []
    assert (tmp_path / "out" / "cs231n/layers.py").read_text() == "# stub\n"


def test_scripts_are_valid_bash():
    for script in ("setup.sh", "run_autograder"):
        subprocess.run(["bash", "-n", str(SCRIPTS / script)], check=True)
        assert os.access(SCRIPTS / script, os.X_OK), f"{script} is not executable"


def test_requirements_are_pinned():
    """Is every requirement pinned to the exact version this environment runs?"""
    from importlib import metadata

    from kit.gradescope import requirements_text

    lines = [line for line in requirements_text().splitlines() if not line.startswith("#")]
    pins = dict(line.split("==") for line in lines)
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][^\s=]*", line) for line in lines), lines
    lower = {name.lower(): version for name, version in pins.items()}
    for name in ("numpy", "cython", "setuptools"):
        assert lower[name] == metadata.version(name)


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    if not (ROOT / "release" / "assignment2" / "cs231n").is_dir():
        pytest.fail("release/assignment2 is missing: run `make release`")
    from kit.gradescope import build_zip

    path = tmp_path_factory.mktemp("zip") / "autograder.zip"
    build_zip(path)
    return path


def test_zip_contents(autograder_zip):
    """Does the zip hold the scripts, the grader, the reference, the student view and no junk?"""
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    for needed in ("setup.sh", "run_autograder", "requirements.txt", "pyproject.toml",
                   "setup.py", "autograder/__main__.py", "autograder/points.py",
                   "assignment/cs231n/layers.py", "release/assignment2/cs231n/layers.py",
                   "cs231n_fast/__init__.py"):
        assert needed in names, needed
    assert any(name.startswith("cs231n_fast/") and name.endswith(".pyx") for name in names)
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    junk = [n for n in names if "__pycache__" in n or n.endswith((".so", ".pyc", ".c"))
            or "cifar-10-batches-py" in n or n.startswith("autograder/samples/")]
    assert junk == []


def test_zip_is_reproducible(autograder_zip, tmp_path):
    from kit.gradescope import build_zip

    build_zip(tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == autograder_zip.read_bytes()


@pytest.fixture(scope="module")
def autograder_root(autograder_zip, tmp_path_factory):
    """The zip unpacked into ROOT/source with cs231n_fast built from the bundled sources."""
    root = tmp_path_factory.mktemp("gradescope") / "autograder"
    source = root / "source"
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(source)
    for script in ("setup.sh", "run_autograder"):
        (source / script).chmod(0o755)
    # setup.sh's `pip install -e` step would rewire this venv; build in place instead.
    subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=source,
                   check=True, capture_output=True)
    return root


def _run_autograder(root, upload):
    submission = root / "submission"
    if submission.exists():
        shutil.rmtree(submission)
    shutil.copytree(upload, submission)
    results = root / "results" / "results.json"
    if results.exists():
        results.unlink()
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    env.pop("PYTHONPATH", None)
    process = subprocess.run([str(root / "source" / "run_autograder")], env=env,
                             capture_output=True, text=True, timeout=900, check=False)
    assert process.returncode == 0, process.stderr
    return json.loads(results.read_text())


def test_secret_goes_in_only_when_given(tmp_path, autograder_zip):
    from kit.gradescope import SECRET_NAME, build_zip

    with zipfile.ZipFile(autograder_zip) as archive:
        assert SECRET_NAME not in archive.namelist()
    build_zip(tmp_path / "secret.zip", secret=b"course secret")
    with zipfile.ZipFile(tmp_path / "secret.zip") as archive:
        info = archive.getinfo(SECRET_NAME)
        assert archive.read(info).strip() == b"course secret"
        assert (info.external_attr >> 16) & 0o077 == 0


@pytest.fixture(scope="module")
def samples_dir(tmp_path_factory):
    from autograder.samples.build import build_samples

    out = tmp_path_factory.mktemp("samples")
    build_samples(out, ["perfect", "maxpool_routes_to_all"])
    return out


def _metadata(root, user_id):
    (root / "submission_metadata.json").write_text(json.dumps(
        {"id": 1, "users": [{"id": user_id, "email": f"{user_id}@example.edu", "name": "S"}]}))


@pytest.mark.slow
def test_run_autograder_grades_a_tree_upload(autograder_root, samples_dir):
    """Does the unpacked zip give the perfect submission (as zipped by students) 100?"""
    _metadata(autograder_root, 4242)
    results = _run_autograder(autograder_root, samples_dir / "perfect")
    assert results["score"] == pytest.approx(100)
    assert results["extra_data"]["student_id"] == "4242"
    assert "Submission layout: tree" in results["output"]
    assert all(test["score"] == test["max_score"] for test in results["tests"])


@pytest.mark.slow
def test_run_autograder_grades_flat_files(autograder_root, samples_dir, tmp_path):
    """Are loose layers.py and cnn.py graded as the student's own, bug included?"""
    from autograder.samples import get_sample

    upload = tmp_path / "upload"
    upload.mkdir()
    sample = samples_dir / "maxpool_routes_to_all"
    shutil.copy(sample / "cs231n" / "layers.py", upload)
    shutil.copy(sample / "cs231n" / "classifiers" / "cnn.py", upload)
    _metadata(autograder_root, 7)
    results = _run_autograder(autograder_root, upload)
    lost = get_sample("maxpool_routes_to_all").loses["max_pool_backward_naive"]
    assert results["score"] == pytest.approx(100 - lost)
    functions = results["extra_data"]["functions"]
    assert functions["max_pool_backward_naive"][0] == pytest.approx(6 - lost)
    assert "Submission layout: flat" in results["output"]


@pytest.mark.slow
def test_run_autograder_reports_an_empty_upload(autograder_root, tmp_path):
    """Does an upload with nothing usable get 0 and a message, not a crashed autograder?"""
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "essay.txt").write_text("I did my best")
    results = _run_autograder(autograder_root, upload)
    assert results["score"] == 0
    assert "files used: none" in results["output"]
    assert results["tests"], "every graded test should still be listed"
