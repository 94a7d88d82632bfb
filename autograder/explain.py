"""Advice for errors that came back from the student's code: name the modern replacement.

The child (runner.py) reports an exception as "Type: message" plus the student's frames; this
module maps the messages whose cause is certain to one line of advice.  Code written for older
NumPy or Python fails with a bare AttributeError, NameError or TypeError that does not say what
to write instead.  Only exact, recognisable messages get advice; anything else gets none.
"""

import re

# (pattern over the error text, advice).  The first match wins.
ADVICE: tuple[tuple[str, str], ...] = (
    (r"module 'numpy' has no attribute '(int|float|bool|object|complex|str|long|unicode)'",
     ("np.{0} was removed in NumPy 1.24: use the builtin {1} (or a sized type such as "
      "np.{2})")),
    (r"module 'numpy(\.lib)?' has no attribute 'pad'",
     "np.lib.pad was removed: use np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))"),
    (r"unexpected keyword argument 'newshape'",
     ("np.reshape(a, newshape=...) no longer exists in NumPy 2: write np.reshape(a, shape) "
      "or a.reshape(shape)")),
    (r"name 'xrange' is not defined", "xrange is Python 2: use range"),
    (r"object has no attribute 'iteritems'", "dict.iteritems() is Python 2: use dict.items()"),
    (r"object has no attribute 'has_key'", "dict.has_key(k) is Python 2: use k in dict"),
    ((r"'float' object cannot be interpreted as an integer|slice indices must be integers"
     r"|only integers, slices .* are valid indices"),
     ("a size or index is a float: in Python 3, / always gives a float; compute sizes and "
      "indices with // (for example H_out = 1 + (H + 2 * pad - HH) // stride)")),
    (r"expected \d+ return values \((.*)\), got NoneType",
     "your function returned None: it must end with return {0}"),
)

_BUILTIN = {"int": ("int", "int64"), "float": ("float", "float64"), "bool": ("bool", "bool_"),
            "object": ("object", "object_"), "complex": ("complex", "complex128"),
            "str": ("str", "str_"), "long": ("int", "int64"), "unicode": ("str", "str_")}


def advice(error_text: str) -> str | None:
    """One line of advice for an error message, or None when its cause is not certain."""
    for pattern, text in ADVICE:
        match = re.search(pattern, error_text)
        if not match:
            continue
        if "{1}" in text:  # the removed NumPy aliases
            name = match.group(1)
            return text.format(name, *_BUILTIN[name])
        return text.format(*[g.replace("'", "") for g in match.groups() if g is not None])
    return None
