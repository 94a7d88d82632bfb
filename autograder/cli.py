"""Command line: grade one submission, or a folder of submissions in parallel.

    python -m autograder grade SUBMISSION_DIR -o RESULTS_JSON [--student-id ID] [--only FN ...]
    python -m autograder grade-all ROOT -o OUT_DIR [--jobs N] [--shard I/N] [--regrade]
    python -m autograder merge OUT_DIR... -o OUT_DIR
    python -m autograder report OUT_DIR
    python -m autograder similarity ROOT -o OUT_DIR [--corpus DIR]
    python -m autograder nbgrader-regrade COURSE_DIR [-o OUT_DIR]
    python -m autograder sandbox-info

Exit status: 0 whenever grading ran (whatever the scores), 2 for a grader fault (bad setup,
missing reference, unreadable secret), 1 when some submissions of grade-all hit a grader fault.
"""

import argparse
import json
import sys
import traceback
from pathlib import Path

from autograder import __version__
from autograder.seeding import GraderFault


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout-scale", type=float, default=1.0,
                        help="multiply every timeout (slow machines: 2-5)")
    parser.add_argument("--secret-file", help="file holding the course secret (default: "
                        "$CS231N_GRADER_SECRET, else a development default)")
    parser.add_argument("--only", nargs="+", metavar="FUNCTION",
                        help="grade only these functions")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)

    one = commands.add_parser("grade", help="grade one submission folder")
    one.add_argument("submission", type=Path, help="folder holding the student's cs231n/")
    one.add_argument("-o", "--output", type=Path, required=True, help="results.json to write")
    one.add_argument("--feedback", type=Path, help="feedback text file (default: "
                     "feedback.txt beside the results)")
    one.add_argument("--student-id", help="default: the submission folder's name")
    one.add_argument("--seed", type=int, help="reuse a recorded seed (reproduce a grade)")
    one.add_argument("--quiet", action="store_true", help="print nothing on success")
    one.add_argument("--workers", type=int, default=6, help=argparse.SUPPRESS)
    _common(one)

    many = commands.add_parser("grade-all", help="grade every submission folder under ROOT")
    many.add_argument("root", type=Path, help="folder of submissions, one sub-folder each")
    many.add_argument("-o", "--output", type=Path, required=True, help="folder for the reports")
    many.add_argument("--jobs", type=int, default=1, help="submissions graded in parallel")
    many.add_argument("--submission-timeout", type=float, default=600.0,
                      help="seconds one submission may take before its grader is killed and "
                      "the student gets a grader-fault row (times --timeout-scale)")
    many.add_argument("--shard", help="grade only shard I of N (I/N, 1 <= I <= N), e.g. one "
                      "task of a Slurm job array; combine the shards with `merge`")
    many.add_argument("--regrade", action="store_true", help="grade again even students whose "
                      "results.json is up to date (same grader, secret, seed and files)")

    similar = commands.add_parser("similarity", help="flag submissions whose graded functions "
                                  "share long runs of code (winnowed fingerprints)")
    similar.add_argument("root", type=Path, help="folder of submissions, one sub-folder each")
    similar.add_argument("-o", "--output", type=Path, required=True,
                         help="folder for similarity.html and similarity.csv")
    similar.add_argument("--corpus", type=Path, help="folder of known solutions, one "
                         "sub-folder each (compared with every submission, not each other)")
    similar.add_argument("--starter", type=Path, help="the release given to students, whose "
                         "code never counts as shared (default: release/assignment2)")

    report = commands.add_parser("report", help="write OUT_DIR/report.html for a graded batch")
    report.add_argument("out", type=Path, help="a grade-all (or merge) output folder")

    merge = commands.add_parser("merge", help="combine the OUT folders of several shards")
    merge.add_argument("shards", type=Path, nargs="+", help="the shards' OUT folders")
    merge.add_argument("-o", "--output", type=Path, required=True, help="the combined folder")
    _common(many)

    regrade = commands.add_parser("nbgrader-regrade", help="re-grade an nbgrader course's "
                                  "submitted/ tree with the CLI and flag higher nbgrader totals")
    regrade.add_argument("course", type=Path, help="the nbgrader course folder")
    regrade.add_argument("-o", "--output", type=Path, help="folder for the reports (default: "
                         "COURSE/regrade)")
    regrade.add_argument("--assignment", default="assignment2")
    regrade.add_argument("--jobs", type=int, default=1)
    regrade.add_argument("--secret-file", help="the course secret (default as for grade)")

    commands.add_parser("sandbox-info", help="say which protections this machine enforces")
    return parser


def _settings(args):
    from autograder.grader import Settings
    if args.timeout_scale <= 0:
        raise GraderFault(f"--timeout-scale must be positive, got {args.timeout_scale}")
    return Settings(timeout_scale=args.timeout_scale)


def cmd_grade(args) -> int:
    from autograder.grader import grade_submission
    from autograder.report import write_submission
    from autograder.seeding import load_secret
    from autograder.submission import student_id as student_id_of
    student_id = args.student_id or student_id_of(args.submission)
    result = grade_submission(args.submission, student_id, load_secret(args.secret_file),
                              args.only, _settings(args), seed=args.seed, workers=args.workers)
    feedback = args.feedback or args.output.with_name("feedback.txt")
    try:
        write_submission(result, args.output, feedback)
    except OSError as error:
        raise GraderFault(f"cannot write the results: {error}") from None
    if not args.quiet:
        print(f"{student_id}: {result.score:g} / {result.max_score:g} "
              f"({result.seconds:.1f} s) -> {args.output}")
    return 0


def cmd_grade_all(args) -> int:
    from autograder.batch import grade_all, parse_shard
    from autograder.sandbox import detect
    if not args.root.is_dir():
        raise GraderFault(f"{args.root} is not a folder")
    if args.jobs < 1:
        raise GraderFault(f"--jobs must be at least 1, got {args.jobs}")
    settings = _settings(args)
    sandbox = detect()  # fail early, and tell the user once
    print(f"grading submissions in {args.root} with {args.jobs} job(s); sandbox: "
          f"{sandbox.mechanism}", file=sys.stderr)
    try:
        shard = parse_shard(args.shard) if args.shard else None
    except ValueError as error:
        raise GraderFault(str(error)) from None
    rows = grade_all(args.root, args.output, jobs=args.jobs, secret_file=args.secret_file,
                     only=args.only, timeout_scale=settings.timeout_scale,
                     submission_timeout=args.submission_timeout * settings.timeout_scale,
                     shard=shard, regrade=args.regrade)
    from autograder.class_report import write_report
    print(f"class report: {write_report(args.output)}", file=sys.stderr)
    reused = sum(1 for row in rows if row.get("reused"))
    if reused:
        print(f"{reused} up-to-date results reused (--regrade grades them again)",
              file=sys.stderr)
    faults = [r for r in rows if r.get("fault")]
    for row in faults:
        print(f"{row['student_id']}: {row['status']}", file=sys.stderr)
    graded = [r for r in rows if not r.get("fault")]
    if graded:
        mean = sum(float(r["total"]) for r in graded) / len(graded)
        print(f"graded {len(graded)} submissions, mean {mean:.1f}; reports in {args.output}",
              file=sys.stderr)
    return 1 if faults else 0


def cmd_nbgrader_regrade(args) -> int:
    from autograder.nbgrader_regrade import regrade
    out = args.output or args.course / "regrade"
    report = regrade(args.course, out, args.assignment, args.jobs, args.secret_file)
    flagged = [row for row in report if row["flagged"]]
    for row in flagged:
        print(f"FLAGGED {row['student_id']}: nbgrader {row['nbgrader_total']}, CLI "
              f"{row['cli_total'] or 'not graded'}", file=sys.stderr)
    print(f"{len(report)} students compared, {len(flagged)} flagged; {out / 'regrade.csv'}",
          file=sys.stderr)
    return 1 if flagged else 0


def cmd_merge(args) -> int:
    from autograder.batch import merge
    from autograder.class_report import write_report
    rows = merge(args.shards, args.output)
    print(f"merged {len(rows)} students into {args.output / 'grades.csv'}; class report: "
          f"{write_report(args.output)}", file=sys.stderr)
    return 0


def cmd_similarity(args) -> int:
    from autograder.similarity import run
    for folder in (args.root, args.corpus, args.starter):
        if folder is not None and not folder.is_dir():
            raise GraderFault(f"{folder} is not a folder")
    starter = args.starter or Path(__file__).resolve().parents[1] / "release" / "assignment2"
    pairs = run(args.root, args.output, args.corpus, starter)
    flagged = [p for p in pairs if p.flagged]
    print(f"{len(flagged)} flagged pairs; {args.output / 'similarity.html'}", file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    from autograder.class_report import write_report
    if not args.out.is_dir():
        raise GraderFault(f"{args.out} is not a folder")
    print(write_report(args.out))
    return 0


def cmd_sandbox_info(args) -> int:
    from autograder.sandbox import detect
    print(json.dumps(detect().describe(), indent=2))
    return 0


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    command = {"grade": cmd_grade, "grade-all": cmd_grade_all,
               "nbgrader-regrade": cmd_nbgrader_regrade, "merge": cmd_merge,
               "report": cmd_report, "similarity": cmd_similarity,
               "sandbox-info": cmd_sandbox_info}[args.command]
    try:
        return command(args)
    except GraderFault as error:
        print(f"autograder: grader fault: {error}", file=sys.stderr)
        return 2
    except Exception:  # noqa: BLE001 - a bug in the grader: say so, never a silent score
        traceback.print_exc()
        print("autograder: internal error (see the traceback above)", file=sys.stderr)
        return 3
