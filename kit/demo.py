"""``make demo``: release, build the sample submissions, grade them all, print the score table.

    python -m kit.demo [--out out/demo] [--jobs 2] [--only NAME ...] [--skip-release]
                       [--showcase [--showcase-iterations 20]]

1. ``python -m kit.release`` rebuilds the student view ``release/assignment2``;
2. ``autograder.samples`` writes one submission per sample to ``OUT/submissions/`` (perfect,
   stubs, realistic bugs: see ``autograder/samples/``);
3. ``python -m autograder grade-all`` grades them into ``OUT/results/`` (results.json and
   feedback.txt per student, grades.csv);
4. the table shows each total and the points each function lost, and checks them against what
   the samples declare.  Exit status 1 when a sample scored differently (or grading failed).

``--showcase`` ends with a short ``kit.showcase`` run (filter demo and training-curve PNGs).
"""

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from autograder.points import POINTS
from kit.release.layout import ROOT


def _run(step, command):
    print(f"\n== {step}\n$ {' '.join(str(c) for c in command)}", flush=True)
    start = time.perf_counter()
    process = subprocess.run([str(c) for c in command], cwd=ROOT, check=False)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"demo: {step} failed (exit status {process.returncode})")
    return seconds


def _lost_text(functions):
    lost = [(name, full - got) for name, (got, full) in functions.items() if got < full]
    if len(lost) == len(functions) and all(got == 0 for got, _ in functions.values()):
        return f"everything (all {len(functions)} functions score 0)"
    return ", ".join(f"{name} -{points:g}" for name, points in lost) or "-"


def _matches(sample, functions):
    for function, expected in sample.expected_scores(POINTS).items():
        got, full = functions.get(function, (None, POINTS[function]))
        if got is None or (expected is None and got >= full) or (
                expected is not None and abs(got - expected) > 1e-6):
            return False
    return True


def score_table(samples, results_dir):
    """The table's lines and whether every sample scored as declared."""
    width = max(len(s.name) for s in samples)
    total = sum(POINTS.values())
    lines = [f"{'sample':{width}}  {'score':>9}  as declared  points lost",
             f"{'-' * width}  {'-' * 9}  {'-' * 11}  {'-' * 11}"]
    all_ok = True
    for sample in samples:
        path = results_dir / sample.name / "results.json"
        if not path.is_file():
            lines.append(f"{sample.name:{width}}  {'missing':>9}  {'NO':11}  (no results.json)")
            all_ok = False
            continue
        results = json.loads(path.read_text())
        functions = {name: tuple(v) for name, v in results["extra_data"]["functions"].items()}
        ok = _matches(sample, functions)
        all_ok &= ok
        score = f"{results['score']:g}/{total:g}"
        lines.append(f"{sample.name:{width}}  {score:>9}  {'yes' if ok else 'NO':11}  "
                     f"{_lost_text(functions)}")
        lines.append(f"{'':{width}}  {'':9}  {'':11}  ({sample.description})")
    return lines, all_ok


def _shown(path):
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kit.demo", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "demo")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="grade only these samples")
    parser.add_argument("--skip-release", action="store_true",
                        help="use the release/assignment2 already there")
    parser.add_argument("--showcase", action="store_true",
                        help="end with a short kit.showcase run (PNGs in OUT/showcase)")
    parser.add_argument("--showcase-iterations", type=int, default=20,
                        help="training iterations of the showcase (default 20, about a minute)")
    args = parser.parse_args(argv)

    from autograder.samples import SAMPLES, get_sample
    from autograder.samples.build import build_samples

    samples = SAMPLES if not args.only else [get_sample(name) for name in args.only]
    out = args.out.resolve()
    submissions, results_dir = out / "submissions", out / "results"
    start = time.perf_counter()
    timings = {}
    if not args.skip_release:
        timings["release"] = _run("1. make the student release", [sys.executable, "-m",
                                                                   "kit.release"])
    print(f"\n== 2. build {len(samples)} sample submissions in {submissions}", flush=True)
    for folder in (submissions, results_dir):
        if folder.exists():
            shutil.rmtree(folder)
    build_samples(submissions, [s.name for s in samples])
    timings["grading"] = _run(
        f"3. grade them ({args.jobs} jobs)",
        [sys.executable, "-m", "autograder", "grade-all", submissions, "-o", results_dir,
         "--jobs", args.jobs])

    lines, all_ok = score_table(samples, results_dir)
    print("\n== 4. scores\n" + "\n".join(lines))
    if args.showcase:
        timings["showcase"] = _run("5. showcase", [sys.executable, "-m", "kit.showcase",
                                                   "--out", out / "showcase",
                                                   "--iterations", args.showcase_iterations])
    print(f"""
Where things are:
  submissions          {_shown(submissions)}/<sample>/  (notebooks + the student's cs231n/)
  results (Gradescope) {_shown(results_dir)}/<sample>/results.json
  feedback             {_shown(results_dir)}/<sample>/feedback.txt
  grades CSV           {_shown(results_dir)}/grades.csv
  class report         {_shown(results_dir)}/report.html  (open it in a browser)""")
    if args.showcase:
        print(f"  showcase PNGs        {_shown(out / 'showcase')}/")
    per = timings["grading"] * args.jobs / max(len(samples), 1)
    steps = ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
    print(f"\nDone in {time.perf_counter() - start:.0f} s ({steps}); about {per:.1f} s of "
          "grading per submission.")
    if not all_ok:
        print("Some samples did not score as declared in autograder/samples/ (see 'NO' above).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
