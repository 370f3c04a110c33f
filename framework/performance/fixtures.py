"""Performance, memory and benchmark fixtures of spec 000 and spec 003.

Where the spec's examples call ``pytest.warns(UserWarning, "text")`` to *emit* a warning (that
call only builds a context manager and warns nothing), these fixtures call
``warnings.warn(...)`` with a :class:`~pgtdd.performance.monitor.PerformanceWarning` or a
:class:`~pgtdd.performance.memory_tracking.MemoryLeakWarning`, both ``UserWarning``
subclasses. With ``filterwarnings = ["error"]`` such a warning fails the test's teardown, which
is the point of a gate; filter ``PerformanceWarning`` to ``default`` to only see it.
"""

from __future__ import annotations

import secrets
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from pgtdd.lazy import lazy_module
from pgtdd.performance.options import (
    CALL_MS_KEY,
    DEFAULT_MEMORY_THRESHOLD_MB,
    regression_file,
    target_ms,
)
from pgtdd.performance.targets import MONITOR_THRESHOLDS

# What the fixtures measure with loads when a test first asks for one of them.
if TYPE_CHECKING:
    from pgtdd.isolation import resources as resources_mod
    from pgtdd.isolation.runner import TDDDatabaseManager
    from pgtdd.performance import memory_tracking as memory_mod
    from pgtdd.performance import monitor as monitor_mod
    from pgtdd.performance import regression as regression_mod
    from pgtdd.performance.comprehensive import BenchmarkContext
    from pgtdd.performance.memory_tracking import CleanupManager, MemoryTracker
    from pgtdd.performance.monitor import (
        AlertHandler,
        MetricsCollector,
        PerformanceMonitor,
    )
    from pgtdd.performance.regression import RegressionDetector
else:
    resources_mod = lazy_module("pgtdd.isolation.resources")
    memory_mod = lazy_module("pgtdd.performance.memory_tracking")
    monitor_mod = lazy_module("pgtdd.performance.monitor")
    regression_mod = lazy_module("pgtdd.performance.regression")

MonitoredTest = tuple["PerformanceMonitor", "MetricsCollector", "AlertHandler"]


def warn_at_test(request: pytest.FixtureRequest, message: str, category: type[Warning]) -> None:
    """Warn with the test's own file and line as the location (not the fixture's)."""
    path, lineno, _ = request.node.reportinfo()
    warnings.warn_explicit(message, category, filename=str(path), lineno=(lineno or 0) + 1)


def _call_ms(request: pytest.FixtureRequest, fallback_start: float) -> float:
    """The test's call-phase duration as pytest measured it (own clock if not available)."""
    measured = request.node.stash.get(CALL_MS_KEY, None)
    return measured if measured is not None else (time.perf_counter() - fallback_start) * 1000


@pytest.fixture
def performance_monitored_test(request: pytest.FixtureRequest) -> Iterator[MonitoredTest]:
    """``(monitor, metrics_collector, alert_handler)`` for one test.

    ``metrics_collector.measure(name)`` times a block; ``current_metrics.duration_ms`` is the
    time since the fixture started; after the test its call duration is recorded as
    ``test_duration_ms`` against the per-test target and every alert becomes a warning.
    """
    thresholds = {"test_duration_ms": target_ms(request.config), "fixture_setup_ms": 5.0}
    monitor = monitor_mod.PerformanceMonitor(thresholds)
    collector = monitor_mod.MetricsCollector(monitor)
    start = time.perf_counter()
    yield monitor, collector, monitor_mod.AlertHandler(monitor)
    monitor.record_metric("test_duration_ms", _call_ms(request, start))
    for alert in monitor.alerts:
        warn_at_test(request, alert.message(), monitor_mod.PerformanceWarning)


@pytest.fixture
def performance_monitor(request: pytest.FixtureRequest) -> Iterator[PerformanceMonitor]:
    """Records the test's duration and warns (PerformanceWarning) on every alert."""
    monitor = monitor_mod.PerformanceMonitor(
        {
            **MONITOR_THRESHOLDS,
            "test_duration_ms": target_ms(request.config),
        }
    )
    start = time.perf_counter()
    yield monitor
    monitor.record_metric("test_duration_ms", _call_ms(request, start))
    for alert in monitor.alerts:
        warn_at_test(request, alert.message(), monitor_mod.PerformanceWarning)


@dataclass
class PerformanceTracker:
    """What ``tdd_performance_tracker`` measured: the target and, after the test, its duration."""

    test: str
    target_ms: float
    started: float = field(default_factory=time.perf_counter)
    duration_ms: float | None = None
    over_target: bool | None = None

    def elapsed_ms(self) -> float:
        """Milliseconds since the fixture was set up (live)."""
        return (time.perf_counter() - self.started) * 1000


@pytest.fixture
def tdd_performance_tracker(request: pytest.FixtureRequest) -> Iterator[PerformanceTracker]:
    """Warns (``PerformanceWarning``) when the test's call phase exceeds the per-test target."""
    tracker = PerformanceTracker(request.node.nodeid, target_ms(request.config))
    yield tracker
    tracker.duration_ms = _call_ms(request, tracker.started)
    tracker.over_target = tracker.duration_ms > tracker.target_ms
    if tracker.over_target:
        warn_at_test(
            request,
            f"{tracker.test} took {tracker.duration_ms:.1f} ms, over the "
            f"{tracker.target_ms:g} ms target",
            monitor_mod.PerformanceWarning,
        )


@dataclass
class MemoryOptimizedTest:
    """What ``memory_optimized_test`` yields; unpacks as ``optimizer, tracker, cleanup``."""

    optimizer: object
    tracker: MemoryTracker
    cleanup_manager: CleanupManager
    threshold_mb: float

    def __iter__(self) -> Iterator[object]:
        return iter((self.optimizer, self.tracker, self.cleanup_manager))


@pytest.fixture
def memory_optimized_test(request: pytest.FixtureRequest) -> Iterator[MemoryOptimizedTest]:
    """``(optimizer, tracker, cleanup_manager)``; warns when RSS stays grown after the test.

    The threshold is 5 MB, or ``@pytest.mark.memory(threshold_mb=N)``. At teardown the
    registered cleanups and the garbage collector run first; what RSS still holds above its
    level at setup is compared with the threshold.
    """
    marker = request.node.get_closest_marker("memory")
    threshold = float(
        marker.kwargs.get("threshold_mb", DEFAULT_MEMORY_THRESHOLD_MB)
        if marker
        else DEFAULT_MEMORY_THRESHOLD_MB
    )
    tracker = memory_mod.MemoryTracker()
    cleanup = memory_mod.CleanupManager(tracker.optimizer)
    yield MemoryOptimizedTest(tracker.optimizer, tracker, cleanup, threshold)
    cleanup.force_cleanup()
    memory_mod.warn_if_leaking(tracker.since_start_mb(), threshold, request.node.nodeid)


@pytest_asyncio.fixture(loop_scope="session")
async def comprehensive_tdd_benchmark(
    pgtdd_tdd_infrastructure: TDDDatabaseManager,
) -> AsyncIterator[BenchmarkContext]:
    """A :class:`BenchmarkContext` on the session's TDD pool, optimisations already probed.

    ``optimizations_enabled`` is filled from real operations (see
    :mod:`pgtdd.performance.comprehensive`); ``validate_performance_target(ms)`` and
    ``get_comprehensive_report()`` use the individual tests it measures at setup.
    """
    from pgtdd.performance.benchmark import TDDPerformanceBenchmark
    from pgtdd.performance.comprehensive import BenchmarkContext

    context = BenchmarkContext(TDDPerformanceBenchmark(pgtdd_tdd_infrastructure.connection_string))
    await context.observe()
    await context.measure_individual_tests()
    yield context


@pytest.fixture
def regression_detector(request: pytest.FixtureRequest) -> RegressionDetector:
    """A detector on ``--pgtdd-regression-file`` (ini ``pgtdd_regression_file``), else
    ``--pgtdd-baseline``, else a file in pytest's cache dir, or in ``.pgtdd/`` under the
    rootdir when the cache plugin is off (``-p no:cacheprovider``)."""
    return regression_mod.RegressionDetector(regression_file(request.config))


@pytest.fixture
def parallel_safe_test() -> Iterator[tuple[str, list[str]]]:
    """The performance guide's ``(test_id, resources)``: ``parallel_<8 hex>`` and the names
    ``table_users_<id>``, ``table_orders_<id>`` claimed for this test across the run's
    workers (:class:`ParallelTestManager`); skipped when they cannot be claimed."""
    test_id = f"parallel_{secrets.token_hex(4)}"
    manager = resources_mod.ParallelTestManager()
    resources = [f"table_users_{test_id}", f"table_orders_{test_id}"]
    if not manager.allocate(test_id, resources):
        held = ", ".join(f"{r} by {manager.holder_of(r)}" for r in resources)
        pytest.skip(f"Resources not available for parallel execution ({held})")
    try:
        yield test_id, resources
    finally:
        manager.release(test_id)
