"""pgtdd's performance targets, in one table that every report, alert and gate derives from.

``TARGETS_MS`` are goals a healthy setup meets (``pgtdd bench`` reports against them, the
per-test summary and the monitor fixtures warn past them). The CI gate's defaults are hard
limits derived from the same figures: an average at the target, a maximum and a fixture setup
at twice the target (one slow outlier should not fail a run), a whole suite under 30 s.
"""

from __future__ import annotations

TARGETS_MS: dict[str, float] = {
    "individual_test": 100.0,
    "fixture_setup": 5.0,
    "connection_acquire": 5.0,
    "schema_operation": 10.0,
    "test_cleanup": 5.0,
    "parallel_execution": 100.0,
    "test_suite_20": 5000.0,
}
MEMORY_TARGET_MB = 10.0
# Memory one test context may add to the process (the spec's "Memory Overhead <2MB").
MEMORY_OVERHEAD_TARGET_MB = 2.0
# Growth of the process memory during one test above which the memory fixtures warn of a leak.
MEMORY_LEAK_THRESHOLD_MB = 5.0
SUITE_LIMIT_S = 30.0

# What the monitor fixtures alert on (metric names as recorded by tests).
MONITOR_THRESHOLDS: dict[str, float] = {
    "test_duration_ms": TARGETS_MS["individual_test"],
    "fixture_setup_ms": TARGETS_MS["fixture_setup"],
    "memory_usage_mb": MEMORY_TARGET_MB,
}

# The CI gate's upper limits (``pgtdd perf-gate``, ``PerformanceGate``).
GATE_LIMITS: dict[str, float] = {
    "average_test_time_ms": TARGETS_MS["individual_test"],
    "max_test_time_ms": 2 * TARGETS_MS["individual_test"],
    "fixture_setup_time_ms": 2 * TARGETS_MS["fixture_setup"],
    "test_suite_time_seconds": SUITE_LIMIT_S,
}

# The TDD inner loop (issue 16 C): one database test against a reused server, as a ratio of
# the same pytest run of one plain test with pgtdd disabled; and the plugin's import cost.
INNER_LOOP_RATIO_TARGET = 1.3
PLUGIN_IMPORT_TARGET_MS = 100.0
