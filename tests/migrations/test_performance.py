"""Profiler, profiles and baselines: measured on a real connection, never invented."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from pgtdd.migrations import (
    MigrationPerformanceProfiler,
    PerformanceBaseline,
    PerformanceProfile,
)
from pgtdd.migrations.performance import threshold_for, threshold_variable


def test_profile_times_the_sql_on_the_connection(
    test_db_connection: psycopg.Connection[Any],
) -> None:
    profiler = MigrationPerformanceProfiler()
    profile = profiler.profile_operation(
        "CREATE TABLE users", "CREATE TABLE users (id int PRIMARY KEY)", test_db_connection
    )
    assert profile.success and profile.error is None
    assert profile.duration_seconds > 0 and profile.durations == [profile.duration_seconds]
    assert profile.memory_mb is None  # not measurable, so not reported
    test_db_connection.commit()
    assert test_db_connection.execute("SELECT count(*) FROM users").fetchone() == (0,)


def test_repeats_are_rolled_back_except_the_last(
    test_db_connection: psycopg.Connection[Any],
) -> None:
    test_db_connection.execute("CREATE TABLE t (i int)")
    profile = MigrationPerformanceProfiler().profile_operation(
        "insert", "INSERT INTO t SELECT generate_series(1, 100)", test_db_connection, repeat=5
    )
    assert len(profile.durations) == 5
    assert test_db_connection.execute("SELECT count(*) FROM t").fetchone() == (100,)


def test_explain_analyze_goes_into_query_plan(
    test_db_connection: psycopg.Connection[Any],
) -> None:
    test_db_connection.execute("CREATE TABLE t AS SELECT generate_series(1, 1000) AS i")
    profile = MigrationPerformanceProfiler(explain=True).profile_operation(
        "update", "UPDATE t SET i = i + 1 WHERE i < 10", test_db_connection
    )
    assert profile.query_plan is not None
    assert "Seq Scan on t" in profile.query_plan and "actual time" in profile.query_plan
    # the EXPLAIN ANALYZE run was rolled back: only the profiled run changed rows
    assert test_db_connection.execute("SELECT sum(i) FROM t").fetchone() == (500500 + 9,)


def test_failure_is_reported_not_hidden(test_db_connection: psycopg.Connection[Any]) -> None:
    profile = MigrationPerformanceProfiler().profile_operation(
        "bad", "SELECT * FROM nowhere", test_db_connection
    )
    assert not profile.success and "nowhere" in (profile.error or "")
    assert "FAILED" in profile.get_summary()
    assert test_db_connection.execute("SELECT 1").fetchone() == (1,)  # still usable


def test_a_failed_run_has_no_duration_and_is_never_averaged(
    test_db_connection: psycopg.Connection[Any],
) -> None:
    profiler = MigrationPerformanceProfiler()
    good = profiler.profile_operation("select", "SELECT 1", test_db_connection)
    bad = profiler.profile_operation("select", "SELECT * FROM nowhere", test_db_connection)
    assert good.duration_seconds is not None and good.duration_seconds > 0
    assert bad.duration_seconds is None  # unknown, not 0.0
    assert bad.exceeds_threshold is False and "no duration" in bad.get_summary()
    with pytest.raises(ValueError, match=r"select failed .* no duration to compare"):
        bad.is_regression(baseline_seconds=1.0)
    baseline = profiler.get_baseline()
    assert baseline is not None and baseline.samples("select") == good.durations
    by_hand = PerformanceBaseline()
    by_hand.add_profile("select", bad)  # skipped
    by_hand.add_profile("select", good)
    by_hand.add_profile("select", None)  # skipped
    stats = by_hand.get_statistics()
    assert stats["count"] == 1 and stats["average"] == good.duration_seconds


def test_timeout_cancels_the_statement(test_db_connection: psycopg.Connection[Any]) -> None:
    profile = MigrationPerformanceProfiler().profile_operation(
        "sleep", "SELECT pg_sleep(30)", test_db_connection, timeout_seconds=0.2
    )
    assert not profile.success and "timeout_seconds=0.2" in (profile.error or "")


def test_repeated_operation_names_are_kept_apart(
    test_db_connection: psycopg.Connection[Any],
) -> None:
    profiler = MigrationPerformanceProfiler()
    for _ in range(3):
        profiler.profile_operation("select", "SELECT 1", test_db_connection)
    profiler.profile_operation("other", "SELECT 2", test_db_connection)
    assert len(profiler.get_profiles("select")) == 3
    baseline = profiler.get_baseline()
    assert baseline is not None and len(baseline.samples("select")) == 3


def test_baseline_uses_medians_and_detects_regressions() -> None:
    baseline = PerformanceBaseline()
    for seconds in (0.5, 0.4, 9.0):  # one outlier
        baseline.add_profile("CREATE TABLE", seconds)
    median = baseline.get_baseline("CREATE TABLE")
    assert median is not None and median.duration_seconds == 0.5
    assert baseline.detect_regression("CREATE TABLE", 0.65, threshold_pct=20)
    assert not baseline.detect_regression("CREATE TABLE", 0.55, threshold_pct=20)
    with pytest.raises(KeyError, match="no baseline"):
        baseline.detect_regression("unknown", 1.0)
    stats = baseline.get_statistics()
    assert stats["count"] == 3 and stats["min"] == 0.4 and stats["max"] == 9.0
    assert PerformanceBaseline.from_json(baseline.to_json()).samples("CREATE TABLE") == [
        0.5,
        0.4,
        9.0,
    ]


def test_profile_regression_arithmetic() -> None:
    profile = PerformanceProfile("op", 1.5)
    assert profile.calculate_regression(1.0) == pytest.approx(50.0)
    assert profile.is_regression(1.0, threshold_pct=20)
    assert not profile.is_regression(1.4, threshold_pct=20)
    with pytest.raises(ValueError, match="positive"):
        profile.calculate_regression(0)


def test_thresholds_come_from_perf_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    assert threshold_variable("Bulk Insert 10k") == "PERF_BULK_INSERT_10K_THRESHOLD"
    assert threshold_for("CREATE TABLE users", {}) == 5.0
    assert threshold_for("CREATE INDEX", {"PERF_CREATE_INDEX_THRESHOLD": "2.5"}) == 2.5
    assert threshold_for("CREATE TABLE x", {"PERF_CREATE_TABLE_X_THRESHOLD": "1"}) == 1.0
    assert threshold_for("VACUUM", {}) is None
    with pytest.raises(ValueError, match="not a number"):
        threshold_for("CREATE TABLE", {"PERF_CREATE_TABLE_THRESHOLD": "fast"})
    monkeypatch.setenv("PERF_CREATE_TABLE_THRESHOLD", "0")
    profile = PerformanceProfile(
        "CREATE TABLE", 0.01, threshold_seconds=threshold_for("CREATE TABLE")
    )
    assert profile.exceeds_threshold and "OVER threshold" in profile.get_summary()


def test_profiler_without_a_connection_uses_database_url(
    test_db_connection: psycopg.Connection[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    with pytest.raises(ValueError, match="set DATABASE_URL"):
        MigrationPerformanceProfiler().profile_operation("x", "SELECT 1")
    url = test_db_connection.info.dsn + " password=" + (test_db_connection.info.password or "")
    monkeypatch.setenv("DATABASE_URL", url)
    assert MigrationPerformanceProfiler().profile_operation("x", "SELECT 1").success
