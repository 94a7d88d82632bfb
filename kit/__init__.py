"""Instructor tooling: the release pipeline (kit.release), the notebooks as cell lists
(kit.notebooks), the Gradescope zip, the demo and the showcase.

May import: autograder, the reference package (through autograder.reference), nbgrader, nbformat
and matplotlib.  Nothing imports kit but its own commands and the tests."""
