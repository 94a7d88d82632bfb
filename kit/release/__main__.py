"""python -m kit.release [--dest DIR]: build the student release (default release/assignment2)."""

import argparse
import sys
import time

from .generate import NbgraderError
from .leak_check import LeakError
from .pipeline import build_release
from .regions import MarkerError


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kit.release", description=__doc__)
    parser.add_argument("--dest", help="folder to build into (default: release/assignment2)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        dest = build_release(args.dest)
    except (MarkerError, LeakError, NbgraderError, FileNotFoundError) as err:
        print(f"release failed: {err}", file=sys.stderr)
        return 1
    print(f"release written to {dest} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
