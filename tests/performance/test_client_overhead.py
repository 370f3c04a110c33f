"""The per-client overhead table of `pgtdd bench`: every client's fixture measured in one run,
interleaved, each against the asyncpg fixture's median."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pgtdd.performance.client_overhead import (
    FIXTURES,
    LABELS,
    ClientOverhead,
    format_client_overhead,
    run_client_overhead,
    suite_source,
)
from pgtdd.serverinfo import ServerInfo


def test_the_generated_suite_has_one_test_per_fixture() -> None:
    source = suite_source(4)
    compile(source, "test_clients.py", "exec")
    for name, (fixture, _is_async) in FIXTURES.items():
        assert f"def test_{name}(" in source
        if fixture:
            assert fixture in source


def test_one_run_measures_every_client(pgtdd_server: ServerInfo) -> None:
    env = {"PGTDD_PROFILE": "local", "TEST_DATABASE_URL": pgtdd_server.url}
    run = run_client_overhead(3, env=env)
    summary = run.summary()
    assert set(summary) == set(FIXTURES)
    assert all(row["count"] == 3 and row["median"] > 0 for row in summary.values())
    assert summary["asyncpg"]["vs_asyncpg"] == 1.0
    lines = format_client_overhead(summary)
    for label in LABELS.values():
        assert any(line.strip().startswith(label) for line in lines), label
    assert lines[-1].startswith("  goal: sync psycopg and SQLAlchemy within 1.5x of asyncpg")


def test_the_goal_compares_the_sync_clients_with_asyncpg() -> None:
    fast = ClientOverhead({"asyncpg": [2.0], "psycopg": [2.9], "sqlalchemy": [1.0]}, 1.0)
    slow = ClientOverhead({"asyncpg": [2.0], "psycopg": [3.1], "sqlalchemy": [1.0]}, 1.0)
    assert fast.goal_met() and not slow.goal_met()
    assert "NOT met" in format_client_overhead(slow.summary())[-1]


def test_pgtdd_bench_lists_the_clients_side_by_side(pgtdd_server: ServerInfo) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(PGTDD_PROFILE="local", TEST_DATABASE_URL=pgtdd_server.url)
    done = subprocess.run(
        [sys.executable, "-m", "pgtdd", "bench", "--scale", "0.05", "--suite-runs", "0",
         "--client-tests", "3", "--inner-loop-runs", "0", "--json"],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert set(report["client_overhead"]) == set(FIXTURES)
