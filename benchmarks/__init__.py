"""Speed measurements of the kit (not tests): ``python -m benchmarks.run`` or ``make bench``."""
