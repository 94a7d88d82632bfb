"""Render the notebook builders to ``.ipynb`` files and compare them with the committed ones."""

from pathlib import Path

import nbformat

from kit.release.layout import Layout

from . import convolutional_networks, layers, spatial_batchnorm
from .cells import notebook

SOURCE_DIR = Layout().source_notebooks
BUILDERS = (layers, convolutional_networks, spatial_batchnorm)


def render(builder):
    """The ``.ipynb`` text of one builder module (``STEM`` and ``cells()``)."""
    return nbformat.writes(notebook(builder.STEM, builder.cells())) + "\n"


def rendered():
    """``{file name: text}`` for every source notebook."""
    return {f"{b.STEM}.ipynb": render(b) for b in BUILDERS}


def write(directory=SOURCE_DIR):
    """Write every source notebook into ``directory``; returns the paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in rendered().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def stale(directory=SOURCE_DIR):
    """Names of notebooks in ``directory`` missing or different from the builders' output."""
    directory = Path(directory)
    return [name for name, text in rendered().items()
            if not (directory / name).is_file()
            or (directory / name).read_text(encoding="utf-8") != text]
