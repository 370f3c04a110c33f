"""Per-test overhead of each client's fixture, side by side, in one pytest process.

A generated suite of empty tests, one per fixture (``tdd_test_context`` on asyncpg,
``pgtdd_psycopg``, ``pgtdd_sqlalchemy``, ``pgtdd_sqlalchemy_async``) and two with no fixture
(sync and async: what pytest and pytest-asyncio cost by themselves), runs as one child process,
the tests interleaved (one of each, then the next round) so that a busy machine weighs on all
alike. A test's overhead is its setup plus teardown duration (``report.duration``); the first
rounds (session setup, warm-up) are left out; pytest-django, when installed, is not loaded
(its autouse fixtures would add the same cost to every test). Medians and p95 per fixture,
and each median against the asyncpg fixture's (pgtdd's goal: the sync clients within 1.5x).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pgtdd.performance.stats import summarize

WARMUP_ROUNDS = 10
GOAL_RATIO = 1.5
# name -> (fixture, async test?)
FIXTURES: dict[str, tuple[str | None, bool]] = {
    "asyncpg": ("tdd_test_context", True),
    "psycopg": ("pgtdd_psycopg", False),
    "sqlalchemy": ("pgtdd_sqlalchemy", False),
    "sqlalchemy_async": ("pgtdd_sqlalchemy_async", True),
    "none_sync": (None, False),
    "none_async": (None, True),
}
BASELINE = "asyncpg"
SYNC_CLIENTS = ("psycopg", "sqlalchemy")

INI = """\
[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""

RECORDER = """
import json, os

PHASES = {}

def pytest_collection_modifyitems(items):
    groups = {}
    for item in items:
        groups.setdefault(item.originalname, []).append(item)
    items[:] = [item for row in zip(*groups.values()) for item in row]

def pytest_runtest_logreport(report):
    if report.when in ("setup", "teardown"):
        name = report.nodeid.split("::")[-1].split("[")[0].removeprefix("test_")
        PHASES.setdefault(name, {}).setdefault(report.nodeid, 0.0)
        PHASES[name][report.nodeid] += report.duration * 1000

def pytest_sessionfinish(session):
    with open(os.environ["PGTDD_CLIENT_BENCH_OUT"], "w") as out:
        json.dump({name: list(tests.values()) for name, tests in PHASES.items()}, out)
"""


def available() -> dict[str, tuple[str | None, bool]]:
    """The entries of :data:`FIXTURES` whose optional extras are installed."""
    from importlib.util import find_spec

    missing = set()
    if find_spec("sqlalchemy") is None:
        missing |= {"sqlalchemy", "sqlalchemy_async"}
    elif find_spec("greenlet") is None:
        missing.add("sqlalchemy_async")
    return {name: entry for name, entry in FIXTURES.items() if name not in missing}


def suite_source(rounds: int) -> str:
    """The generated test module: one test function per available entry of :data:`FIXTURES`."""
    lines = ["import pytest", "", f"N = {rounds}", ""]
    for name, (fixture, is_async) in available().items():
        args = ", ".join(a for a in (fixture, "i") if a)
        if is_async:
            lines.append("@pytest.mark.asyncio")
        lines.append('@pytest.mark.parametrize("i", range(N))')
        lines.append(f"{'async ' if is_async else ''}def test_{name}({args}):")
        lines += ["    pass", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class ClientOverhead:
    """What one run measured: per fixture, the overheads in milliseconds (warm-up left out)."""

    samples: Mapping[str, list[float]]
    wall_s: float

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per fixture: median, p95, count, and the median against the asyncpg fixture's."""
        rows = {name: summarize(values) for name, values in self.samples.items() if values}
        base = rows.get(BASELINE, {}).get("median")
        for row in rows.values():
            row["vs_asyncpg"] = row["median"] / base if base else None
        return rows

    def goal_met(self) -> bool:
        """The sync clients' medians within :data:`GOAL_RATIO` of the asyncpg fixture's."""
        rows = self.summary()
        ratios = [rows[name]["vs_asyncpg"] for name in SYNC_CLIENTS if name in rows]
        return bool(ratios) and all(r is not None and r <= GOAL_RATIO for r in ratios)


def run_client_overhead(
    rounds: int, env: Mapping[str, str] | None = None, timeout: float = 1800
) -> ClientOverhead:
    """Run the generated suite (``rounds`` tests per fixture) as a child pytest process."""
    import time

    with tempfile.TemporaryDirectory(prefix="pgtdd-client-bench-") as tmp:
        folder = Path(tmp)
        (folder / "pytest.ini").write_text(INI)
        (folder / "conftest.py").write_text(RECORDER)
        (folder / "test_clients.py").write_text(suite_source(rounds + WARMUP_ROUNDS))
        out = folder / "phases.json"
        environment = {**os.environ, **(env or {}), "PGTDD_CLIENT_BENCH_OUT": str(out)}
        environment.pop("PYTEST_ADDOPTS", None)
        environment.pop("DATAFLOW_TDD_MODE", None)
        # pytest-django (when installed) adds autouse fixtures to every test: not measured here
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "-p", "no:django", "--no-pgtdd-perf-summary"]
        started = time.perf_counter()
        done = subprocess.run(
            command, cwd=folder, env=environment, capture_output=True, text=True,
            timeout=timeout, check=False,
        )
        wall = time.perf_counter() - started
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(
                f"the client overhead suite failed (exit {done.returncode}):\n"
                f"{(done.stdout + done.stderr)[-3000:]}"
            )
        phases: dict[str, list[float]] = json.loads(out.read_text())
    return ClientOverhead({k: v[WARMUP_ROUNDS:] for k, v in phases.items()}, wall)


LABELS = {
    "asyncpg": "tdd_test_context (asyncpg)",
    "psycopg": "pgtdd_psycopg",
    "sqlalchemy": "pgtdd_sqlalchemy",
    "sqlalchemy_async": "pgtdd_sqlalchemy_async",
    "none_sync": "no fixture, sync test",
    "none_async": "no fixture, async test",
}


def format_client_overhead(summary: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The side-by-side table of :meth:`ClientOverhead.summary`."""
    lines = [
        "per-test overhead of each client's fixture (setup + teardown, tests interleaved, "
        "one run):",
        f"  {'fixture':<28} {'n':>5} {'median ms':>10} {'p95 ms':>9} {'vs asyncpg':>11}",
    ]
    for name, label in LABELS.items():
        row = summary.get(name)
        if row is None:
            continue
        ratio = f"{row['vs_asyncpg']:.2f}x" if row.get("vs_asyncpg") is not None else "-"
        lines.append(
            f"  {label:<28} {row['count']:>5} {row['median']:>10.3f} {row['p95']:>9.3f} "
            f"{ratio:>11}"
        )
    ratios = [summary[n]["vs_asyncpg"] for n in SYNC_CLIENTS if n in summary]
    met = bool(ratios) and all(r is not None and r <= GOAL_RATIO for r in ratios)
    lines.append(
        f"  goal: sync psycopg and SQLAlchemy within {GOAL_RATIO}x of asyncpg: "
        f"{'met' if met else 'NOT met'}"
    )
    return lines
