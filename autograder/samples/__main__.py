"""``python -m autograder.samples build OUT_DIR [--only NAME ...]`` and ``... list``."""

import argparse
import sys

from autograder.samples import SAMPLES
from autograder.samples.build import REFERENCE_PACKAGE, RELEASE_DIR, build_samples


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.samples", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write one submission folder per sample")
    build.add_argument("out_dir")
    build.add_argument("--only", nargs="+", metavar="NAME", help="build only these samples")
    build.add_argument("--release", default=RELEASE_DIR, help="the student view to start from")
    build.add_argument("--reference", default=REFERENCE_PACKAGE,
                       help="the reference cs231n package")
    sub.add_parser("list", help="print each sample and what it must lose")
    args = parser.parse_args(argv)

    if args.command == "list":
        for sample in SAMPLES:
            loses = "everything" if sample.loses_everything else (
                ", ".join(sample.loses) or "nothing")
            print(f"{sample.name:32s} {sample.description}  [loses: {loses}]")
        return 0
    try:
        paths = build_samples(args.out_dir, args.only, args.release, args.reference)
    except (FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
