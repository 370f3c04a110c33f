"""PerformanceMonitor, MetricsCollector and AlertHandler: numbers come from the work measured."""

from __future__ import annotations

import time

import pytest

from pgtdd.performance.monitor import (
    AlertHandler,
    MetricsCollector,
    PerformanceMonitor,
    PerformanceWarning,
)


def test_a_value_over_its_threshold_raises_an_alert_with_severity() -> None:
    monitor = PerformanceMonitor({"test_duration_ms": 100.0})
    monitor.record_metric("test_duration_ms", 90.0)
    assert monitor.alerts == []
    monitor.record_metric("test_duration_ms", 120.0)
    monitor.record_metric("test_duration_ms", 151.0)
    assert [(a.metric, a.value, a.severity) for a in monitor.alerts] == [
        ("test_duration_ms", 120.0, "warning"),
        ("test_duration_ms", 151.0, "critical"),
    ]
    assert monitor.alerts[0]["threshold"] == 100.0


def test_metrics_without_threshold_never_alert_and_summary_counts_violations() -> None:
    monitor = PerformanceMonitor({"x": 10.0})
    for value in (5.0, 15.0, 25.0):
        monitor.record_metric("x", value)
    monitor.record_metric("free", 1e9)
    summary = monitor.get_performance_summary()
    assert summary["x"]["count"] == 3
    assert summary["x"]["median"] == 15.0
    assert summary["x"]["violations"] == 2
    assert summary["free"]["violations"] == 0
    assert [a.metric for a in monitor.alerts] == ["x", "x"]


def test_measure_records_the_time_the_block_took() -> None:
    monitor = PerformanceMonitor({"database_operation": 100.0})
    collector = MetricsCollector(monitor)
    with collector.measure("database_operation"):
        time.sleep(0.15)
    with collector.measure("database_operation"):
        pass
    slow, fast = collector.current_metrics.operations["database_operation"]
    assert slow >= 150.0
    assert fast < slow
    assert monitor.values("database_operation") == [slow, fast]
    assert collector.current_metrics.last_duration_ms == fast
    alerts = AlertHandler(monitor).get_alerts()
    assert [a.value for a in alerts] == [slow]


def test_current_duration_grows_with_elapsed_time() -> None:
    collector = MetricsCollector(PerformanceMonitor())
    first = collector.current_metrics.duration_ms
    time.sleep(0.02)
    assert collector.current_metrics.duration_ms >= first + 20.0


def test_measure_records_even_when_the_block_raises() -> None:
    monitor = PerformanceMonitor({})
    collector = MetricsCollector(monitor)
    with pytest.raises(ZeroDivisionError), collector.measure("boom"):
        _ = 1 / 0
    assert len(monitor.values("boom")) == 1


def test_warn_alerts_emits_a_real_warning_per_alert() -> None:
    monitor = PerformanceMonitor({"m": 1.0})
    monitor.record_metric("m", 1.2)
    monitor.record_metric("m", 3.0)
    with pytest.warns(PerformanceWarning) as record:
        monitor.warn_alerts()
    assert [str(w.message) for w in record] == [
        "Performance alert (warning): m = 1.20 (threshold: 1.00)",
        "Performance alert (critical): m = 3.00 (threshold: 1.00)",
    ]
