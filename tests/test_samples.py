"""The sample submissions: the ast patcher, the builder, and the scores grading must give them."""
# ruff: noqa: S102 - the tests exec the small patched modules they build

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autograder.samples import SAMPLES, get_sample
from autograder.samples.build import REFERENCE_PACKAGE, RELEASE_DIR, build_samples
from autograder.samples.patch import (
    SamplePatchError,
    _find,
    apply_bug_file,
    ensure_imports,
    read_bug_file,
    replace_function,
)

ROOT = Path(__file__).resolve().parents[1]

MODULE = textwrap.dedent('''\
    """A module."""
    import numpy as np


    def keep(x):
        return x


    @staticmethod
    def target(x):
        ### BEGIN SOLUTION
        return x + 1
        ### END SOLUTION


    class Net:
        def loss(self, X, y=None):
            return 1.0

        def other(self):
            return 2
    ''')


def _bug(tmp_path, source, name="bug.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


def test_replace_top_level_function_keeps_the_rest(tmp_path):
    """Does a replacement swap the whole def, decorators included, and nothing else?"""
    bug = _bug(tmp_path, "def target(x):\n    return x - 1\n")
    (replacement,), _ = read_bug_file(bug)
    patched = replace_function(MODULE, replacement)
    namespace = {}
    exec(compile(patched, "m", "exec"), namespace)
    assert namespace["target"](1) == 0
    assert namespace["keep"](3) == 3
    assert "@staticmethod" not in patched and "BEGIN SOLUTION" not in patched
    assert patched.count("def ") == MODULE.count("def ")


def test_replace_method_reindents(tmp_path):
    """Does a class block in the bug file replace only the named method, at class indentation?"""
    bug = _bug(tmp_path, """\
        class Net:
            def loss(self, X, y=None):
                return 42.0
        """)
    (replacement,), _ = read_bug_file(bug)
    assert replacement.qualname == "Net.loss"
    namespace = {}
    exec(compile(replace_function(MODULE, replacement), "m", "exec"), namespace)
    net = namespace["Net"]()
    assert net.loss(None) == 42.0 and net.other() == 2


def test_calling_reference_keeps_the_original(tmp_path):
    """Can a buggy version delegate to the original through _reference_<name>?"""
    bug = _bug(tmp_path, """\
        def target(x):
            return 10 * _reference_target(x)

        class Net:
            def loss(self, X, y=None):
                return self._reference_loss(X, y) + 1
        """)
    replacements, _ = read_bug_file(bug)
    assert [r.keeps_reference for r in replacements] == [True, True]
    patched = MODULE
    for replacement in replacements:
        patched = replace_function(patched, replacement)
    namespace = {}
    exec(compile(patched, "m", "exec"), namespace)
    assert namespace["target"](1) == 20
    assert namespace["Net"]().loss(None) == 2.0


@pytest.mark.parametrize(
    "source, match",
    [
        ("def missing(x):\n    return x\n", "missing not found"),
        ("class Net:\n    def nope(self):\n        return 0\n", "Net.nope not found"),
        ("class Other:\n    def loss(self):\n        return 0\n", "Other.loss not found"),
    ],
    ids=["function", "method", "class"],
)
def test_missing_target_fails_loudly(tmp_path, source, match):
    """Is a bug whose target moved or was renamed an error, not a silently perfect sample?"""
    (replacement,), _ = read_bug_file(_bug(tmp_path, source))
    with pytest.raises(SamplePatchError, match=match):
        replace_function(MODULE, replacement)


def test_bug_file_without_function_is_rejected(tmp_path):
    with pytest.raises(SamplePatchError, match="no function"):
        read_bug_file(_bug(tmp_path, "LOSES = {'f': 1}\n"))


def test_ambiguous_or_absent_definition_is_rejected(tmp_path):
    """Must the replaced function be defined in exactly one module of the package?"""
    package = tmp_path / "cs231n"
    package.mkdir()
    (package / "a.py").write_text("def f():\n    return 1\n")
    (package / "b.py").write_text("def f():\n    return 2\n")
    with pytest.raises(SamplePatchError, match="exactly one module"):
        apply_bug_file(_bug(tmp_path, "def f():\n    return 3\n"), package)
    with pytest.raises(SamplePatchError, match="found in no module"):
        apply_bug_file(_bug(tmp_path, "def g():\n    return 3\n"), package)


def test_missing_imports_are_added_after_the_docstring():
    text = '"""Doc."""\nimport os\n\nX = 1\n'
    patched = ensure_imports(text, ["import numpy as np", "import os"])
    assert patched == '"""Doc."""\nimport numpy as np\nimport os\n\nX = 1\n'
    assert ensure_imports(patched, ["import numpy as np"]) == patched


def test_sample_specs_are_consistent():
    """Does every sample name graded functions, with losses no larger than their points?"""
    from autograder.points import POINTS as points

    assert {"perfect", "stubs"} <= {s.name for s in SAMPLES}
    assert len({s.name for s in SAMPLES}) == len(SAMPLES)
    for sample in SAMPLES:
        assert sample.description
        for function, lost in sample.loses.items():
            assert function in points, f"{sample.name}: {function} is not graded"
            assert lost is None or 0 < lost <= points[function]
    assert get_sample("perfect").expected_total(points) == sum(points.values())
    assert get_sample("stubs").expected_total(points) == 0


def _needs_tree():
    if not (RELEASE_DIR / "cs231n").is_dir() or not (REFERENCE_PACKAGE / "layers.py").is_file():
        pytest.fail(f"the samples need {RELEASE_DIR} (make release) and {REFERENCE_PACKAGE}")


@pytest.mark.parametrize("sample", [s for s in SAMPLES if s.bug_file], ids=lambda s: s.name)
def test_bug_applies_to_the_reference(tmp_path, sample):
    """Does each bug file still find its functions in the reference, and compile?"""
    _needs_tree()
    (path,) = build_samples(tmp_path, [sample.name])
    trees = [ast.parse(m.read_text(), filename=str(m)) for m in (path / "cs231n").rglob("*.py")]
    replacements, _ = read_bug_file(sample.bug_file)
    for replacement in replacements:
        wanted = ast.dump(ast.parse(replacement.source).body[0])
        found = [_find(tree, replacement.qualname) for tree in trees]
        assert [ast.dump(node) for node in found if node is not None] == [wanted]


def test_build_layouts(tmp_path):
    """Is perfect the reference, stubs the release, and no data or cache copied?"""
    _needs_tree()
    perfect, stubs = build_samples(tmp_path, ["perfect", "stubs"])
    layers = "cs231n/layers.py"
    assert (perfect / layers).read_text() == (REFERENCE_PACKAGE / "layers.py").read_text()
    assert (stubs / layers).read_text() == (RELEASE_DIR / layers).read_text()
    notebooks = sorted(p.name for p in RELEASE_DIR.glob("*.ipynb"))
    assert sorted(p.name for p in perfect.glob("*.ipynb")) == notebooks
    assert not list(tmp_path.rglob("__pycache__")) and not list(tmp_path.rglob("*.so"))


def test_cli_rejects_unknown_sample(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "autograder.samples", "build", str(tmp_path), "--only", "nope"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 2 and "no sample named 'nope'" in result.stderr


@pytest.fixture(scope="module")
def graded_samples(tmp_path_factory):
    """Every sample built and graded once with `grade-all --jobs 2`: {name: results.json}."""
    _needs_tree()
    submissions = tmp_path_factory.mktemp("submissions")
    build_samples(submissions)
    out = tmp_path_factory.mktemp("results")
    process = subprocess.run(
        [sys.executable, "-m", "autograder", "grade-all", str(submissions), "-o", str(out),
         "--jobs", "2"], capture_output=True, text=True, cwd=ROOT, timeout=900, check=False)
    assert process.returncode == 0, process.stderr
    return {s.name: json.loads((out / s.name / "results.json").read_text()) for s in SAMPLES}


@pytest.mark.slow
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_grading_gives_the_declared_scores(graded_samples, sample):
    """Does each sample lose exactly the points its spec declares, and nothing else?"""
    from autograder.points import POINTS

    results = graded_samples[sample.name]
    scores = {name: got for name, (got, _) in results["extra_data"]["functions"].items()}
    assert set(scores) == set(POINTS)
    for function, full in POINTS.items():
        if sample.loses_everything:
            expected = 0
        else:
            lost = sample.loses.get(function, 0)
            expected = full - lost if lost is not None else None
        if expected is None:
            assert scores[function] < full, f"{function} should lose points"
        else:
            assert scores[function] == pytest.approx(expected), function
    total = sample.expected_total(POINTS)
    if total is not None:
        assert results["score"] == pytest.approx(total)
