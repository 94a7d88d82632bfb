"""Benchmark harness: ``python -m benchmarks.run`` (or ``make bench``) from the kit root.

Each thread count runs in its own child process, with OMP_NUM_THREADS / OPENBLAS_NUM_THREADS /
MKL_NUM_THREADS and cs231n_fast's OpenMP defaults (``threads.openmp_defaults``) set before
NumPy, torch or cs231n_fast load (OpenMP and BLAS read them once).
Inside a child every case times its competitors by interleaved repeats after a warm-up
(``benchmarks.timing``), so the ratios of one table come from the same minutes of machine time.
The parent prints one table and writes everything as JSON (default ``out/bench/bench.json``).

Competitors are interleaved within their thread-pool family: cs231n_fast and torch run on
OpenMP, the NumPy baselines and the GEMM floor on OpenBLAS's own threads.  Both kinds of worker
spin for a while after a call; interleaved across families on a 2-core machine each would pay
for the other's spinning (measured: the 2-thread GEMM floor 2.7x slower, fast 2.4x).  Within
the OpenMP family each timed call follows an untimed one of its own (``settle``): cs231n_fast
and torch each load their own libgomp, whose threads spin ~0.1 ms after a call.

Ratios, not absolute times, are the result: ``x torch`` is time / torch's time (below 1 is
faster than torch), ``x floor`` is time / the GEMM-only floor of the same convolution.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.reference import REFERENCE_DIR

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("conv", "pool", "train", "grader")
PEAK_FLOPS = 2 * 1024 ** 3  # benchmarks.layers.PEAK_FLOPS (not imported: torch loads first)
DTYPES = ("float32", "float64")
MIN_SECONDS = 0.5  # a case runs more rounds than --repeats until its timed calls add up to this


OPENMP_FAMILY = ("fast", "torch")


def timed(competitors, repeats, max_repeats):
    """Interleaved medians, interleaving only within a thread-pool family (see above)."""
    from benchmarks.timing import interleaved_medians

    results = {}
    for family in (OPENMP_FAMILY, None):
        members = {name: fn for name, fn in competitors.items()
                   if (name in OPENMP_FAMILY) == (family is not None)}
        if members:
            results.update(interleaved_medians(members, repeats, max_repeats=max_repeats,
                                               settle=family is not None,
                                               min_seconds=MIN_SECONDS))
    return {name: results[name] for name in competitors}


def _load_torch(threads):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    return torch


def child(args):
    """Time the layer and training cases with ``args.threads`` threads; write JSON records."""
    torch = _load_torch(args.threads)  # before cs231n_fast: torch keeps its own OpenMP defaults
    import numpy as np

    from benchmarks import layers  # the package put the reference on sys.path

    # part -> (cases, competitors of a case, rounds); pooling is quick, so it gets more rounds.
    layer_benchmarks = {"conv": (layers.CONV_SHAPES, layers.conv_competitors, args.repeats),
                        "pool": (layers.POOL_SHAPES, layers.pool_competitors, 3 * args.repeats)}
    records = []
    load_before = os.getloadavg()[0]
    for dtype_name in DTYPES:
        dtype = np.dtype(dtype_name)
        for part, (cases, competitors_of, repeats) in layer_benchmarks.items():
            if part not in args.only:
                continue
            for name in cases:
                competitors, max_repeats = competitors_of(name, dtype, torch)
                results = timed(competitors, repeats, max_repeats)
                records.append({"part": part, "case": name, "dtype": dtype_name,
                                "threads": args.threads, "results": results})
                if part == "conv":
                    records[-1]["flops"] = layers.conv_flops(name)
                print(f"  {part} {name} {dtype_name} threads={args.threads}", file=sys.stderr)
        if "train" in args.only:
            from benchmarks.training import training_records
            results = training_records(dtype, torch, num_train=args.train_images,
                                       repeats=max(1, args.repeats // 5))
            records.append({"part": "train", "case": f"ThreeLayerConvNet-epoch-"
                            f"{args.train_images}-images", "dtype": dtype_name,
                            "threads": args.threads, "results": results})
            print(f"  train {dtype_name} threads={args.threads}", file=sys.stderr)
    # other processes competing for the cores make every ratio less trustworthy: record it
    load = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    for record in records:
        record["load_average_before_after"] = load
    Path(args.json).write_text(json.dumps(records))


def grader_records(repeats):
    """Wall time of ``python -m autograder grade`` on the reference solution."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeats):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "autograder", "grade", str(REFERENCE_DIR),
                 "-o", str(Path(tmp) / "results.json"), "--quiet"],
                cwd=ROOT, capture_output=True, text=True, check=False,
            )
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                return [], f"autograder failed ({done.returncode}): {done.stderr[-300:]}"
    times.sort()
    record = {"part": "grader", "case": "reference-submission", "dtype": "-", "threads": "-",
              "results": {"autograder": {"median_s": times[len(times) // 2],
                                         "repeats": len(times)}}}
    return [record], None


def _fmt_time(seconds):
    return f"{seconds * 1e3:9.2f} ms" if seconds < 10 else f"{seconds:9.2f} s "


def table(records):
    """The human-readable report: one line per case and competitor."""
    header = (f"{'part':6} {'case':32} {'dtype':8} {'thr':>3}  {'competitor':14} "
              f"{'median':>12}  {'x torch':>8}  {'x floor':>8}  {'GFLOP/s':>8}  "
              f"{'x peak':>6}  {'reps':>4}")
    lines = [header]
    for record in records:
        results = record["results"]
        torch_s = results.get("torch", {}).get("median_s")
        floor_s = results.get("gemm-floor", {}).get("median_s")
        peak_s = results.get("gemm-peak", {}).get("median_s")
        peak = PEAK_FLOPS / peak_s / 1e9 if peak_s else None
        for name, result in results.items():
            seconds = result["median_s"]
            vs_torch = f"{seconds / torch_s:8.2f}" if torch_s else f"{'-':>8}"
            vs_floor = f"{seconds / floor_s:8.2f}" if floor_s else f"{'-':>8}"
            flops = PEAK_FLOPS if name == "gemm-peak" else record.get("flops")
            gflops = flops / seconds / 1e9 if flops else None
            rate = f"{gflops:8.1f}" if gflops else f"{'-':>8}"
            vs_peak = f"{gflops / peak:6.2f}" if gflops and peak else f"{'-':>6}"
            lines.append(f"{record['part']:6} {record['case']:32} {record['dtype']:8} "
                         f"{record['threads']!s:>3}  {name:14} {_fmt_time(seconds):>12}  "
                         f"{vs_torch}  {vs_floor}  {rate}  {vs_peak}  {result['repeats']:4d}")
    lines.append("naive = the reference layers students write, timed on few repeats (column reps).")
    lines.append("GFLOP/s = useful work (3 GEMMs of 2*F*K*N*P for conv fwd+bwd) per second; "
                 "x peak = that / gemm-peak's (NumPy's 1024x1024 GEMM, timed in the same case).")
    loads = {r["threads"]: r["load_average_before_after"] for r in records
             if "load_average_before_after" in r}
    for threads, (before, after) in loads.items():
        lines.append(f"{threads} thread(s): 1-minute load average {before} before, {after} after "
                     f"(on {os.cpu_count()} cores; above ~0.5 other work was competing)")
    return "\n".join(lines)


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy as np

    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "platform": platform.platform()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--repeats", type=int, default=15,
                        help="interleaved rounds per case (pooling runs 3x as many)")
    parser.add_argument("--train-images", type=int, default=1000,
                        help="training images in the timed epoch (batch 50)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench" / "bench.json")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.threads = args.threads[0]
        return child(args)

    from cs231n_fast.threads import openmp_defaults

    records = []
    layer_parts = [p for p in args.only if p != "grader"]
    with tempfile.TemporaryDirectory() as tmp:
        for threads in args.threads if layer_parts else ():
            # cs231n_fast's documented OpenMP defaults (set at its import), applied before
            # torch loads its own OpenMP runtime, so both run under one policy; left to torch,
            # its runtime spins ~3 ms and costs our 2-thread epoch ~20% (torch itself: ~5%).
            env = dict(os.environ, OMP_NUM_THREADS=str(threads),
                       OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads),
                       PYTHONPATH=str(ROOT))  # the reference: benchmarks/__init__.py
            env.update(openmp_defaults(os.environ))
            out = Path(tmp) / f"threads{threads}.json"
            print(f"threads={threads}", file=sys.stderr)
            subprocess.run(
                [sys.executable, "-m", "benchmarks.run", "--child", "--threads", str(threads),
                 "--only", *layer_parts, "--repeats", str(args.repeats),
                 "--train-images", str(args.train_images), "--json", str(out)],
                cwd=ROOT, env=env, check=True,
            )
            records += json.loads(out.read_text())
    notes = []
    if "grader" in args.only:
        grader, skipped = grader_records(repeats=3)
        records += grader
        if skipped:
            notes.append(f"grader skipped: {skipped}")

    report = table(records)
    print(report)
    for note in notes:
        print(note)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": machine(), "records": records, "notes": notes,
                                    "date": time.strftime("%Y-%m-%d %H:%M")}, indent=1))
    args.out.with_suffix(".txt").write_text(report + "\n")
    print(f"wrote {args.out} and {args.out.with_suffix('.txt')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
