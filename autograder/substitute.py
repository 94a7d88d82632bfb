"""One bug, one function: grade a function built on other graded functions again with the
reference's versions of those, and keep the better score.

ThreeLayerConvNet calls the student's affine, relu and softmax layers (directly or through the
sandwich layers of layer_utils.py); spatial batchnorm calls batchnorm; the normalization
backward tests run the student's forward for the cache.  A wrong affine_forward
already costs affine_forward its points, so it should not cost the convnet 10 more.  When such a
function loses points, the grader builds a second package: the student's own, with the
reference's definitions of the functions it is built on appended to the student's modules (so
they replace the student's at import time, while the student's own extra helpers stay), and runs
the same probes on it.  The better of the two runs counts, and the feedback and results.json say
which one.

That second run puts reference code where the student's code can read it, so nothing it prints
or raises ever reaches the feedback: its stdout/stderr are dropped, the messages of probes that
raised are replaced by a fixed text, and only grader-side labels of modified inputs are kept
(``sanitized``).  Only arrays come back from it, compared in the grader as always.
"""

import ast
import dataclasses
import re
import shutil
from pathlib import Path

from autograder.reference import REFERENCE_DIR

REFERENCE_PACKAGE = REFERENCE_DIR / "cs231n"
_LAYERS = "layers.py"
_UTILS = "layer_utils.py"

# function -> {module: reference functions appended to it (None: every top-level function)}
BUILT_ON: dict[str, dict[str, tuple[str, ...] | None]] = {
    "ThreeLayerConvNet": {_LAYERS: None, _UTILS: None},
    "spatial_batchnorm_forward": {_LAYERS: ("batchnorm_forward",)},
    "spatial_batchnorm_backward": {_LAYERS: ("batchnorm_forward", "batchnorm_backward",
                                             "spatial_batchnorm_forward")},
    # backward tests that run the student's forward for the cache
    "batchnorm_backward": {_LAYERS: ("batchnorm_forward",)},
    "spatial_groupnorm_backward": {_LAYERS: ("spatial_groupnorm_forward",)},
}
# Files the appended reference code imports; copied from the reference when the student's
# package lacks them.
SUPPORT = ("_checks.py", "fast_layers.py", "__init__.py")
HIDDEN = ("raised an error in the run with the reference's layers (its details are not shown "
          "because that run had reference code in it)")
_LABEL = re.compile(r"(argument \d+( item \d+)?|dout|X)")


def describe(function: str) -> str:
    """What was substituted, in words, for the feedback."""
    parts = [module if names is None else ", ".join(names)
             for module, names in BUILT_ON[function].items()]
    return "the reference's " + " and ".join(parts)


def _reference_block(module: str, names: tuple[str, ...] | None) -> str:
    """The reference module's imports and the chosen top-level functions, as source."""
    text = (REFERENCE_PACKAGE / module).read_text()
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    block = [ast.get_source_segment(text, node) + "\n" for node in tree.body
             if isinstance(node, (ast.Import, ast.ImportFrom))]
    found = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and (names is None or node.name in names):
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            block.append("\n\n" + "".join(lines[start - 1:node.end_lineno]))
            found.add(node.name)
    missing = set(names or ()) - found
    if missing:
        raise ValueError(f"the reference {module} does not define {sorted(missing)}")
    return "".join(block)


def build_mixed_package(function: str, student_package: Path, destination: Path) -> Path:
    """Copy the student's package (the grader's copy of it: Python files only) to
    ``destination`` with the reference's definitions of what ``function`` is built on appended.
    Returns ``destination``, which holds ``cs231n/``."""
    source, target = Path(student_package) / "cs231n", Path(destination) / "cs231n"
    shutil.copytree(source, target)
    for name in SUPPORT:
        if not (target / name).is_file():
            shutil.copyfile(REFERENCE_PACKAGE / name, target / name)
    for module, names in BUILT_ON[function].items():
        path = target / module
        # The student's bytes as they are (they need not be UTF-8: never decoded here).
        mine = path.read_bytes() if path.is_file() else b""
        path.write_bytes(mine + b"\n\n# --- substituted by the grader ---\n"
                         + _reference_block(module, names).encode())
    for path in [destination, *Path(destination).rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return Path(destination)


def sanitized(runs: dict) -> dict:
    """The runs of the substituted package with no text the student's code wrote in them."""
    clean = {}
    for probe_id, run in runs.items():
        message = "" if run.status == "ok" else (
            run.message if run.status in ("timeout", "not_run") and run.message.startswith(
                ("timed out", "not run")) else HIDDEN)
        modified = [m for m in run.modified if _LABEL.fullmatch(str(m))]
        clean[probe_id] = dataclasses.replace(run, message=message, modified=modified)
    return clean


def better(result, function: str, student_package: Path, workdir: Path, regrade):
    """``result`` (the student's own run) or, when it lost points, the run with the reference's
    layers if that scored higher.  ``regrade(package_dir, workdir)`` grades ``function`` on a
    package with its output hidden (grader.grade_function with hide_child_text=True)."""
    if function not in BUILT_ON or result.score >= result.max_score:
        return result
    mixed = build_mixed_package(function, student_package, workdir / "mixed")
    again = workdir / "again"
    again.mkdir()
    other = regrade(mixed, again)
    if other.score <= result.score:
        result.note = (f"Graded with your own code: with {describe(function)} in place of "
                       f"yours it scored no better ({other.score:g}), so the points lost are "
                       f"this function's own.")
        return result
    other.output = ""
    other.substituted = describe(function)
    other.note = (f"Graded with {describe(function)} in place of yours, which scored higher "
                  f"({other.score:g} against {result.score:g} with your own): the points your "
                  f"layers lose are counted in those functions, not again here.")
    return other
