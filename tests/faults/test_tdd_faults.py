"""Faults inside tests that use the TDD fixtures (savepoint per test on the session pool).

Each case runs an inner pytest session against a fresh database of its own on the session
server (``local`` profile), then checks from outside: the outcome of the faulty test and of the
test after it, nothing left connected to that database, no table committed into it.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from pgtdd.serverinfo import ServerInfo
from tests.faults.conftest import (
    BOUNDED_CONFTEST,
    InnerRun,
    inner_env,
    inner_project,
    run_inner,
    wait_no_backends,
)

HEADER = """
import contextlib
import pytest
from pgtdd.tdd_support import tdd_test_context as open_context
"""

POOL_EXHAUSTION = """
@pytest.mark.asyncio
async def test_a_exhausts_the_pool(tdd_test_context):
    await tdd_test_context.connection.execute("CREATE TABLE exhausted (v int)")
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(open_context(test_id="holder_one", nested=False))
        await stack.enter_async_context(open_context(test_id="one_too_many", nested=False))
"""

STATEMENT_TIMEOUT = """
@pytest.mark.asyncio
async def test_a_runs_too_long(tdd_test_context):
    await tdd_test_context.connection.execute("CREATE TABLE too_long (v int)")
    await tdd_test_context.connection.execute("SELECT pg_sleep(30)")
"""

COMMITS = """
@pytest.mark.asyncio
async def test_a_commits(tdd_test_context):
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE committed (v int)")
    await conn.execute("INSERT INTO committed VALUES (1)")
    await conn.execute("COMMIT")
"""

KILLS_CONNECTION = {
    "terminate": """
@pytest.mark.asyncio
async def test_a_kills_its_connection(tdd_test_context):
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE killed (v int)")
    await conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
""",
    "close": """
@pytest.mark.asyncio
async def test_a_kills_its_connection(tdd_test_context):
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE killed (v int)")
    await conn.close()
""",
}


def run_case(tmp_path: Path, db: ServerInfo, body: str, **env: str) -> InnerRun:
    """Run ``body`` followed by the next-test check against ``db``; check nothing is left."""
    project = inner_project(
        tmp_path / "p",
        {"conftest.py": BOUNDED_CONFTEST, "test_fault.py": HEADER + body + NEXT_TEST_BODY},
    )
    run = run_inner(project, inner_env(PGTDD_PROFILE="local", TEST_DATABASE_URL=db.url, **env))
    assert run.returncode == 1, run.out[-3000:]  # a test failed; no internal error
    assert "INTERNALERROR" not in run.out
    assert "HUNG" not in run.out
    assert not wait_no_backends(db, db.database), "connections left on the test database"
    assert committed_tables(db) == [], "a test committed data"
    return run


NEXT_TEST_BODY = """
@pytest.mark.asyncio
async def test_z_next_test_starts_clean(tdd_test_context):
    conn = tdd_test_context.connection
    rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    assert [r["tablename"] for r in rows] == []
    await conn.execute("CREATE TABLE next_test_table (v int)")
    await conn.execute("INSERT INTO next_test_table VALUES (1)")
    assert await conn.fetchval("SELECT count(*) FROM next_test_table") == 1
"""


def committed_tables(db: ServerInfo) -> list[str]:
    with psycopg.connect(db.url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return [str(r[0]) for r in rows]


def check_next_test_passed(run: InnerRun) -> None:
    assert "PASSED test_fault.py::test_z_next_test_starts_clean" in run.out, run.out[-3000:]
    assert "Task exception was never retrieved" not in run.out


def test_pool_exhaustion_names_the_holders_and_the_next_test_runs(
    fault_db: ServerInfo, tmp_path: Path
) -> None:
    run = run_case(tmp_path, fault_db, POOL_EXHAUSTION, DATAFLOW_TDD_POOL_SIZE="2")
    failure = run.section("test_a_exhausts_the_pool")
    assert "ConnectionPoolExhaustedError" in failure
    assert "became free within 5 s" in failure
    assert "held by test(s) test_a_exhausts_the_pool#" in failure and "holder_one" in failure
    assert "DATAFLOW_TDD_POOL_SIZE (now 2)" in failure
    check_next_test_passed(run)


def test_statement_over_the_timeout_fails_that_test_only(
    fault_db: ServerInfo, tmp_path: Path
) -> None:
    run = run_case(tmp_path, fault_db, STATEMENT_TIMEOUT, DATAFLOW_TDD_TIMEOUT="1")
    failure = run.section("test_a_runs_too_long")
    assert "QueryCanceledError" in failure
    assert "canceling statement due to statement timeout" in failure
    assert run.outcomes() == {"failed": 1, "passed": 1}
    check_next_test_passed(run)


def test_statement_timeout_error_names_the_limit_and_the_setting(
    fault_db: ServerInfo, tmp_path: Path
) -> None:
    run = run_case(tmp_path, fault_db, STATEMENT_TIMEOUT, DATAFLOW_TDD_TIMEOUT="1")
    failure = run.section("test_a_runs_too_long")
    assert "DATAFLOW_TDD_TIMEOUT" in failure and "1 s" in failure


def test_commit_in_a_test_is_flagged_and_the_next_test_starts_clean(
    fault_db: ServerInfo, tmp_path: Path
) -> None:
    run = run_case(tmp_path, fault_db, COMMITS)
    assert "pgtdd refused COMMIT inside a test transaction" in run.section("test_a_commits")
    teardown = run.section("ERROR at teardown of test_a_commits")
    assert "TDDIsolationError" in teardown and "ended the transaction that isolates it" in teardown
    assert run.outcomes() == {"failed": 1, "passed": 1, "errors": 1}
    check_next_test_passed(run)


@pytest.mark.parametrize("how", sorted(KILLS_CONNECTION))
def test_test_that_kills_its_connection_is_flagged_and_the_next_test_starts_clean(
    fault_db: ServerInfo, tmp_path: Path, how: str
) -> None:
    run = run_case(tmp_path, fault_db, KILLS_CONNECTION[how])
    assert "closed its connection" in run.out
    assert "released back to the pool" not in run.out
    check_next_test_passed(run)
