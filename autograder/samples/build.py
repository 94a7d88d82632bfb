"""Materialise sample submission folders from the student view and each sample's ``cs231n``.

Each ``OUT_DIR/<sample>/`` holds what a student hands in (what the release's
``collect_submission.py`` zips): the notebooks and the ``cs231n`` package's Python files, ready
for ``python -m autograder grade`` or ``grade-all OUT_DIR``.
"""

import os
import shutil
from pathlib import Path

from autograder.samples import SAMPLES, get_sample
from autograder.samples.patch import apply_bug_file

ROOT = Path(__file__).resolve().parents[2]
# $CS231N_RELEASE_DIR points at another student view (e.g. a release built elsewhere).
RELEASE_DIR = Path(os.environ.get("CS231N_RELEASE_DIR") or ROOT / "release" / "assignment2")
REFERENCE_DIR = ROOT / "assignment" / "cs231n"

# Never copied into a submission: data, build outputs and editor litter.
IGNORE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.so", ".ipynb_checkpoints", "datasets",
)


def _check_dirs(release_dir, reference_dir):
    if not (release_dir / "cs231n").is_dir():
        raise FileNotFoundError(
            f"no student view at {release_dir} (expected {release_dir / 'cs231n'}); "
            "run `make release` first"
        )
    if not (reference_dir / "__init__.py").is_file():
        raise FileNotFoundError(f"no reference package at {reference_dir}")


def build_sample(sample, out_dir, release_dir=RELEASE_DIR, reference_dir=REFERENCE_DIR):
    """Write ``out_dir/<sample.name>/`` and return its path (replacing an older build)."""
    release_dir, reference_dir = Path(release_dir), Path(reference_dir)
    _check_dirs(release_dir, reference_dir)
    target = Path(out_dir) / sample.name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for notebook in sorted(release_dir.glob("*.ipynb")):
        shutil.copyfile(notebook, target / notebook.name)
    shutil.copytree(release_dir / "cs231n", target / "cs231n", ignore=IGNORE)
    if sample.base == "reference":
        shutil.copytree(reference_dir, target / "cs231n", ignore=IGNORE, dirs_exist_ok=True)
    elif sample.base != "release":
        raise ValueError(f"sample {sample.name}: base must be 'reference' or 'release'")
    if sample.bug_file is not None:
        apply_bug_file(sample.bug_file, target / "cs231n")
    return target


def build_samples(out_dir, names=None, release_dir=RELEASE_DIR, reference_dir=REFERENCE_DIR):
    """Build the named samples (all by default) under ``out_dir``; return their paths."""
    samples = SAMPLES if not names else [get_sample(name) for name in names]
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    return [build_sample(s, out_dir, release_dir, reference_dir) for s in samples]
