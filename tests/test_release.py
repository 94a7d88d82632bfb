"""The release pipeline: stripping solution regions, the leak check, nbgrader's configuration,
the source notebooks' builders, and the committed student view being exactly what
``python -m kit.release`` regenerates."""

import filecmp
import importlib.util
import json
import os
import shutil
import stat
from pathlib import Path

import nbformat
import pytest
import tomllib
from nbgrader.nbgraderformat import MetadataValidator
from traitlets.config.loader import PyFileConfigLoader

from autograder.points import NOTEBOOK_OF, POINTS
from kit.notebooks import build as notebook_build
from kit.release import STEPS, LeakError, MarkerError, build_release, find_leaks, strip_solutions
from kit.release.layout import Layout
from kit.release.leak_check import reference_lines
from kit.release.package import copy_stripped_package

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "release" / "assignment2"
SOURCE = ROOT / "source_notebooks" / "source" / "assignment2"
PACKAGE = ROOT / "assignment" / "cs231n"

# --------------------------------------------------------------------------- strip regions

MODULE = '''\
import numpy as np


def relu_forward(x):
    """Docstring stays."""
    out = None
    ### BEGIN SOLUTION
    out = np.maximum(0, x)
    ### END SOLUTION
    return out, x


class Net:
    def loss(self, X):
        if X is None:
            ### BEGIN SOLUTION
            return 0
            ### END SOLUTION
        return 1
'''


def test_regions_become_stubs_naming_the_function():
    """Is each region replaced by a stub at the marker's indentation, everything else kept?"""
    stripped = strip_solutions(MODULE, "layers.py", display_path="cs231n/layers.py")
    assert "BEGIN SOLUTION" not in stripped and "np.maximum(0, x)" not in stripped
    assert ("    out = None\n    # YOUR CODE HERE\n    raise NotImplementedError("
            "'Implement relu_forward in cs231n/layers.py')\n    return out, x\n") in stripped
    assert ("            # YOUR CODE HERE\n            raise NotImplementedError("
            "'Implement Net.loss in cs231n/layers.py')\n        return 1\n") in stripped
    assert '"""Docstring stays."""' in stripped
    compile(stripped, "layers.py", "exec")


def test_stub_raises_not_implemented_error(tmp_path):
    """Does calling a stripped function raise NotImplementedError with its name?"""
    path = tmp_path / "stripped_layers.py"
    path.write_text(strip_solutions(MODULE, "layers.py"))
    spec = importlib.util.spec_from_file_location("stripped_layers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(NotImplementedError, match="Implement relu_forward in layers.py"):
        module.relu_forward(1.0)


def test_file_without_regions_is_unchanged():
    text = "def f():\n    return 1\n"
    assert strip_solutions(text, "f.py") is text


@pytest.mark.parametrize("source, line, message", [
    (("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    x = 1\n"
      "    ### END SOLUTION\n"), 3, "nested"),
    ("def f():\n    x = 0\n    ### BEGIN SOLUTION\n    x = 1\n", 3, "never closed"),
    ("def f():\n    x = 1\n    ### END SOLUTION\n", 3, "without a"),
    ("x = 0\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", 2, "not inside a function"),
], ids=["nested", "unclosed", "unopened", "module-level"])
def test_bad_markers_raise_naming_file_and_line(source, line, message):
    """Are nested, unclosed or stray markers errors naming file and line?"""
    with pytest.raises(MarkerError, match=rf"^pkg/bad\.py:{line}: .*{message}"):
        strip_solutions(source, "pkg/bad.py")


def test_marker_error_stops_the_pipeline(tmp_path):
    """Does a bad marker in the package fail copy_stripped_package, naming the file?"""
    root = tmp_path / "kit"
    package = root / "assignment" / "cs231n"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "layers.py").write_text("def f():\n    ### BEGIN SOLUTION\n    return 1\n")
    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(MarkerError, match=r"layers\.py:2: .*never closed"):
        copy_stripped_package(Layout(root=root, staging=staging))


def test_reference_package_strips_to_importable_stubs(tmp_path):
    """Does every region of the real reference package strip to code that compiles?"""
    copy_stripped_package(Layout(root=ROOT, staging=tmp_path))
    layers = (tmp_path / "cs231n" / "layers.py").read_text()
    for name, module in [(n, "layers") for n in POINTS if n != "ThreeLayerConvNet"]:
        assert f"'Implement {name} in cs231n/{module}.py'" in layers, name
    for path in (tmp_path / "cs231n").rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    assert not list(tmp_path.rglob("__pycache__"))


# --------------------------------------------------------------------------- leak check

def _notebook(*sources, outputs=False):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    if outputs:
        nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
        nb.cells[0].execution_count = 1
    return nbformat.writes(nb)


@pytest.fixture
def clean_release(tmp_path):
    """A tiny release folder with nothing wrong in it."""
    root = tmp_path / "release"
    (root / "cs231n").mkdir(parents=True)
    (root / "cs231n" / "layers.py").write_text(
        "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError('Implement f')\n")
    (root / "Layers.ipynb").write_text(_notebook("from cs231n.layers import f\nf(1)"))
    (root / "README.md").write_text("# Assignment\n")
    return root


SECRET = "out = np.maximum(0, x)  # the answer"

LEAKS = {
    "solution-marker": lambda r: (r / "cs231n" / "layers.py").write_text(
        "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"),
    "hidden-test-marker": lambda r: (r / "Layers.ipynb").write_text(
        _notebook("### BEGIN HIDDEN TESTS\nassert True\n### END HIDDEN TESTS")),
    "reference-line": lambda r: (r / "cs231n" / "extra.py").write_text(f"    {SECRET}\n"),
    "autograder-import": lambda r: (r / "Layers.ipynb").write_text(
        _notebook("from autograder.notebook import check\ncheck('f')")),
    "cache-or-binary:pycache": lambda r: (
        (r / "cs231n" / "__pycache__").mkdir(),
        (r / "cs231n" / "__pycache__" / "layers.cpython-311.pyc").write_bytes(b"\x00\x01")),
    "cache-or-binary:pyc": lambda r: (r / "cs231n" / "layers.pyc").write_bytes(b"\x00"),
    "cache-or-binary:so": lambda r: (r / "cs231n" / "_im2col.cpython-311.so").write_bytes(b"ELF"),
    "cache-or-binary:checkpoints": lambda r: (
        (r / ".ipynb_checkpoints").mkdir(),
        (r / ".ipynb_checkpoints" / "Layers-checkpoint.ipynb").write_text(_notebook("1"))),
    "cache-or-binary:data": lambda r: (r / "data_batch_1").write_bytes(b"\x80\x02}\x00q"),
    "notebook-output": lambda r: (r / "Layers.ipynb").write_text(_notebook("1", outputs=True)),
    "instructor-file": lambda r: (r / "nbgrader_config.py").write_text("c = get_config()\n"),
}


def test_clean_release_has_no_leaks(clean_release):
    assert find_leaks(clean_release, {SECRET}) == []


@pytest.mark.parametrize("kind", sorted(LEAKS))
def test_each_kind_of_leak_is_found(clean_release, kind):
    """Does the leak check fail on every kind of leak, naming the kind and the file?"""
    LEAKS[kind](clean_release)
    leaks = find_leaks(clean_release, {SECRET})
    assert kind.split(":")[0] in {leak.kind for leak in leaks}, leaks


def test_leak_check_step_keeps_the_committed_release(tmp_path):
    """Does a leak stop the pipeline before the destination is replaced?"""
    dest = tmp_path / "release" / "assignment2"
    dest.mkdir(parents=True)
    (dest / "marker.txt").write_text("previous release")

    def leak(layout):
        (layout.staging / "nbgrader_config.py").write_text("c = get_config()\n")

    with pytest.raises(LeakError, match="instructor-file: nbgrader_config.py"):
        build_release(dest, steps=[leak, STEPS[-1]])
    assert (dest / "marker.txt").read_text() == "previous release"
    assert [p.name for p in dest.parent.iterdir()] == ["assignment2"]


def test_reference_lines_are_the_solutions_only():
    """Are solution lines secret, and lines shared with provided code not?"""
    secret = reference_lines(PACKAGE, SOURCE, [ROOT / "cs231n_fast"])
    assert 'check("conv_forward_naive")' in secret
    assert "x_rows = x.reshape(x.shape[0], -1)  # (N, D)" in secret
    assert "_checks.check_affine(x, w, b)" not in secret


# --------------------------------------------------------------------------- nbgrader config

def _nbgrader_config():
    loader = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "source_notebooks"))
    return loader.load_config()


def test_exclude_overwriting_names_every_package_file():
    """Would autograding keep every .py file of the student's package (never the instructor's)?"""
    config = _nbgrader_config()
    excluded = set(config.Autograde.exclude_overwriting["assignment2"])
    package_files = {f"cs231n/{p.relative_to(PACKAGE).as_posix()}" for p in PACKAGE.rglob("*.py")
                     if "__pycache__" not in p.parts}
    assert excluded == package_files


def test_config_strips_hidden_tests_from_feedback_and_sets_the_course():
    from nbgrader.preprocessors import ClearHiddenTests

    config = _nbgrader_config()
    from kit.feedback import HideTestTracebacks, keep_only_feedback_pages

    assert ClearHiddenTests in config.GenerateFeedback.preprocessors
    assert HideTestTracebacks in config.GenerateFeedback.preprocessors
    assert config.GenerateFeedback.post_convert_hook is keep_only_feedback_pages
    assert config.CourseDirectory.course_id == "cs231n"
    assert Path(config.CourseDirectory.root) == ROOT / "source_notebooks"
    assert config.Execute.timeout >= 60
    assert "cs231n_fast" in config.CourseDirectory.ignore


def test_config_refuses_to_load_without_the_kit(tmp_path):
    """nbgrader only logs a broken config and carries on with its defaults: does ours stop
    nbgrader instead when kit.feedback cannot be imported?"""
    import subprocess
    import sys

    shutil.copyfile(ROOT / "source_notebooks" / "nbgrader_config.py",
                    tmp_path / "nbgrader_config.py")
    (tmp_path / "source" / "assignment2").mkdir(parents=True)
    shutil.copyfile(SOURCE / "Layers.ipynb", tmp_path / "source" / "assignment2" / "Layers.ipynb")
    script = ("import sys; sys.modules['kit'] = None\n"
              "sys.argv = ['nbgrader', 'generate_assignment', 'assignment2']\n"
              "from nbgrader.apps.nbgraderapp import main; main()\n")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "the cs231n kit is not importable" in done.stderr
    assert not (tmp_path / "release").exists()


def test_feedback_folder_of_an_autograded_notebook():
    from kit.feedback import feedback_folder

    notebook = "/c/autograded/bob/assignment2/Layers.ipynb"
    assert feedback_folder(notebook) == Path("/c/feedback/bob/assignment2")
    with pytest.raises(ValueError, match="autograded"):
        feedback_folder("/c/submitted/bob/assignment2/Layers.ipynb")


def test_feedback_keeps_only_the_html_pages(tmp_path):
    """Does the post-convert hook remove the files nbgrader copied into the feedback?"""
    from kit.feedback import keep_only_feedback_pages

    autograded = tmp_path / "autograded" / "bob" / "assignment2"
    feedback = tmp_path / "feedback" / "bob" / "assignment2"
    (feedback / "cs231n").mkdir(parents=True)
    autograded.mkdir(parents=True)
    (feedback / "cs231n" / "layers.py").write_text("x = 1\n")
    (feedback / "setup.py").write_text("")
    (feedback / "Layers.html").write_text("<html></html>")
    keep_only_feedback_pages("assignment2", "*", [str(autograded / "Layers.ipynb")])
    assert [p.name for p in feedback.rglob("*")] == ["Layers.html"]


def test_failed_grade_cell_traceback_is_one_line():
    """Does the feedback hide the hidden-test lines a failed check's traceback quotes?"""
    from kit.feedback import HideTestTracebacks

    cell = nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\ncheck('f')\n### END HIDDEN TESTS")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "test_f", "points": 1,
                                 "solution": False, "locked": True, "schema_version": 3}
    cell.outputs = [nbformat.v4.new_output(
        "error", ename="AssertionError", evalue="f: 0 / 1 points",
        traceback=["----> 2 check('f')", "### BEGIN HIDDEN TESTS"])]
    visible = nbformat.v4.new_code_cell("f()")
    visible.outputs = [nbformat.v4.new_output("error", ename="NotImplementedError",
                                              evalue="Implement f", traceback=["f()", "raise"])]
    nb = nbformat.v4.new_notebook(cells=[cell, visible])
    nb, _ = HideTestTracebacks().preprocess(nb, {})
    assert nb.cells[0].outputs[0].traceback == ["AssertionError: f: 0 / 1 points"]
    assert nb.cells[1].outputs[0].traceback == ["f()", "raise"]


def test_source_folder_holds_only_notebooks():
    """Is the package's single copy assignment/cs231n (nbgrader would copy others verbatim)?"""
    assert sorted(p.name for p in SOURCE.iterdir()) == [
        "ConvolutionalNetworks.ipynb", "Layers.ipynb", "SpatialBatchNormalization.ipynb"]


# --------------------------------------------------------------------------- source notebooks

def test_committed_notebooks_equal_the_builders_output():
    """Were the .ipynb files regenerated after the last change to kit/notebooks?"""
    assert notebook_build.stale(SOURCE) == [], "run: python -m kit.notebooks"


@pytest.mark.parametrize("path", sorted(SOURCE.glob("*.ipynb")), ids=lambda p: p.stem)
def test_source_notebook_metadata(path):
    """No outputs, valid nbgrader metadata, one graded cell per function with its points."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    MetadataValidator().validate_nb(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    graded = {c.metadata.nbgrader["grade_id"]: c for c in code
              if c.metadata.get("nbgrader", {}).get("grade")}
    expected = {f"test_{name}" for name, nb_name in NOTEBOOK_OF.items() if nb_name == path.stem}
    assert set(graded) == expected
    for grade_id, cell in graded.items():
        name = grade_id.removeprefix("test_")
        assert cell.metadata.nbgrader["points"] == POINTS[name]
        assert cell.metadata.nbgrader["locked"] and cell.metadata.nbgrader["schema_version"] == 3
        assert ("### BEGIN HIDDEN TESTS\nfrom autograder.notebook import check\n"
                f'check("{name}")\n### END HIDDEN TESTS') in cell.source
        # A visible check of the same function comes before its graded cell.
        index = nb.cells.index(cell)
        before = "".join(c.source for c in nb.cells[:index] if c.cell_type == "code")
        assert f"{name}(" in before or f"{name}." in before, name


# --------------------------------------------------------------------------- the release

def test_student_pyproject_builds_like_the_root_one():
    """Does the student's pyproject build cs231n_fast with the root's build settings?"""
    root = tomllib.loads((ROOT / "pyproject.toml").read_text())
    student = tomllib.loads((ROOT / "kit/release/templates/pyproject.toml").read_text())
    assert student["build-system"] == root["build-system"]
    assert student["project"]["dependencies"] == root["project"]["dependencies"]
    assert student["tool"]["setuptools"]["package-data"] == root["tool"]["setuptools"][
        "package-data"]
    packages = student["tool"]["setuptools"]["packages"]["find"]["include"]
    assert packages == [p for p in root["tool"]["setuptools"]["packages"]["find"]["include"]
                        if p.startswith("cs231n")]
    assert "autograder" not in json.dumps(student) and "kit" not in packages


def _tree(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.slow
def test_committed_release_equals_a_fresh_build(tmp_path):
    """Is release/assignment2 exactly what `python -m kit.release` builds now (golden tree)?"""
    fresh = build_release(tmp_path / "assignment2")
    assert _tree(fresh) == _tree(RELEASE), "run: python -m kit.release"
    for name in _tree(fresh):
        new, old = fresh / name, RELEASE / name
        if new.is_file():
            assert filecmp.cmp(new, old, shallow=False), (
                f"{name} differs: run python -m kit.release")
            executable = (new.stat().st_mode & stat.S_IXUSR, old.stat().st_mode & stat.S_IXUSR)
            assert bool(executable[0]) == bool(executable[1])


def test_committed_release_passes_the_leak_check():
    secret = reference_lines(PACKAGE, SOURCE, [ROOT / "cs231n_fast"])
    assert find_leaks(RELEASE, secret) == []


def test_release_holds_what_a_student_needs():
    names = set(_tree(RELEASE))
    for needed in ["Layers.ipynb", "ConvolutionalNetworks.ipynb",
                   "SpatialBatchNormalization.ipynb", "README.md", "setup.py", "pyproject.toml",
                   "collect_submission.py", "cs231n/datasets/get_datasets.sh",
                   "cs231n/layers.py", "cs231n/classifiers/cnn.py", "cs231n_fast/__init__.py"]:
        assert needed in names, needed
    assert any(n.startswith("cs231n_fast/") and n.endswith(".pyx") for n in names)
    assert os.access(RELEASE / "cs231n/datasets/get_datasets.sh", os.R_OK)


def test_collect_submission_zips_notebooks_and_package(tmp_path):
    """Does the student's collect script package exactly the notebooks and cs231n/*.py?"""
    import subprocess
    import sys
    import zipfile

    work = tmp_path / "assignment2"
    shutil.copytree(RELEASE, work)
    (work / "cs231n" / "datasets" / "big.bin").write_bytes(b"\0" * 10)
    subprocess.run([sys.executable, "collect_submission.py"], cwd=work, check=True,
                   capture_output=True)
    names = set(zipfile.ZipFile(work / "assignment2_submission.zip").namelist())
    assert {"Layers.ipynb", "cs231n/layers.py", "cs231n/classifiers/cnn.py"} <= names
    assert not any("datasets" in n or n.endswith((".so", ".pyc", ".pyx")) for n in names)


@pytest.mark.slow
def test_student_builds_the_fast_layers_from_the_release_alone(tmp_path):
    """Does `python setup.py build_ext --inplace` in a copy of the release build cs231n_fast,
    and do the notebooks' fast layers then import from that copy and compute a convolution?"""
    import subprocess
    import sys

    work = tmp_path / "assignment2"
    shutil.copytree(RELEASE, work)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    build = subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace"], cwd=work,
                           env=env, capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "[-Wmaybe-uninitialized]" not in build.stdout + build.stderr
    probe = (
        "import numpy as np, cs231n_fast\n"
        "from cs231n.fast_layers import conv_forward_fast\n"
        "x = np.random.randn(2, 3, 5, 5); w = np.random.randn(4, 3, 3, 3); b = np.zeros(4)\n"
        "out, _ = conv_forward_fast(x, w, b, {'stride': 1, 'pad': 0})\n"
        "windows = np.lib.stride_tricks.sliding_window_view(x, (3, 3), axis=(2, 3))\n"
        "expected = np.einsum('nchwij,fcij->nfhw', windows, w)\n"
        "assert np.allclose(out, expected), abs(out - expected).max()\n"
        "print(cs231n_fast.__file__)\n")
    run = subprocess.run([sys.executable, "-c", probe], cwd=work, env=env,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert Path(run.stdout.strip()).parent == work / "cs231n_fast"


@pytest.mark.parametrize("built", ["not-built", "not-installed"])
def test_unbuilt_fast_layers_say_once_what_to_do(tmp_path, built):
    """In a copy of the release whose kernels are not built (or with no cs231n_fast at all),
    does importing the fast layers raise one ImportError that says `pip install -e .` in the
    assignment folder and restart the kernel, without chained errors, "kit root", `make build`
    or Python's circular-import text?"""
    import subprocess
    import sys

    work = tmp_path / "assignment2"
    shutil.copytree(RELEASE, work)
    if built == "not-installed":
        shutil.rmtree(work / "cs231n_fast")
    # -S: no site-packages, so the kit's own installed cs231n_fast cannot be found.
    probe = ("import sys, traceback\n"
             f"sys.path.insert(0, {str(work)!r})\n"
             "try:\n"
             "    import cs231n.fast_layers\n"
             "except ImportError as error:\n"
             "    print(''.join(traceback.format_exception(error)))\n")
    run = subprocess.run([sys.executable, "-I", "-S", "-c", probe], cwd=work,
                         capture_output=True, text=True, check=False)
    shown = run.stdout
    assert shown.count("Traceback") == 1 and shown.count("ImportError:") == 1, shown
    assert "above exception" not in shown and "circular import" not in shown
    assert "kit root" not in shown and "make build" not in shown
    assert "assignment folder" in shown and "`pip install -e .`" in shown
    assert "restart the kernel" in shown
