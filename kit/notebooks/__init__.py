"""The source notebooks, written as cell lists in Python so they can be reviewed as code.

``python -m kit.notebooks`` writes ``source_notebooks/source/assignment2/*.ipynb`` (no outputs,
nbgrader metadata included); ``python -m kit.notebooks --check`` fails if a committed notebook
differs from what the builders produce.
"""
