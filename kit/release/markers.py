"""The markers of the source of truth, named once: nbgrader's own defaults, which the package
stripper (regions.py), the leak check and nbgrader (source_notebooks/nbgrader_config.py) use."""

BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
# In the reference package's .py files a marker is a comment line of its own.
PYTHON_PREFIX = "### "
