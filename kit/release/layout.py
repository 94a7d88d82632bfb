"""Where the release reads from and writes to, relative to the kit's root folder."""

from dataclasses import dataclass
from pathlib import Path

ASSIGNMENT_ID = "assignment2"
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Layout:
    """The source-of-truth paths of one kit checkout and the folder a release is built in.

    ``staging`` is the folder the steps fill; the pipeline moves it to ``release_dir`` only
    after the leak check passed.  Tools that only read the source paths (``kit.gradescope``,
    ``kit.notebooks``) leave it out.
    """

    root: Path = ROOT
    staging: Path | None = None

    @property
    def package(self):
        """The reference ``cs231n`` package (solution regions marked)."""
        return self.root / "assignment" / "cs231n"

    @property
    def course(self):
        """The nbgrader course folder (``nbgrader_config.py``, ``source/``)."""
        return self.root / "source_notebooks"

    @property
    def source_notebooks(self):
        return self.course / "source" / ASSIGNMENT_ID

    @property
    def fast(self):
        """The Cython kernels' package, ``cs231n_fast``."""
        return self.root / "cs231n_fast"

    @property
    def release_dir(self):
        """The committed student view."""
        return self.root / "release" / ASSIGNMENT_ID
