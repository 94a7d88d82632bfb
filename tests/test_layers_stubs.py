"""The student view of the reference layers: what is left once solution regions are stripped.

Each graded function must become a stub that still validates its input (a ValueError for bad
input) and raises NotImplementedError for good input; the sandwich layers (provided code) must
keep working.  Runs the stripped package in a fresh interpreter so it cannot shadow the
reference ``cs231n`` imported by the other tests.
"""

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

regions = pytest.importorskip("kit.release.regions", reason="kit.release.regions not present")

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "assignment" / "cs231n"

GRADED_LAYERS = [
    "affine_forward", "affine_backward", "relu_forward", "relu_backward", "svm_loss",
    "softmax_loss", "conv_forward_naive", "conv_backward_naive", "max_pool_forward_naive",
    "max_pool_backward_naive", "batchnorm_forward", "batchnorm_backward",
    "spatial_batchnorm_forward", "spatial_batchnorm_backward", "spatial_groupnorm_forward",
    "spatial_groupnorm_backward",
]


def test_every_graded_function_has_one_region_with_docstring_outside():
    """Does each graded layer hold a solution region, after its docstring and validation?"""
    text = (PACKAGE / "layers.py").read_text()
    found = regions.find_regions(text, "layers.py")
    functions = {node.name: node for node in ast.parse(text).body
                 if isinstance(node, ast.FunctionDef)}
    by_function = {}
    for region in found:
        by_function.setdefault(region.function, []).append(region)
    for name in GRADED_LAYERS:
        assert name in by_function, f"{name} has no solution region"
        node = functions[name]
        assert ast.get_docstring(node), f"{name} has no docstring"
        docstring_end = node.body[0].end_lineno
        assert all(region.begin > docstring_end for region in by_function[name])
        assert "Parameters" in ast.get_docstring(node) or name.endswith("backward")
        assert "Returns" in ast.get_docstring(node)
    cnn_regions = regions.find_regions((PACKAGE / "classifiers" / "cnn.py").read_text(), "cnn")
    assert {region.function for region in cnn_regions} == {
        "ThreeLayerConvNet.__init__", "ThreeLayerConvNet.loss"}
    assert regions.find_regions((PACKAGE / "layer_utils.py").read_text(), "layer_utils") == []


STUB_SCRIPT = textwrap.dedent(
    """
    import numpy as np
    from cs231n import layers

    def expect(error, call, name):
        try:
            call()
        except error:
            return
        except Exception as other:
            raise SystemExit(f"{name}: expected {error.__name__}, got {other!r}")
        raise SystemExit(f"{name}: expected {error.__name__}, nothing raised")

    x4, w4, b = np.zeros((2, 3, 5, 5)), np.zeros((4, 3, 3, 3)), np.zeros(4)
    cases = {
        "affine_forward": (lambda: layers.affine_forward(np.zeros((2, 3)), np.zeros((3, 4)), b),
                           lambda: layers.affine_forward(np.zeros((2, 3)), np.zeros((5, 4)), b)),
        "relu_forward": (lambda: layers.relu_forward(x4), None),
        "svm_loss": (lambda: layers.svm_loss(np.zeros((2, 3)), np.array([0, 1])),
                     lambda: layers.svm_loss(np.zeros((2, 3)), np.array([0, 3]))),
        "softmax_loss": (lambda: layers.softmax_loss(np.zeros((2, 3)), np.array([0, 1])),
                         lambda: layers.softmax_loss(np.zeros((2, 3)), np.array([0, 3]))),
        "conv_forward_naive": (
            lambda: layers.conv_forward_naive(x4, w4, b, {"stride": 1, "pad": 1}),
            lambda: layers.conv_forward_naive(x4, w4, b, {"stride": 3, "pad": 1})),
        "max_pool_forward_naive": (
            lambda: layers.max_pool_forward_naive(
                np.zeros((1, 1, 4, 4)), {"pool_height": 2, "pool_width": 2, "stride": 2}),
            lambda: layers.max_pool_forward_naive(
                np.zeros((1, 1, 5, 4)), {"pool_height": 2, "pool_width": 2, "stride": 2})),
        "batchnorm_forward": (
            lambda: layers.batchnorm_forward(np.zeros((2, 3)), np.ones(3), np.zeros(3),
                                             {"mode": "train"}),
            lambda: layers.batchnorm_forward(np.zeros((2, 3)), np.ones(3), np.zeros(3),
                                             {"mode": "eval"})),
        "spatial_batchnorm_forward": (
            lambda: layers.spatial_batchnorm_forward(x4, np.ones(3), np.zeros(3),
                                                     {"mode": "train"}),
            lambda: layers.spatial_batchnorm_forward(x4, np.ones(4), np.zeros(4),
                                                     {"mode": "train"})),
        "spatial_groupnorm_forward": (
            lambda: layers.spatial_groupnorm_forward(x4, np.ones((1, 3, 1, 1)),
                                                     np.zeros((1, 3, 1, 1)), 3, {}),
            lambda: layers.spatial_groupnorm_forward(x4, np.ones((1, 3, 1, 1)),
                                                     np.zeros((1, 3, 1, 1)), 2, {})),
    }
    for name, (good, bad) in cases.items():
        expect(NotImplementedError, good, name)
        if bad is not None:
            expect(ValueError, bad, name + " (bad input)")

    from cs231n.classifiers.cnn import ThreeLayerConvNet
    expect(NotImplementedError, lambda: ThreeLayerConvNet(input_dim=(3, 8, 8)), "cnn init")
    expect(ValueError, lambda: ThreeLayerConvNet(filter_size=4), "cnn init (bad input)")
    print("stubs ok")
    """
)


def test_stripped_package_validates_then_raises_not_implemented(tmp_path):
    """In the student view, does bad input still raise ValueError and good input stop at
    NotImplementedError naming the function?"""
    stub = tmp_path / "cs231n"
    shutil.copytree(PACKAGE, stub, ignore=shutil.ignore_patterns("__pycache__", "datasets"))
    for path in stub.rglob("*.py"):
        path.write_text(regions.strip_solutions(path.read_text(), path, "cs231n/x.py"))
    result = subprocess.run(
        [sys.executable, "-c", STUB_SCRIPT], check=False, cwd=tmp_path, capture_output=True,
        text=True, env={"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": "/usr/bin:/bin"}, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "stubs ok" in result.stdout
