"""CI performance gate: every required metric must be measured and within its limit.

A missing measurement fails the gate: a gate that passes because nothing was measured is the
defect this module exists to prevent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pgtdd.performance.targets import GATE_LIMITS

DEFAULT_REQUIREMENTS: dict[str, float] = dict(GATE_LIMITS)


class PerformanceGate:
    """Collects measurements and evaluates them against upper limits."""

    def __init__(self, required_metrics: Mapping[str, float] | None = None) -> None:
        self.required_metrics: dict[str, float] = dict(
            DEFAULT_REQUIREMENTS if required_metrics is None else required_metrics
        )
        self.measurements: dict[str, float] = {}

    def record_measurement(self, metric: str, value: float) -> None:
        """Record the measured value of ``metric`` (the last one recorded counts)."""
        self.measurements[metric] = float(value)

    def record_perf_run(self, perf: Mapping[str, Any]) -> None:
        """Record the gate's metrics from a ``--pgtdd-perf-json`` document.

        Sets ``average_test_time_ms`` and ``max_test_time_ms`` (own time per test: setup
        without shared fixtures, call and teardown), ``fixture_setup_time_ms`` (median own
        setup) and ``test_suite_time_seconds`` (the session's wall time). Nothing is recorded
        for a run without tests, so the gate then fails on the missing measurements.
        """
        tests = [t for t in perf.get("tests", []) if t.get("outcome") != "skipped"]
        if not tests:
            return
        own = [float(t["own_ms"]) for t in tests]
        setups = sorted(float(t["setup_ms"]) - float(t["shared_setup_ms"]) for t in tests)
        self.record_measurement("average_test_time_ms", sum(own) / len(own))
        self.record_measurement("max_test_time_ms", max(own))
        self.record_measurement("fixture_setup_time_ms", setups[len(setups) // 2])
        wall = perf.get("summary", {}).get("wall_s")
        if wall is not None:
            self.record_measurement("test_suite_time_seconds", float(wall))

    def evaluate_gate(self) -> dict[str, Any]:
        """``passed`` is true only when every requirement has a measurement within its limit."""
        failures: list[str] = []
        for metric, limit in self.required_metrics.items():
            value = self.measurements.get(metric)
            if value is None:
                failures.append(f"Missing measurement: {metric}")
            elif value > limit:
                failures.append(f"{metric}: {value:.2f} > {limit:.2f} (threshold)")
        return {
            "passed": not failures and bool(self.required_metrics),
            "failures": failures
            or ([] if self.required_metrics else ["No requirements: nothing was checked"]),
            "measurements": dict(self.measurements),
            "requirements": dict(self.required_metrics),
        }
