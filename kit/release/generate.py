"""Run the real ``nbgrader generate_assignment`` on the source notebooks.

The course folder is copied to a temporary directory first, so nbgrader's gradebook and its
``release/`` folder never appear in the kit's tree.  nbgrader clears solutions, hidden tests and
outputs, locks cells and records checksums; only the generated notebooks are taken from its
output (the ``cs231n`` package is copied, stripped, by ``package.copy_stripped_package``, because
nbgrader would copy ``.py`` files verbatim).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .layout import ASSIGNMENT_ID


class NbgraderError(RuntimeError):
    """``nbgrader generate_assignment`` failed; the message holds its output."""


def generate_notebooks(layout):
    """Write nbgrader's student versions of the source notebooks into the staging folder."""
    if not (layout.course / "nbgrader_config.py").is_file():
        raise FileNotFoundError(f"nbgrader course not found: {layout.course}/nbgrader_config.py")
    notebooks = sorted(layout.source_notebooks.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no source notebooks in {layout.source_notebooks}")
    with tempfile.TemporaryDirectory(prefix="kit-release-") as tmp:
        course = Path(tmp) / "course"
        (course / "source" / ASSIGNMENT_ID).mkdir(parents=True)
        shutil.copyfile(layout.course / "nbgrader_config.py", course / "nbgrader_config.py")
        for notebook in notebooks:
            shutil.copyfile(notebook, course / "source" / ASSIGNMENT_ID / notebook.name)
        command = [sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT_ID,
                   "--force", f"--CourseDirectory.root={course}"]
        # nbgrader runs the `alembic` command of its environment: put that on PATH.
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        result = subprocess.run(command, cwd=course, env=env, capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            raise NbgraderError(f"{' '.join(command)} failed ({result.returncode}):\n"
                                f"{result.stdout}\n{result.stderr}")
        generated = course / "release" / ASSIGNMENT_ID
        for notebook in notebooks:
            produced = generated / notebook.name
            if not produced.is_file():
                raise NbgraderError(f"nbgrader did not produce {produced}:\n{result.stderr}")
            shutil.copyfile(produced, layout.staging / notebook.name)
            (layout.staging / notebook.name).chmod(0o644)
