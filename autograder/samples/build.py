"""Materialise sample submission folders from the student view and each sample's ``cs231n``.

Each ``OUT_DIR/<sample>/`` holds what a student hands in (what the release's
``collect_submission.py`` zips): the notebooks and the ``cs231n`` package's Python files, ready
for ``python -m autograder grade`` or ``grade-all OUT_DIR``.
"""

import shutil
import textwrap
from pathlib import Path

from autograder.samples import SAMPLES, get_sample
from autograder.samples.patch import apply_bug_file
from autograder.variants import REFERENCE_PACKAGE, RELEASE_DIR, copy_reference_or_stubs

BASES = {"reference": False, "release": True}  # base -> copy_reference_or_stubs's stub


def build_sample(sample, out_dir, release_dir=RELEASE_DIR, reference_dir=REFERENCE_PACKAGE):
    """Write ``out_dir/<sample.name>/`` and return its path (replacing an older build)."""
    release_dir = Path(release_dir)
    if sample.base not in BASES:
        raise ValueError(f"sample {sample.name}: base must be 'reference' or 'release'")
    if not (release_dir / "cs231n").is_dir():
        raise FileNotFoundError(
            f"no student view at {release_dir} (expected {release_dir / 'cs231n'}); "
            "run `make release` first"
        )
    target = Path(out_dir) / sample.name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for notebook in sorted(release_dir.glob("*.ipynb")):
        shutil.copyfile(notebook, target / notebook.name)
    copy_reference_or_stubs(target / "cs231n", BASES[sample.base], release_dir, reference_dir)
    if sample.bug_file is not None:
        apply_bug_file(sample.bug_file, target / "cs231n")
    return target


def build_samples(out_dir, names=None, release_dir=RELEASE_DIR, reference_dir=REFERENCE_PACKAGE):
    """Build the named samples (all by default) under ``out_dir``; return their paths."""
    samples = SAMPLES if not names else [get_sample(name) for name in names]
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    return [build_sample(s, out_dir, release_dir, reference_dir) for s in samples]


def build_corpus_variant(variant, out_dir, reference_dir=REFERENCE_PACKAGE):
    """Write ``out_dir/<variant.name>/cs231n``: the reference, the variant's APPEND sources
    added to their modules, then its functions replaced (patch.py).  Returns the folder."""
    target = Path(out_dir) / variant.name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    package = copy_reference_or_stubs(target / "cs231n", False, reference_dir=reference_dir)
    for module, source in variant.append.items():
        path = package / module
        path.write_text(path.read_text() + "\n\n" + textwrap.dedent(source).strip() + "\n")
    apply_bug_file(variant.path, package)
    return target
