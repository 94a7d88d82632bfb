"""Speed measurements of the kit (not tests): ``python -m benchmarks.run`` or ``make bench``,
``benchmarks.profile_epoch``, ``benchmarks.accuracy``, ``benchmarks.similarity``.

May import the reference (made importable here, the kit's one way: autograder.reference),
cs231n_fast, torch and the autograder; nothing imports benchmarks.
"""

from autograder.reference import use_reference

use_reference()
