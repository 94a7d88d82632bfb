"""python -m kit.notebooks [--check]: write (or check) the source notebooks."""

import argparse
import sys

from .build import SOURCE_DIR, stale, write


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kit.notebooks", description=__doc__)
    parser.add_argument("--check", action="store_true",
                        help="only report notebooks that differ from the builders' output")
    args = parser.parse_args(argv)
    if args.check:
        differing = stale()
        if differing:
            print(f"out of date in {SOURCE_DIR}: {', '.join(differing)} "
                  f"(run python -m kit.notebooks)", file=sys.stderr)
            return 1
        return 0
    for path in write():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
