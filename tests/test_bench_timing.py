"""benchmarks.timing: the interleaved rounds, and settle's untimed call before each timed one."""

import benchmarks.timing as timing
from benchmarks.timing import interleaved_medians


def test_settle_runs_an_untimed_call_before_each_timed_one():
    """With settle, does each competitor run twice per round (one timed), and only in its
    own order, so that no timed call starts right after the other competitor?"""
    calls = []
    competitors = {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}
    result = interleaved_medians(competitors, repeats=3, warmup=1, settle=True)
    assert calls == ["a", "b"] + ["a", "a", "b", "b"] * 3
    assert {name: r["repeats"] for name, r in result.items()} == {"a": 3, "b": 3}


def test_without_settle_each_round_times_every_competitor_once():
    """Without settle (the BLAS family), and with a slow competitor capped, is the order the
    plain interleaving?"""
    calls = []
    competitors = {"a": lambda: calls.append("a"), "slow": lambda: calls.append("slow")}
    result = interleaved_medians(competitors, repeats=3, warmup=1, max_repeats={"slow": 1})
    assert calls == ["a", "slow", "a", "slow", "a", "a"]
    assert result["slow"]["repeats"] == 1 and result["a"]["repeats"] == 3


def test_quick_cases_get_more_rounds(monkeypatch):
    """Does a case whose round takes 2 ms (on a fake clock) run until its rounds add up to
    min_seconds, capped at max_rounds, while a capped slow competitor keeps its cap?"""
    clock = [0.0]
    monkeypatch.setattr(timing.time, "perf_counter", lambda: clock[0])

    def tick(seconds):
        return lambda: clock.__setitem__(0, clock[0] + seconds)

    competitors = {"a": tick(0.001), "b": tick(0.001), "naive": tick(5.0)}
    result = interleaved_medians(competitors, repeats=3, warmup=1, min_seconds=0.05,
                                 max_repeats={"naive": 1})
    assert {name: r["repeats"] for name, r in result.items()} == {"a": 25, "b": 25, "naive": 1}
    assert abs(result["a"]["median_s"] - 0.001) < 1e-9
    capped = interleaved_medians(competitors, repeats=3, warmup=1, min_seconds=1.0,
                                 max_rounds=7, max_repeats={"naive": 1})
    assert capped["a"]["repeats"] == 7
