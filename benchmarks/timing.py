"""Timing by interleaved repeats: every competitor runs once per round, rounds repeat, and each
competitor's median is reported.  Interleaving spreads frequency changes and noisy neighbours
evenly over the competitors, so the ratios between them are more stable than the absolute times."""

import math
import time
from statistics import median


def interleaved_medians(competitors, repeats, warmup=2, max_repeats=None, settle=False,
                        min_seconds=0.0, max_rounds=None):
    """Median seconds per call of each competitor.

    Parameters
    ----------
    competitors : dict of str to callable
        Zero-argument functions, each doing one complete unit of work.
    repeats : int
        Rounds (at least); in each round every competitor runs once, in the dict's order.
    warmup : int
        Untimed calls of each competitor before the first round (caches, thread pools, BLAS).
    max_repeats : dict of str to int, optional
        Fewer rounds for slow competitors (the naive layers): they drop out after that many.
    settle : bool
        Precede each timed call with an untimed one of the same competitor, so that it runs
        as in a loop of its own calls: its thread pool awake, the previous competitor's
        threads done spinning (two OpenMP runtimes, cs231n_fast's and torch's, would
        otherwise each start in the other's spin; see cs231n_fast.threads.openmp_defaults).
    min_seconds : float
        More rounds than ``repeats`` while the timed calls of one round (as the last warm-up
        call of each uncapped competitor took) add up to less than this, up to ``max_rounds``
        (default 10 * repeats): a 1 ms case gets enough samples for a stable median.

    Returns
    -------
    dict of str to dict
        ``{"median_s": float, "repeats": int}`` per competitor.
    """
    max_repeats = max_repeats or {}
    samples = {name: [] for name in competitors}
    last = {}
    for name, fn in competitors.items():
        for _ in range(min(warmup, max_repeats.get(name, warmup))):
            start = time.perf_counter()
            fn()
            last[name] = time.perf_counter() - start
    round_seconds = sum(t for name, t in last.items() if name not in max_repeats)
    rounds = repeats
    if round_seconds > 0 and round_seconds * repeats < min_seconds:
        rounds = min(math.ceil(min_seconds / round_seconds), max_rounds or 10 * repeats)
    max_repeats = {name: max_repeats.get(name, rounds) for name in competitors}
    for _ in range(rounds):
        for name, fn in competitors.items():
            if len(samples[name]) >= max_repeats[name]:
                continue
            if settle:
                fn()
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: {"median_s": median(s), "repeats": len(s)} for name, s in samples.items()}
