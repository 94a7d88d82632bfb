"""nbgrader hooks for ``generate_feedback``: feedback is the student's HTML pages, nothing else.

- ``HideTestTracebacks`` (a preprocessor): autograding restores the hidden tests into the grade
  cells, so the feedback notebook holds them twice: in the cell source (nbgrader's
  ``ClearHiddenTests`` removes that) and in the traceback of a failed grade cell, which quotes
  the cell's lines and the grader's own frames.  Such tracebacks become ``ename: evalue``; the
  value is the check's feedback text, written for the student.
- ``keep_only_feedback_pages`` (a post-convert hook): nbgrader copies every other file of the
  autograded folder (the submission's files, and any file of ``source/``) into the feedback
  folder; this removes all of them, leaving the ``.html`` pages.

``source_notebooks/nbgrader_config.py`` installs both.
"""

import shutil
from pathlib import Path

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

AUTOGRADED, FEEDBACK = "autograded", "feedback"


class HideTestTracebacks(NbGraderPreprocessor):
    """Replace the traceback of every error output of a grade cell by one line."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


def feedback_folder(notebook):
    """``<root>/feedback/<student>/<assignment>`` for ``<root>/autograded/<student>/<assignment>/
    <name>.ipynb`` (nbgrader's default directory structure)."""
    parts = Path(notebook).resolve().parent.parts
    if AUTOGRADED not in parts:
        raise ValueError(f"{notebook} is not inside an {AUTOGRADED!r} folder")
    index = len(parts) - 1 - parts[::-1].index(AUTOGRADED)
    return Path(*parts[:index], FEEDBACK, *parts[index + 1:])


def keep_only_feedback_pages(assignment, student, notebooks):
    """Post-convert hook of GenerateFeedback: delete all but ``*.html`` from each feedback
    folder just written (called once per submission with its autograded notebooks)."""
    for folder in {feedback_folder(nb) for nb in notebooks}:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.suffix != ".html":
                path.unlink()
