"""Similarity at class scale: ``python -m benchmarks.similarity [--students 500]``.

Builds a synthetic class: every student starts from the same reference code (the part everyone
shares, as the course's own structure makes it) and adds their own lines to every graded
function (statements naming different NumPy attributes, which survive normalisation, so each
student's own code is their own).  Then `--copies` students are copied by someone else, with
every local name renamed, comments changed and two independent statements swapped.  Reports the
time of `python -m autograder similarity` on the whole class (2 cores), how many planted copies
were flagged (recall) and how many other pairs were (false flags).
"""

import argparse
import ast
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.points import POINTS
from autograder.reference import REFERENCE_DIR

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("sum", "mean", "max", "min", "abs", "sqrt", "exp", "log", "dot", "where", "clip",
         "zeros", "ones", "arange", "reshape", "transpose", "pad", "argmax", "einsum", "std")


def _own_lines(rng: random.Random, indent: str) -> list[str]:
    """Two statements only this student writes (attribute names are kept by the tokenizer)."""
    picks = rng.sample(WORDS, 4)
    return [f"{indent}_scratch = np.{picks[0]}(np.{picks[1]}(x_unused_{rng.randrange(99)}))",
            f"{indent}_scratch = np.{picks[2]}(np.{picks[3]}(_scratch))"]


def student_layers(reference: str, rng: random.Random) -> str:
    """The reference layers.py with this student's own lines in every graded function."""
    tree = ast.parse(reference)
    lines = reference.splitlines()
    inserts = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in POINTS:
            body = node.body[1:] or node.body  # after the docstring
            for statement in rng.sample(body, min(3, len(body))):
                indent = " " * statement.col_offset
                inserts.append((statement.lineno - 1, _own_lines(rng, indent)))
    for line, own in sorted(inserts, reverse=True):
        lines[line:line] = own
    return "\n".join(lines) + "\n"


def disguise(source: str, rng: random.Random) -> str:
    """A copier's edits: comments changed, local names renamed (whole words), two independent
    assignments swapped."""
    renamed = source
    for name in ("out", "cache", "dx", "dw", "db", "stride", "pad", "mean", "var"):
        renamed = renamed.replace(f" {name} =", f" {name}_{rng.randrange(999)} =")
    lines = [line.replace("# ", "# note: ") for line in renamed.splitlines()]
    for i in range(len(lines) - 1):
        if lines[i].strip().startswith("_scratch = np.") and lines[i + 1].strip().startswith(
                "_scratch = np."):
            continue
        if " = " in lines[i] and " = " in lines[i + 1] and "shape" in lines[i] + lines[i + 1]:
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
            break
    return "\n".join(lines) + "\n"


def build_class(root: Path, students: int, copies: int, seed: int = 0) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    package = REFERENCE_DIR / "cs231n"
    reference = (package / "layers.py").read_text()
    copied = []
    for i in range(students):
        folder = root / f"student{i:03d}" / "cs231n"
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text("")
        shutil.copytree(package / "classifiers", folder / "classifiers",
                        ignore=shutil.ignore_patterns("__pycache__"))
        if i < copies:  # student i copies from student (students - 1 - i)
            continue
        (folder / "layers.py").write_text(student_layers(reference, rng))
    for i in range(copies):
        original = root / f"student{students - 1 - i:03d}" / "cs231n" / "layers.py"
        (root / f"student{i:03d}" / "cs231n" / "layers.py").write_text(
            disguise(original.read_text(), rng))
        copied.append((f"student{i:03d}", f"student{students - 1 - i:03d}"))
    return copied


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.similarity")
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="similarity-bench-") as scratch:
        root, out = Path(scratch) / "class", Path(scratch) / "out"
        planted = build_class(root, args.students, args.copies)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "autograder", "similarity", str(root), "-o",
                        str(out)], cwd=ROOT, check=True, capture_output=True)
        seconds = time.perf_counter() - start
        flagged = set()
        for line in (out / "similarity.csv").read_text().splitlines()[1:]:
            a, b, *_, flag = line.split(",")
            if flag == "yes":
                flagged.add(tuple(sorted((a, b))))
    planted_pairs = {tuple(sorted(pair)) for pair in planted}
    result = {"students": args.students, "seconds": round(seconds, 1),
              "planted_copies": len(planted_pairs),
              "copies_flagged": len(planted_pairs & flagged),
              "other_pairs_flagged": len(flagged - planted_pairs)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
