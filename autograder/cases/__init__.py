"""Every graded function's cases, one module per group of layers."""

from autograder.case import FunctionTests
from autograder.cases import cnn, conv, layers, norm, pool
from autograder.points import POINTS

TESTS: dict[str, FunctionTests] = {
    tests.function: tests
    for module in (layers, conv, pool, cnn, norm)
    for tests in module.TESTS
}

if list(TESTS) != [f for f in POINTS if f in TESTS] or set(TESTS) != set(POINTS):
    raise ImportError(f"cases do not cover the points table: {sorted(set(POINTS) ^ set(TESTS))}")
TESTS = {function: TESTS[function] for function in POINTS}
