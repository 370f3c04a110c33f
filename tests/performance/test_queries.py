"""Statement counts per test phase, from real connections to the session's server."""

from __future__ import annotations

import json

import pytest

from pgtdd.serverinfo import ServerInfo

ASYNCPG_SUITE = """
import os

import asyncpg
import pytest
import pytest_asyncio

from pgtdd.performance.queries import attach_query_counter


@pytest_asyncio.fixture
async def conn():
    connection = await asyncpg.connect(os.environ["TEST_DATABASE_URL"])
    attach_query_counter(connection)
    await connection.execute("SELECT 1")
    await connection.execute("SELECT 2")
    yield connection
    await connection.execute("SELECT 3")
    await connection.close()


@pytest.mark.asyncio
async def test_five_statements(conn):
    for i in range(5):
        assert await conn.fetchval("SELECT $1::int", i) == i


@pytest.mark.asyncio
async def test_one_statement(conn):
    await conn.execute("SELECT 1")
"""

PSYCOPG_SUITE = """
import os

import psycopg
import pytest

from pgtdd.performance.cursors import CountingCursor


@pytest.fixture
def conn():
    with psycopg.connect(os.environ["TEST_DATABASE_URL"], cursor_factory=CountingCursor) as c:
        yield c


def test_three_statements(conn):
    for _ in range(3):
        conn.execute("SELECT 1")


def test_executemany_counts_each_parameter_set(conn):
    with conn.cursor() as cur:
        cur.executemany("SELECT %s::int", [(1,), (2,), (3,), (4,)])
"""

INI = """[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""


def _counts(pytester: pytest.Pytester, server: ServerInfo, suite: str) -> dict[str, dict[str, int]]:
    pytester.makeini(INI)
    pytester.makepyfile(suite)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--pgtdd-perf-json", "p.json")
    result.assert_outcomes(passed=2)
    doc = json.loads((pytester.path / "p.json").read_text())
    return {t["nodeid"].split("::")[1]: t["queries"] for t in doc["tests"]}


def test_asyncpg_statements_are_counted_per_phase(
    pytester: pytest.Pytester, pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_DATABASE_URL", pgtdd_server.url)
    counts = _counts(pytester, pgtdd_server, ASYNCPG_SUITE)
    assert counts["test_five_statements"] == {"setup": 2, "call": 5, "teardown": 1}
    assert counts["test_one_statement"] == {"setup": 2, "call": 1, "teardown": 1}


def test_psycopg_counting_cursor_reports_each_statement(
    pytester: pytest.Pytester, pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_DATABASE_URL", pgtdd_server.url)
    counts = _counts(pytester, pgtdd_server, PSYCOPG_SUITE)
    assert counts["test_three_statements"]["call"] == 3
    assert counts["test_executemany_counts_each_parameter_set"]["call"] == 4
