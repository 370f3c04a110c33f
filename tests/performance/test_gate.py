"""PerformanceGate: every requirement must be measured and within its limit."""

from __future__ import annotations

from pgtdd.performance.gate import PerformanceGate


def _full_gate() -> PerformanceGate:
    gate = PerformanceGate()
    gate.record_measurement("average_test_time_ms", 20.0)
    gate.record_measurement("max_test_time_ms", 150.0)
    gate.record_measurement("fixture_setup_time_ms", 2.0)
    gate.record_measurement("test_suite_time_seconds", 3.0)
    return gate


def test_gate_passes_when_every_metric_is_measured_and_within_limits() -> None:
    result = _full_gate().evaluate_gate()
    assert result["passed"] is True
    assert result["failures"] == []


def test_gate_fails_on_a_missing_measurement() -> None:
    gate = _full_gate()
    del gate.measurements["fixture_setup_time_ms"]
    result = gate.evaluate_gate()
    assert result["passed"] is False
    assert result["failures"] == ["Missing measurement: fixture_setup_time_ms"]


def test_gate_with_nothing_measured_fails_on_every_requirement() -> None:
    result = PerformanceGate().evaluate_gate()
    assert result["passed"] is False
    assert len(result["failures"]) == 4


def test_gate_fails_on_a_value_over_its_limit() -> None:
    gate = _full_gate()
    gate.record_measurement("max_test_time_ms", 250.0)
    result = gate.evaluate_gate()
    assert result["passed"] is False
    assert result["failures"] == ["max_test_time_ms: 250.00 > 200.00 (threshold)"]


def test_gate_reads_a_perf_run_and_a_run_without_tests_fails() -> None:
    test = {
        "outcome": "passed",
        "setup_ms": 3.0,
        "shared_setup_ms": 1.0,
        "call_ms": 5.0,
        "teardown_ms": 1.0,
        "own_ms": 8.0,
    }
    slow = dict(test, call_ms=300.0, own_ms=303.0)
    gate = PerformanceGate()
    gate.record_perf_run({"tests": [test, slow], "summary": {"wall_s": 1.5}})
    assert gate.measurements == {
        "average_test_time_ms": 155.5,
        "max_test_time_ms": 303.0,
        "fixture_setup_time_ms": 2.0,
        "test_suite_time_seconds": 1.5,
    }
    assert gate.evaluate_gate()["failures"] == [
        "average_test_time_ms: 155.50 > 100.00 (threshold)",
        "max_test_time_ms: 303.00 > 200.00 (threshold)",
    ]
    empty = PerformanceGate()
    empty.record_perf_run({"tests": [], "summary": {"wall_s": 0.1}})
    assert empty.evaluate_gate()["passed"] is False
