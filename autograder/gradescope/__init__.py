"""Gradescope packaging: ``setup.sh``, ``run_autograder`` and the code they call.

``kit/gradescope.py`` zips this folder's scripts with the grader, the reference and the student
view; on Gradescope, ``run_autograder`` runs :mod:`autograder.gradescope.run`, which lays the
upload out as an ``assignment2`` folder (:mod:`autograder.gradescope.layout`) and grades it with
``python -m autograder grade``.
"""
