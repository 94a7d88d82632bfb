"""Advice for errors from code written for older NumPy or Python (autograder/explain.py)."""

import pytest

from autograder.explain import advice

CASES = [
    ("AttributeError: module 'numpy' has no attribute 'int'.\n`np.int` was a deprecated alias",
     "np.int was removed in NumPy 1.24: use the builtin int"),
    ("AttributeError: module 'numpy' has no attribute 'float'.", "use the builtin float"),
    ("AttributeError: module 'numpy.lib' has no attribute 'pad'", "use np.pad("),
    ("TypeError: reshape() got an unexpected keyword argument 'newshape'",
     "write np.reshape(a, shape)"),
    ("NameError: name 'xrange' is not defined", "use range"),
    ("AttributeError: 'dict' object has no attribute 'iteritems'", "use dict.items()"),
    ("TypeError: 'float' object cannot be interpreted as an integer", "with //"),
    ("TypeError: slice indices must be integers or None or have an __index__ method",
     "with //"),
    ("ValueError: expected 2 return values ('out', 'cache'), got NoneType",
     "it must end with return out, cache"),
]


@pytest.mark.parametrize("error, says", CASES, ids=[c[1][:20] for c in CASES])
def test_old_code_gets_the_modern_replacement(error, says):
    assert says in (advice(error) or "")


@pytest.mark.parametrize("error", [
    "ValueError: shapes (3,2,4,5) and (40,6) not aligned",
    "NameError: name 'foo' is not defined",
    "AttributeError: module 'numpy' has no attribute 'integer_thing'",
    "ZeroDivisionError: division by zero",
])
def test_other_errors_get_no_advice(error):
    """An error whose cause is not certain gets no advice at all."""
    assert advice(error) is None
