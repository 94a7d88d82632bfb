"""benchmarks.timing: the interleaved rounds, and settle's untimed call before each timed one."""

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
