"""Time migration SQL on a real connection, keep baselines, detect regressions (spec 004).

Durations are wall-clock times of ``execute`` round trips on the given connection (median of
``repeat`` runs). ``memory_mb`` stays ``None``: PostgreSQL exposes no per-statement peak memory,
and the toolkit never reports a number it did not measure.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from pglast import ast

from pgtdd.migrations._db import Connection, Target, is_idle, open_target
from pgtdd.migrations.runner import needs_autocommit
from pgtdd.migrations.sql_ast import SqlParseError, parse, statement_text

DEFAULT_THRESHOLDS = {"CREATE TABLE": 5.0, "CREATE INDEX": 10.0, "BULK INSERT 10K": 30.0}
EXPLAINABLE = (
    ast.SelectStmt,
    ast.InsertStmt,
    ast.UpdateStmt,
    ast.DeleteStmt,
    ast.MergeStmt,
    ast.CreateTableAsStmt,
)


def postgres_variables_url(env: Mapping[str, str]) -> str | None:
    """The URL the ``POSTGRES_*`` variables name (libpq's defaults for the parts not set), or
    ``None`` when none of them is set."""
    from pgtdd.config.settings import POSTGRES_VARIABLES, with_url_parts

    parts = {part: env[name] for name, part in POSTGRES_VARIABLES.items() if env.get(name)}
    if not parts:
        return None
    return with_url_parts("postgresql://localhost:5432/postgres", **parts)


def threshold_variable(operation: str) -> str:
    """``PERF_<OPERATION>_THRESHOLD`` (upper case, non-alphanumerics as ``_``)."""
    return "PERF_" + re.sub(r"[^A-Z0-9]+", "_", operation.upper()).strip("_") + "_THRESHOLD"


def threshold_for(operation: str, env: Mapping[str, str] | None = None) -> float | None:
    """Seconds allowed for ``operation``: its own ``PERF_*_THRESHOLD``, else that of the known
    operation it starts with (CREATE TABLE 5 s, CREATE INDEX 10 s, BULK INSERT 10K 30 s)."""
    env = os.environ if env is None else env
    known = (k for k in DEFAULT_THRESHOLDS if operation.upper().startswith(k))
    candidates = [operation, *sorted(known, key=len, reverse=True)]
    for name in candidates:
        variable = threshold_variable(name)
        if variable in env:
            try:
                return float(env[variable])
            except ValueError:
                raise ValueError(
                    f"{variable}={env[variable]!r} is not a number of seconds"
                ) from None
        if name in DEFAULT_THRESHOLDS:
            return DEFAULT_THRESHOLDS[name]
    return None


@dataclass
class PerformanceProfile:
    """One operation's measured timing; ``duration_seconds`` is ``None`` (unknown) when the
    operation failed: a failed run has no duration to compare or average."""

    operation: str
    duration_seconds: float | None
    timestamp: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    success: bool = True
    memory_mb: float | None = None
    query_plan: str | None = None
    durations: list[float] = field(default_factory=list)
    error: str | None = None
    threshold_seconds: float | None = None

    @property
    def exceeds_threshold(self) -> bool:
        """Slower than its ``PERF_*_THRESHOLD`` (False when it has none or no duration)."""
        return (
            self.threshold_seconds is not None
            and self.duration_seconds is not None
            and self.duration_seconds > self.threshold_seconds
        )

    def calculate_regression(self, baseline_seconds: float) -> float:
        """Percent change from ``baseline_seconds`` (+50 means 50 % slower); a failed
        operation (no duration) raises ``ValueError`` naming its error."""
        if baseline_seconds <= 0:
            raise ValueError(f"baseline_seconds must be positive, got {baseline_seconds}")
        if self.duration_seconds is None:
            raise ValueError(
                f"{self.operation} failed ({self.error}): it has no duration to compare; "
                "check profile.success first"
            )
        return (self.duration_seconds - baseline_seconds) / baseline_seconds * 100

    def is_regression(self, baseline_seconds: float, threshold_pct: float = 20) -> bool:
        """Slower than the baseline by more than ``threshold_pct`` percent."""
        return self.calculate_regression(baseline_seconds) > threshold_pct

    def get_summary(self) -> str:
        """One human-readable line."""
        state = "ok" if self.success else f"FAILED ({self.error})"
        if self.duration_seconds is None:
            return f"{self.operation}: no duration [{state}]"
        runs = f" median of {len(self.durations)} runs" if len(self.durations) > 1 else ""
        limit = ""
        if self.threshold_seconds is not None:
            over = "OVER" if self.exceeds_threshold else "within"
            limit = f", {over} threshold {self.threshold_seconds:g}s"
        return f"{self.operation}: {self.duration_seconds * 1000:.2f} ms{runs}{limit} [{state}]"

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return asdict(self)


class MigrationPerformanceProfiler:
    """Times SQL on a connection (or a URL/ServerInfo given here or in ``DATABASE_URL``)."""

    def __init__(
        self,
        db_connection: Target | None = None,
        *,
        repeat: int = 1,
        explain: bool = False,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.default_target = db_connection
        self.repeat = repeat
        self.explain = explain
        self.env = os.environ if env is None else env
        self.profiles: list[PerformanceProfile] = []

    def profile_operation(
        self,
        operation: str,
        sql: str,
        db_connection: Target | None = None,
        timeout_seconds: float | None = None,
        *,
        repeat: int | None = None,
        explain: bool | None = None,
    ) -> PerformanceProfile:
        """Run ``sql`` and time it. With ``repeat`` > 1 every run but the last is rolled back
        (so each starts from the same state) and the median is reported; the last run's effects
        stay, as with a single run. ``explain`` adds ``EXPLAIN (ANALYZE, BUFFERS)`` of each
        plannable statement (run in a rolled-back transaction) as ``query_plan``. A statement
        over ``timeout_seconds`` is cancelled and the profile marked failed."""
        runs = self.repeat if repeat is None else repeat
        if runs < 1:
            raise ValueError("repeat must be at least 1")
        conn, owned = self._connection(db_connection)
        try:
            profile = self._measure(conn, operation, sql, runs, timeout_seconds)
            if (self.explain if explain is None else explain) and profile.success:
                profile.query_plan = self._explain(conn, sql)
        finally:
            if owned:
                conn.close()
        self.profiles.append(profile)
        return profile

    def _connection(self, given: Target | None) -> tuple[Connection, bool]:
        target = given if given is not None else self.default_target
        if target is None:
            target = (
                self.env.get("DATABASE_URL")
                or self.env.get("TEST_DATABASE_URL")
                or postgres_variables_url(self.env)
            )
        if target is None:
            raise ValueError(
                "no database to profile on: pass db_connection=, give the profiler a connection "
                "or URL, or set DATABASE_URL (or POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, "
                "POSTGRES_PASSWORD, POSTGRES_DB)"
            )
        return open_target(target)

    def _measure(
        self, conn: Connection, operation: str, sql: str, runs: int, timeout: float | None
    ) -> PerformanceProfile:
        if runs > 1 and needs_autocommit(sql):
            raise ValueError(
                f"{operation}: statements that cannot run in a transaction (CONCURRENTLY...) "
                "cannot be repeated and rolled back; use repeat=1"
            )
        durations: list[float] = []
        error = None
        for number in range(runs):
            try:
                durations.append(self._timed(conn, sql, timeout, rollback=number < runs - 1))
            except psycopg.Error as exc:
                error = _describe(exc, timeout)
                break
        return PerformanceProfile(
            operation=operation,
            # a failed run's duration is unknown (the runs before the failure are in durations)
            duration_seconds=statistics.median(durations) if error is None else None,
            success=error is None,
            durations=durations,
            error=error,
            threshold_seconds=threshold_for(operation, self.env),
        )

    def _timed(self, conn: Connection, sql: str, timeout: float | None, rollback: bool) -> float:
        with _cancel_after(conn, timeout):
            if rollback:
                with conn.transaction(force_rollback=True):
                    started = time.perf_counter()
                    conn.execute(sql.encode())
                    return time.perf_counter() - started
            if not is_idle(conn):
                with conn.transaction():  # a savepoint: a failure keeps the caller's work
                    started = time.perf_counter()
                    conn.execute(sql.encode())
                    return time.perf_counter() - started
            try:
                started = time.perf_counter()
                conn.execute(sql.encode())
                return time.perf_counter() - started
            except psycopg.Error:
                if not conn.autocommit:
                    conn.rollback()
                raise

    def _explain(self, conn: Connection, sql: str) -> str | None:
        try:
            stmts = parse(sql)
        except SqlParseError:
            return None
        plans = []
        for stmt in stmts:
            if not isinstance(stmt.stmt, EXPLAINABLE):
                continue
            text = statement_text(sql, stmt)
            with conn.transaction(force_rollback=True):
                rows = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {text}".encode()).fetchall()
            plans.append("\n".join(str(r[0]) for r in rows))
        return "\n\n".join(plans) or None

    def get_profiles(self, operation: str | None = None) -> list[PerformanceProfile]:
        """Profiles taken so far (of one operation name when given), in order."""
        return [p for p in self.profiles if operation is None or p.operation == operation]

    def get_baseline(self) -> PerformanceBaseline | None:
        """A baseline from the successful profiles (medians per operation), or ``None``."""
        done = [p for p in self.profiles if p.success and p.duration_seconds is not None]
        if not done:
            return None
        baseline = PerformanceBaseline()
        for profile in done:
            for seconds in profile.durations or [profile.duration_seconds or 0.0]:
                baseline.add_profile(profile.operation, seconds)
        return baseline


def _describe(exc: psycopg.Error, timeout: float | None) -> str:
    if isinstance(exc, psycopg.errors.QueryCanceled) and timeout is not None:
        return f"cancelled after timeout_seconds={timeout:g}: {exc.diag.message_primary}"
    return f"{exc.diag.message_primary or exc} [{exc.sqlstate}]"


@contextmanager
def _cancel_after(conn: Connection, seconds: float | None) -> Iterator[None]:
    """Cancel the running statement on ``conn`` if it takes longer than ``seconds``."""
    if seconds is None:
        yield
        return
    timer = threading.Timer(seconds, conn.cancel_safe)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


class PerformanceBaseline:
    """Durations per operation name; the baseline of an operation is the median of its samples."""

    def __init__(self) -> None:
        self._samples: dict[str, list[float]] = {}

    def add_profile(
        self, operation_name: str, duration_seconds: float | PerformanceProfile | None
    ) -> None:
        """Record one duration for ``operation_name`` (a number, or a profile's duration);
        an unknown one (``None``: a failed run) is skipped, never counted as 0."""
        if isinstance(duration_seconds, PerformanceProfile):
            duration_seconds = duration_seconds.duration_seconds
        if duration_seconds is None:
            return
        if duration_seconds < 0:
            raise ValueError(f"duration_seconds must not be negative, got {duration_seconds}")
        self._samples.setdefault(operation_name, []).append(float(duration_seconds))

    def samples(self, operation: str) -> list[float]:
        """Every duration recorded for ``operation``."""
        return list(self._samples.get(operation, []))

    def get_baseline(self, operation: str) -> PerformanceProfile | None:
        """The median profile of ``operation``, or ``None`` if it was never recorded."""
        samples = self._samples.get(operation)
        if not samples:
            return None
        return PerformanceProfile(
            operation, statistics.median(samples), durations=list(samples), success=True
        )

    def detect_regression(
        self, operation: str, current_seconds: float, threshold_pct: float = 20
    ) -> bool:
        """Whether ``current_seconds`` is more than ``threshold_pct`` % above the baseline."""
        baseline = self.get_baseline(operation)
        if baseline is None:
            raise KeyError(
                f"no baseline for {operation!r}: add_profile({operation!r}, seconds) first "
                f"(known: {sorted(self._samples)})"
            )
        current = PerformanceProfile(operation, current_seconds)
        assert baseline.duration_seconds is not None  # a baseline holds recorded durations
        return current.is_regression(baseline.duration_seconds, threshold_pct)

    def get_all_baselines(self) -> dict[str, PerformanceProfile]:
        """Baselines of every operation."""
        return {op: p for op in self._samples if (p := self.get_baseline(op)) is not None}

    def get_statistics(self) -> dict[str, Any]:
        """``count``, ``min``, ``max``, ``average``, ``median`` over all samples, and the same per
        operation under ``operations``."""
        every = [s for samples in self._samples.values() for s in samples]
        result: dict[str, Any] = _stats(every)
        result["operations"] = {op: _stats(s) for op, s in self._samples.items()}
        return result

    def to_json(self) -> str:
        """The samples as JSON."""
        return json.dumps({"samples": self._samples}, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PerformanceBaseline:
        """A baseline read back from :meth:`to_json`."""
        baseline = cls()
        for operation, samples in json.loads(text)["samples"].items():
            for seconds in samples:
                baseline.add_profile(operation, seconds)
        return baseline

    def save(self, path: Path | str) -> None:
        """Write :meth:`to_json` to ``path``."""
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: Path | str) -> PerformanceBaseline:
        """Read a baseline written by :meth:`save`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def _stats(samples: list[float]) -> dict[str, Any]:
    if not samples:
        return {"count": 0, "min": None, "max": None, "average": None, "median": None}
    return {
        "count": len(samples),
        "min": min(samples),
        "max": max(samples),
        "average": statistics.fmean(samples),
        "median": statistics.median(samples),
    }
