"""Strip solution regions from the reference package's Python files.

A region is every line from a ``### BEGIN SOLUTION`` marker line to its ``### END SOLUTION``
line, both included.  It becomes two lines at the indentation of the BEGIN marker::

    # YOUR CODE HERE
    raise NotImplementedError("Implement conv_forward_naive in cs231n/layers.py")

so a student running the notebook stops at the first function still to write, with its name.
Signatures, docstrings and the provided code around a region are kept byte for byte.

Nested, unclosed or unopened markers, and regions outside any function (which would raise at
import time), are ``MarkerError``s naming the file and line.
"""

import ast
from dataclasses import dataclass

from .markers import BEGIN_SOLUTION, END_SOLUTION, PYTHON_PREFIX

BEGIN = PYTHON_PREFIX + BEGIN_SOLUTION
END = PYTHON_PREFIX + END_SOLUTION


class MarkerError(ValueError):
    """A solution marker that cannot be stripped; the message names file and line."""


@dataclass(frozen=True)
class Region:
    """One solution region: 1-based line numbers of its markers and the enclosing function."""

    begin: int
    end: int
    indent: str
    function: str


def _marker(line):
    """BEGIN, END or None for one line (markers must start the line after indentation)."""
    stripped = line.strip()
    if stripped.startswith(BEGIN):
        return BEGIN
    if stripped.startswith(END):
        return END
    return None


def _functions(text, path):
    """(first line, last line, qualified name) of every function in ``text``."""
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as err:
        raise MarkerError(f"{path}:{err.lineno}: cannot parse: {err.msg}") from err
    spans = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                spans.append((child.lineno, child.end_lineno, name))
                visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return spans


def find_regions(text, path):
    """All solution regions of ``text`` (the contents of ``path``), in order.

    Raises
    ------
    MarkerError
        For a nested BEGIN, an END without BEGIN, a BEGIN never closed, or a region that is
        not inside a function; the message starts with ``path:line``.
    """
    lines = text.splitlines()
    regions, open_at = [], None
    for number, line in enumerate(lines, start=1):
        kind = _marker(line)
        if kind == BEGIN:
            if open_at is not None:
                raise MarkerError(f"{path}:{number}: nested {BEGIN} (the region opened at "
                                  f"line {open_at} is not closed)")
            open_at = number
        elif kind == END:
            if open_at is None:
                raise MarkerError(f"{path}:{number}: {END} without a {BEGIN} before it")
            regions.append((open_at, number))
            open_at = None
    if open_at is not None:
        raise MarkerError(f"{path}:{open_at}: {BEGIN} is never closed by {END}")
    if not regions:
        return []

    spans = _functions(text, path)
    found = []
    for begin, end in regions:
        enclosing = [s for s in spans if s[0] < begin and end <= s[1]]
        if not enclosing:
            raise MarkerError(f"{path}:{begin}: solution region is not inside a function; "
                              f"the stub would raise when the module is imported")
        # The innermost function starts last.
        name = max(enclosing, key=lambda s: s[0])[2]
        line = lines[begin - 1]
        indent = line[: len(line) - len(line.lstrip())]
        found.append(Region(begin, end, indent, name))
    return found


def strip_solutions(text, path, display_path=None):
    """``text`` with every solution region replaced by a stub naming its function.

    Parameters
    ----------
    text : str
        Contents of a Python file.
    path : str or os.PathLike
        Where the text came from, for error messages.
    display_path : str or None
        How the stub names the file to the student (e.g. ``cs231n/layers.py``);
        defaults to ``path``.

    Returns
    -------
    str
        The stripped text (unchanged when there is no region), same line endings.
    """
    regions = find_regions(text, path)
    if not regions:
        return text
    shown = display_path or str(path)
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    out, cursor = [], 0
    for region in regions:
        out.extend(lines[cursor: region.begin - 1])
        message = f"Implement {region.function} in {shown}"
        out.append(f"{region.indent}# YOUR CODE HERE{newline}")
        out.append(f"{region.indent}raise NotImplementedError({message!r}){newline}")
        cursor = region.end
    out.extend(lines[cursor:])
    return "".join(out)


def solution_lines(text, path):
    """The stripped, non-blank lines inside the solution regions of ``text``, in order."""
    lines = text.splitlines()
    return [line.strip()
            for region in find_regions(text, path)
            for line in lines[region.begin: region.end - 1]
            if line.strip()]
