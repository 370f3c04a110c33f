"""The monitoring and memory fixtures: their numbers move when the work moves."""

from __future__ import annotations

import time

import pytest

from pgtdd.performance.fixtures import MemoryOptimizedTest, MonitoredTest
from pgtdd.performance.memory import get_memory_optimizer
from pgtdd.performance.memory_tracking import MemoryLeakWarning, warn_if_leaking

MB = 1024 * 1024

SLOW_AND_FAST = """
import time

def test_slow({fixture}):
    time.sleep(0.15)

def test_fast({fixture}):
    pass
"""


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_tracker_warns_only_for_the_test_over_target(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SLOW_AND_FAST.format(fixture="tdd_performance_tracker"))
    result = _run(pytester)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*PerformanceWarning: *::test_slow took 1* ms, over the 100 ms target"]
    )
    assert "test_fast took" not in result.stdout.str()


def test_tracker_warning_is_a_real_warning_that_filters_can_turn_into_errors(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(SLOW_AND_FAST.format(fixture="tdd_performance_tracker"))
    result = _run(pytester, "-W", "error::pgtdd.performance.monitor.PerformanceWarning")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*PerformanceWarning: *::test_slow took*", "ERROR *::test_slow*"])


def test_monitored_test_alerts_on_its_duration(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SLOW_AND_FAST.format(fixture="performance_monitored_test"))
    result = _run(pytester)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*PerformanceWarning: Performance alert (*): test_duration_ms = 1*"]
    )
    assert result.stdout.str().count("Performance alert") == 1


def test_measure_in_the_monitored_fixture_times_the_block(
    performance_monitored_test: MonitoredTest,
) -> None:
    monitor, collector, alert_handler = performance_monitored_test
    with collector.measure("database_operation"):
        time.sleep(0.05)
    assert collector.current_metrics.last_duration_ms is not None
    assert collector.current_metrics.last_duration_ms >= 50.0
    assert collector.current_metrics.duration_ms >= collector.current_metrics.last_duration_ms
    assert monitor.values("database_operation") == [collector.current_metrics.last_duration_ms]
    assert alert_handler.get_alerts() == []


def test_allocating_50_mb_shows_in_the_memory_delta(
    memory_optimized_test: MemoryOptimizedTest,
) -> None:
    optimizer, tracker, cleanup_manager = memory_optimized_test
    with tracker.track():
        small = b"\x01" * 1024
    with tracker.track():
        data = b"\x01" * (50 * MB)
    assert tracker.deltas_mb[1] >= 45.0
    assert tracker.get_memory_delta() == tracker.deltas_mb[1]
    assert tracker.deltas_mb[0] < tracker.deltas_mb[1]
    cleanup_manager.register(lambda: data)
    report = cleanup_manager.force_cleanup()
    assert cleanup_manager.cleanups == 1
    assert "objects_collected" in report
    assert len(small) == 1024
    assert optimizer is get_memory_optimizer()


def test_leak_over_the_threshold_warns_and_the_marker_raises_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        KEPT = []

        def test_leaks(memory_optimized_test):
            KEPT.append(b"\\x01" * (50 * 1024 * 1024))

        @pytest.mark.memory(threshold_mb=500)
        def test_leaks_within_a_raised_threshold(memory_optimized_test):
            KEPT.append(b"\\x01" * (50 * 1024 * 1024))
        """
    )
    result = _run(pytester)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*MemoryLeakWarning: Potential memory leak in *::test_leaks: RSS grew *(threshold 5 MB*"]
    )
    assert result.stdout.str().count("MemoryLeakWarning") == 1


def test_warn_if_leaking_compares_with_the_threshold() -> None:
    assert warn_if_leaking(4.9, 5.0) is False
    with pytest.warns(MemoryLeakWarning, match="grew 5.10 MB"):
        assert warn_if_leaking(5.1, 5.0) is True
