"""Building blocks of the source notebooks: markdown, plain code, locked and graded cells.

Every cell gets a stable id and, when nbgrader must know it, nbgrader metadata (schema 3):

- ``md`` / ``code``: ordinary cells the student may edit;
- ``locked``: read-only provided code (setup, visible checks, the heavy cells whose size
  nbgrader must not let a submission change); autograding runs the instructor's version;
- ``graded``: the autograded test of one graded function, worth ``POINTS[name]``, whose hidden
  part calls the autograder's check for that function.
"""

from textwrap import dedent

import nbformat

from autograder.points import POINTS
from kit.release.markers import BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS, PYTHON_PREFIX

SCHEMA_VERSION = 3
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _text(source):
    return dedent(source).strip("\n")


def md(source):
    """A markdown cell."""
    return nbformat.v4.new_markdown_cell(_text(source))


def code(source):
    """A code cell the student may edit."""
    return nbformat.v4.new_code_cell(_text(source))


def _nbgrader(grade_id, grade=False, points=None, locked=True):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": SCHEMA_VERSION, "solution": False, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def locked(grade_id, source):
    """A read-only code cell; nbgrader restores its source before autograding."""
    cell = code(source)
    cell.metadata["nbgrader"] = _nbgrader(grade_id)
    cell.metadata["editable"] = False
    cell.metadata["deletable"] = False
    return cell


def graded(name):
    """The autograded test cell of graded function ``name``, worth ``POINTS[name]`` points.

    The student sees only the comment; the hidden part's last expression is the points the
    check awarded, which nbgrader reads as partial credit.
    """
    points = POINTS[name]
    source = f'''
        # Autograded test for {name} ({points:g} points). The hidden checks run here when
        # your submission is graded; the visible checks above are a subset of them.
        {PYTHON_PREFIX}{BEGIN_HIDDEN_TESTS}
        from autograder.notebook import check
        check("{name}")
        {PYTHON_PREFIX}{END_HIDDEN_TESTS}
        '''
    cell = code(source)
    cell.metadata["nbgrader"] = _nbgrader(f"test_{name}", grade=True, points=points)
    cell.metadata["editable"] = False
    cell.metadata["deletable"] = False
    return cell


def notebook(stem, cells):
    """A notebook of ``cells`` with ids ``<stem>-<nn>`` (stable while cells keep their order)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for number, cell in enumerate(cells):
        cell["id"] = f"{stem.lower()}-{number:02d}"
    nb.cells = list(cells)
    nbformat.validate(nb)
    return nb
