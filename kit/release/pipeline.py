"""The release as an ordered list of small transforms, one module each.

Every step takes the ``Layout`` and adds to (or inspects) the staging folder.  The pipeline
builds in a fresh temporary folder and only replaces the destination once every step,
the leak check last, has passed: a failed release leaves the committed one untouched.
"""

import shutil
import tempfile
from pathlib import Path

from .build_files import copy_build_files
from .generate import generate_notebooks
from .layout import ROOT, Layout
from .leak_check import leak_check
from .package import copy_stripped_package

STEPS = [
    # The stripped package first: nothing below depends on it, but a marker error should
    # stop the release before the slower nbgrader run.
    copy_stripped_package,
    # nbgrader only contributes notebooks; it never sees the package (it would copy .py
    # files with their solutions).
    generate_notebooks,
    copy_build_files,
    # Must stay last: it inspects everything the steps above wrote.
    leak_check,
]


def build_release(dest=None, root=ROOT, steps=STEPS):
    """Build the student view of ``root`` into ``dest`` (default ``root/release/assignment2``).

    Returns
    -------
    pathlib.Path
        ``dest``, replaced as a whole by the new release.
    """
    root = Path(root).resolve()
    dest = Path(dest) if dest is not None else Layout(root).release_dir
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".release-", dir=dest.parent))
    try:
        layout = Layout(root=root, staging=staging)
        for step in steps:
            step(layout)
        if dest.exists():
            shutil.rmtree(dest)
        staging.rename(dest)
        dest.chmod(0o755)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return dest
