"""Real-time monitoring: metrics with thresholds, alerts, and a collector that times blocks.

Every value recorded here comes from a clock (``time.perf_counter``) or from the caller; the
monitor never invents one.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pgtdd.performance.stats import summarize
from pgtdd.performance.targets import MONITOR_THRESHOLDS

DEFAULT_THRESHOLDS: dict[str, float] = dict(MONITOR_THRESHOLDS)


class PerformanceWarning(UserWarning):
    """A test or an operation went over its performance target."""


@dataclass(frozen=True)
class Alert:
    """One threshold violation. ``severity`` is ``critical`` beyond 1.5x the threshold."""

    metric: str
    value: float
    threshold: float
    timestamp: float
    severity: str

    def __getitem__(self, key: str) -> Any:
        """Dictionary-style access, as in the spec's ``alert['metric']``."""
        return getattr(self, key)

    def message(self) -> str:
        """One line: the metric, its value, the threshold and the severity."""
        return (
            f"Performance alert ({self.severity}): {self.metric} = {self.value:.2f} "
            f"(threshold: {self.threshold:.2f})"
        )


class PerformanceMonitor:
    """Records named metrics, keeps every sample, raises an alert when one passes its threshold."""

    def __init__(self, thresholds: Mapping[str, float] | None = None) -> None:
        self.metrics: dict[str, list[dict[str, Any]]] = {}
        self.alerts: list[Alert] = []
        self.thresholds: dict[str, float] = dict(
            DEFAULT_THRESHOLDS if thresholds is None else thresholds
        )

    def record_metric(
        self, name: str, value: float, metadata: Mapping[str, Any] | None = None
    ) -> None:
        """Record one sample of ``name`` and check it against the metric's threshold."""
        entry = {"value": float(value), "timestamp": time.time(), "metadata": dict(metadata or {})}
        self.metrics.setdefault(name, []).append(entry)
        self._check_thresholds(name, float(value))

    def _check_thresholds(self, name: str, value: float) -> None:
        threshold = self.thresholds.get(name)
        if threshold is not None and value > threshold:
            severity = "warning" if value <= threshold * 1.5 else "critical"
            self.alerts.append(Alert(name, value, threshold, time.time(), severity))

    def values(self, name: str) -> list[float]:
        """Every recorded sample of ``name`` (empty if none)."""
        return [entry["value"] for entry in self.metrics.get(name, [])]

    def get_performance_summary(self) -> dict[str, Any]:
        """Per metric: count, mean, median, p95, min, max, threshold and violations."""
        summary: dict[str, Any] = {}
        for name in self.metrics:
            values = self.values(name)
            if not values:
                continue
            threshold = self.thresholds.get(name)
            stats = summarize(values)
            stats["threshold"] = threshold
            stats["violations"] = sum(1 for v in values if threshold is not None and v > threshold)
            summary[name] = stats
        return summary

    def warn_alerts(self, stacklevel: int = 2) -> None:
        """Emit one :class:`PerformanceWarning` per alert (the spec's ``pytest.warns`` intent)."""
        for alert in self.alerts:
            warnings.warn(alert.message(), PerformanceWarning, stacklevel=stacklevel)


@dataclass
class CurrentMetrics:
    """The running test's metrics: its elapsed time so far and each measured operation."""

    started: float = field(default_factory=time.perf_counter)
    operations: dict[str, list[float]] = field(default_factory=dict)
    last_operation: str | None = None
    last_duration_ms: float | None = None

    @property
    def duration_ms(self) -> float:
        """Milliseconds since the test's monitoring started (read live from the clock)."""
        return (time.perf_counter() - self.started) * 1000


class MetricsCollector:
    """Times blocks of code with :meth:`measure` and feeds the monitor."""

    def __init__(self, monitor: PerformanceMonitor) -> None:
        self.monitor = monitor
        self.current_metrics = CurrentMetrics()

    @contextmanager
    def measure(self, name: str, metadata: Mapping[str, Any] | None = None) -> Iterator[None]:
        """Time the ``with`` block and record it as metric ``name`` (milliseconds)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed_ms = (time.perf_counter() - start) * 1000
            self.current_metrics.operations.setdefault(name, []).append(elapsed_ms)
            self.current_metrics.last_operation = name
            self.current_metrics.last_duration_ms = elapsed_ms
            self.monitor.record_metric(name, elapsed_ms, metadata)


class AlertHandler:
    """Read access to the monitor's alerts."""

    def __init__(self, monitor: PerformanceMonitor) -> None:
        self.monitor = monitor

    def get_alerts(self, severity: str | None = None) -> list[Alert]:
        """Alerts raised so far, optionally only those of one severity."""
        return [a for a in self.monitor.alerts if severity is None or a.severity == severity]
