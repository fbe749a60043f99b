"""scripts/bench.py's arithmetic, without booting anything: which clock
a figure comes from, and which way a comparison counts as faster."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))
import bench  # noqa: E402


def test_bench_figures_use_guest_ticks_under_icount_and_host_seconds_otherwise():
    # 300 forks in 2 host seconds, or in 50 guest ticks (0.5 guest seconds).
    r = {"fork": (300, "fork", 2.0, 50), "ticks": (200, "tick", 2.0, None)}
    host = bench.bench_figures(r, None)
    guest = bench.bench_figures(r, 4)
    assert host["fork"][0] == 150, "host figure: %r" % (host,)
    assert guest["fork"][0] == 600, "guest-clock figure: %r" % (guest,)
    assert "tick" in host and "tick" not in guest, \
        "tick is a host figure, meaningless under ICOUNT: %r %r" % (host, guest)


def test_speed_ratio_is_above_one_when_this_kernel_is_faster():
    # A rate (fork/s) higher than the baseline's, a time (ms per run)
    # lower than the baseline's: both faster, by 1.5 and by 2.
    assert bench.speed_ratio("fork", "fork/s", 660, 440) == 1.5
    assert bench.speed_ratio("sbrk", "ms/32MiB", 50, 100) == 2
    assert bench.speed_ratio("pipe", "MB/s", 1.0, 2.0) == 0.5
    assert bench.speed_ratio("tick", "ticks/s", 100, 90) is None


def test_summary_gives_median_lowest_highest_and_count():
    rounds = [{"fork": (500, "fork/s", "%.0f")}, {"fork": (300, "fork/s", "%.0f")},
              {"fork": (400, "fork/s", "%.0f")}]
    assert bench.summary(rounds)["fork"] == (400, 300, 500, 3, "fork/s", "%.0f")
