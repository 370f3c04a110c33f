"""pytest integration: per-test phase timings and statement counts, the over-target summary,
``--pgtdd-perf-json``, ``--pgtdd-baseline`` and the ``tdd``/``performance``/``parallel``/
``memory`` markers.

Durations are pytest's own phase durations (``report.duration``). Statement counts come from
:mod:`pgtdd.performance.queries`. Under xdist, workers measure and attach the figures to
their reports; the controller collects them and writes the summary and files.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pgtdd.performance import queries
from pgtdd.performance.options import (
    CALL_MS_KEY,
    MARKERS,
    SUMMARY_OFF_HINT,
    add_options,
    summary_enabled,
    target_ms,
)
from pgtdd.performance.report import (
    TestTiming,
    median_or_none,
    over_target_lines,
    perf_document,
    regression_lines,
    server_record,
)

if TYPE_CHECKING:  # the regression store loads only with --pgtdd-baseline
    from pgtdd.performance.regression import RegressionDetector

pytest_plugins = ["pgtdd.performance.fixtures"]

RECORDER_KEY = pytest.StashKey["PerfRecorder"]()
QUERIES_ATTR = "pgtdd_queries"
SHARED_ATTR = "pgtdd_shared_setup"


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS.values():
        config.addinivalue_line("markers", line)
    recorder = PerfRecorder(config)
    config.stash[RECORDER_KEY] = recorder
    config.pluginmanager.register(recorder, "pgtdd-perf-recorder")


class PerfRecorder:
    """Measures on the process that runs tests; collects and reports on the one that reports."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.target_ms = target_ms(config)
        self.show_summary = summary_enabled(config)
        self.timings: dict[str, TestTiming] = {}
        self.started = time.perf_counter()
        self.regressions = 0
        self.summary_lines: list[str] = []
        self.regression_lines: list[str] = []
        self._shared: dict[str, float] = {}
        self._in_setup = False
        self.detector = self._load_detector()

    def _load_detector(self) -> RegressionDetector | None:
        path = self.config.getoption("pgtdd_baseline", None)
        if not path:
            return None
        if not Path(path).exists():
            raise pytest.UsageError(
                f"pgtdd: baseline {path} does not exist; build it from several runs with "
                "`pytest --pgtdd-perf-json runN.json` then `pgtdd perf-baseline "
                f"{path} run1.json run2.json run3.json`"
            )
        from pgtdd.performance.regression import BaselineError, RegressionDetector

        try:
            return RegressionDetector(
                path,
                regression_threshold=self.config.getoption("pgtdd_regression_threshold"),
                min_delta=self.config.getoption("pgtdd_regression_min_ms"),
            )
        except (BaselineError, ValueError) as exc:
            raise pytest.UsageError(f"pgtdd: {exc}") from None

    # -- measuring (local process or xdist worker) -------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, Any, Any]:
        counter = queries.QueryCounter()
        item.stash[_COUNTER_KEY] = counter
        self._shared = {}
        with queries.counting(counter):
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, Any, Any]:
        self._in_setup = True
        try:
            with queries.phase("setup"):
                return (yield)
        finally:
            self._in_setup = False

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, Any, Any]:
        _attach_tdd_connections()
        with queries.phase("call"):
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, Any, Any]:
        with queries.phase("teardown"):
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(
        self, fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
    ) -> Generator[None, Any, Any]:
        if fixturedef.scope == "function" or not self._in_setup:
            return (yield)
        start = time.perf_counter()
        try:
            return (yield)
        finally:
            name = f"{fixturedef.argname} ({fixturedef.scope})"
            self._shared[name] = self._shared.get(name, 0.0) + (time.perf_counter() - start) * 1e3

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        counter = item.stash.get(_COUNTER_KEY, None)
        if counter is not None:
            setattr(report, QUERIES_ATTR, counter.counts.get(call.when, 0))
        if call.when == "setup":
            setattr(report, SHARED_ATTR, _nested_total(self._shared))
        elif call.when == "call":
            item.stash[CALL_MS_KEY] = report.duration * 1000
        return report

    # -- collecting (local process or xdist controller) ---------------------------------

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        timing = self.timings.setdefault(report.nodeid, TestTiming(report.nodeid))
        ms = report.duration * 1000
        setattr(timing, f"{report.when}_ms", ms)
        timing.queries[report.when] = int(getattr(report, QUERIES_ATTR, 0) or 0)
        if report.when == "setup":
            timing.shared_fixtures = dict(getattr(report, SHARED_ATTR, {}) or {})
            timing.shared_setup_ms = min(sum(timing.shared_fixtures.values()), ms)
        if report.failed:
            timing.outcome = "failed" if report.when == "call" else "error"
        elif report.skipped and timing.outcome == "passed":
            timing.outcome = "skipped"

    # -- reporting -----------------------------------------------------------------------

    def _is_worker(self) -> bool:
        return hasattr(self.config, "workerinput")

    def _options_used(self) -> bool:
        return bool(self.config.getoption("pgtdd_perf_json", None) or self.detector is not None)

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.started = time.perf_counter()

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Compute the report before the terminal summary (which runs after this hook)."""
        if self._is_worker():
            return
        timings = [t for t in self.timings.values() if t.outcome != "skipped"]
        over = any(t.own_ms > self.target_ms for t in timings)
        if self.show_summary and timings and (over or self._options_used()):
            self.summary_lines = [*over_target_lines(timings, self.target_ms), SUMMARY_OFF_HINT]
        if self.detector is not None:
            median = median_or_none([t.own_ms for t in timings])
            self.regression_lines, self.regressions = regression_lines(
                self.detector, timings, median, _server_major(self.config)
            )
            fail = self.config.getoption("pgtdd_fail_on_regression", False)
            if fail and self.regressions and session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        path = self.config.getoption("pgtdd_perf_json", None)
        if path:
            self.write_json(Path(path), list(self.timings.values()))
            self.summary_lines.append(f"per-test timings written to {path}")

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.summary_lines:
            terminalreporter.section("pgtdd performance")
            for line in self.summary_lines:
                terminalreporter.write_line(line)
        if self.regression_lines:
            terminalreporter.section("pgtdd regressions vs baseline")
            for line in self.regression_lines:
                terminalreporter.write_line(line)

    def write_json(self, path: Path, timings: list[TestTiming]) -> None:
        wall_s = time.perf_counter() - self.started
        document = perf_document(timings, self.target_ms, wall_s, _server(self.config))
        document["summary"]["process_s"] = round(time.time() - _process_started(), 3)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2) + "\n")


def _server(config: pytest.Config) -> dict[str, Any]:
    """The session's server as the perf document records it (``{}`` when none started)."""
    from pgtdd.fixtures.keys import MANAGER_KEY

    manager = config.stash.get(MANAGER_KEY, None)
    server = manager.server if manager is not None else None
    if server is None or not server.version_num:
        return {}
    return server_record(server.version, server.version_num)


def _server_major(config: pytest.Config) -> int | None:
    major = _server(config).get("major")
    return int(major) if major else None


def _process_started() -> float:
    """This process's start (epoch seconds); psutil loads only for the report that says it."""
    import psutil

    return float(psutil.Process().create_time())


_COUNTER_KEY = pytest.StashKey[queries.QueryCounter]()


def _attach_tdd_connections() -> None:
    """Count statements on the TDD connections tests hold (when the TDD support is in use).

    A connection stays counted once attached, so from its second test on its setup
    statements are counted too. Counting from the very first statement needs the pool to
    attach each connection when it opens (``attach_query_counter_async`` as its init hook).
    """
    module = sys.modules.get("pgtdd.isolation.database")
    if module is None:
        return
    for connection in list(module.get_database_manager().active_connections.values()):
        queries.attach_query_counter(connection)


def _nested_total(shared: dict[str, float]) -> dict[str, float]:
    """Shared fixture setup times, rounded (plain floats: xdist serializes reports)."""
    return {name: round(ms, 3) for name, ms in shared.items()}
