"""Both views of the notebooks run in a real Jupyter kernel (nbclient), headless.

- Source view: each source notebook, next to a copy of the reference ``cs231n``, runs top to
  bottom in quick mode on ``../shared/data``; every visible check passes and every hidden test
  cell (``autograder.notebook.check``) awards the function's full points.
- Student view: each release notebook, with the stubbed package, runs until the first function
  still to write and stops there with NotImplementedError naming it.

The nbgrader round trip (students' own files graded, feedback without hidden tests) is in
``test_nbgrader_e2e.py``.
"""

import os
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from autograder.points import NOTEBOOK_OF, POINTS

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source_notebooks" / "source" / "assignment2"
RELEASE = ROOT / "release" / "assignment2"
PACKAGE = ROOT / "assignment" / "cs231n"
NOTEBOOKS = ["Layers", "ConvolutionalNetworks", "SpatialBatchNormalization"]
# The first cell of each student notebook that calls a function still to write.
FIRST_STUB = {
    "Layers": ("check_affine_forward", "affine_forward"),
    "ConvolutionalNetworks": ("check_conv_forward_naive", "conv_forward_naive"),
    "SpatialBatchNormalization": ("check_batchnorm_forward_train", "batchnorm_forward"),
}
TIMES = {}


def kernel_env(cifar_dir, images_dir, quick=True, kit_on_path=True):
    """The kernel's environment: data folders, quick mode, and (for the source view) the kit
    root on the path so ``autograder`` and the built ``cs231n_fast`` import without install."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "NBGRADER_EXECUTION", "CS231N_QUICK")}
    env.update(CS231N_CIFAR10_DIR=str(cifar_dir), CS231N_IMAGES_DIR=str(images_dir),
               MPLBACKEND="agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
    if quick:
        env["CS231N_QUICK"] = "1"
    if kit_on_path:
        env["PYTHONPATH"] = str(ROOT)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def execute(path, env, allow_errors=False):
    """Run notebook ``path`` in its own folder with a fresh python3 kernel; return it executed."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    try:
        client.execute(env=env)
    finally:
        TIMES[path.name] = time.perf_counter() - start
    return nb


def text_of(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


# --------------------------------------------------------------------------- source view

@pytest.mark.parametrize("stem", [
    "Layers", pytest.param("ConvolutionalNetworks", marks=pytest.mark.slow),
    "SpatialBatchNormalization"])
def test_source_notebook_runs_with_the_reference(stem, tmp_path, cifar_dir, images_dir):
    """Does the source notebook run top to bottom on the reference, every check passing and
    every hidden test awarding full points?"""
    shutil.copyfile(SOURCE / f"{stem}.ipynb", tmp_path / f"{stem}.ipynb")
    shutil.copytree(PACKAGE, tmp_path / "cs231n", ignore=shutil.ignore_patterns("__pycache__"))
    nb = execute(tmp_path / f"{stem}.ipynb", kernel_env(cifar_dir, images_dir))
    print(f"{stem}: {TIMES[f'{stem}.ipynb']:.1f} s")

    awarded = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not any(o.output_type == "stream" and o.name == "stderr"
                       and "Traceback" in o.text for o in cell.outputs), grade_id(cell)
        if cell.metadata.get("nbgrader", {}).get("grade"):
            results = [o for o in cell.outputs if o.output_type == "execute_result"]
            assert len(results) == 1, f"{grade_id(cell)} shows no score"
            awarded[grade_id(cell).removeprefix("test_")] = float(
                results[0].data["text/plain"])
    expected = {name: float(points) for name, points in POINTS.items()
                if NOTEBOOK_OF[name] == stem}
    assert awarded == expected

    # The visible checks print errors at the course notebooks' magnitudes.
    printed = "\n".join(text_of(c) for c in nb.cells if c.cell_type == "code")
    for line in printed.splitlines():
        if line.strip().startswith(("difference:", "dx error:", "dw error:", "db error:",
                                    "dgamma error:", "dbeta error:")):
            assert float(line.split(":")[1]) < 1e-6, line
    if stem == "ConvolutionalNetworks":
        assert "Speedup:" in printed and "dx difference:" in printed
        assert "CIFAR-10 from" in printed and "Quick mode: using" in printed
        assert "W2 max relative error" in printed


# --------------------------------------------------------------------------- student view

@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_release_notebook_stops_at_the_first_stub(stem, tmp_path, cifar_dir, images_dir):
    """Does the student notebook run up to the first function to write, and stop there with a
    NotImplementedError naming it (not a confusing error earlier)?"""
    work = tmp_path / "assignment2"
    shutil.copytree(RELEASE, work)
    env = kernel_env(cifar_dir, images_dir, quick=False, kit_on_path=False)
    with pytest.raises(CellExecutionError) as failure:
        execute(work / f"{stem}.ipynb", env)
    print(f"{stem} (stubs): {TIMES[f'{stem}.ipynb']:.1f} s")
    assert failure.value.ename == "NotImplementedError"
    cell_id, function = FIRST_STUB[stem]
    assert f"Implement {function} in cs231n/layers.py" in failure.value.evalue

    nb = nbformat.read(work / f"{stem}.ipynb", as_version=4)  # the file on disk is unchanged
    first_stub = next(i for i, c in enumerate(nb.cells) if grade_id(c) == cell_id)
    assert f"{function}(" in nb.cells[first_stub].source
    assert not any(f"{name}(" in c.source for c in nb.cells[:first_stub]
                   for name in POINTS if c.cell_type == "code")


def test_optional_section_is_skipped_until_written(tmp_path, cifar_dir, images_dir):
    """With every graded function written but not the optional ones, does the student's
    SpatialBatchNormalization notebook still run to the end, each optional cell saying
    Skipped and naming the function to write?"""
    work = tmp_path / "assignment2"
    shutil.copytree(RELEASE, work)
    shutil.rmtree(work / "cs231n")
    shutil.copytree(PACKAGE, work / "cs231n", ignore=shutil.ignore_patterns("__pycache__"))
    optional = ("batchnorm_backward_alt", "layernorm_forward")
    # The stubs as the release has them, defined last in layers.py so they win.
    stubs = "".join(f"\n\ndef {name}(*args):\n    raise NotImplementedError("
                    f"'Implement {name} in cs231n/layers.py')\n" for name in optional)
    with open(work / "cs231n" / "layers.py", "a", encoding="utf-8") as layers:
        layers.write(stubs)
    nb = execute(work / "SpatialBatchNormalization.ipynb",
                 kernel_env(cifar_dir, images_dir, kit_on_path=False))
    printed = [text_of(c) for c in nb.cells if c.cell_type == "code"]
    for name in optional:
        assert sum(f"Skipped (optional): Implement {name} in cs231n/layers.py" in text
                   for text in printed) == 1, name
