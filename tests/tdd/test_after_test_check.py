"""After every test: what it left is named, and the next test starts clean."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import psycopg
import pytest

from pgtdd.tdd_support import (
    TDDIsolationError,
    TDDIsolationWarning,
    TDDTestContext,
    get_database_manager,
    tdd_test_context,
)
from tests.tdd.conftest import RunPytest

Outside = psycopg.Connection[tuple[object, ...]]


@pytest.mark.asyncio
async def test_commit_is_refused_and_reported(
    pgtdd_tdd_infrastructure: Any, outside: Outside
) -> None:
    with pytest.raises(TDDIsolationError) as caught:
        async with tdd_test_context(test_id="committer") as context:
            conn = context.connection
            await conn.execute("CREATE TABLE public.check_commit (x int)")
            with pytest.raises(asyncpg.InvalidTransactionTerminationError, match="refused"):
                await conn.execute("COMMIT")
    message = str(caught.value)
    assert "test committer ended the transaction that isolates it" in message
    assert "`COMMIT` (refused by the commit guard: nothing was committed)" in message
    assert "nested savepoint" in message
    assert outside.execute("SELECT to_regclass('public.check_commit')").fetchone() == (None,)


@pytest.mark.asyncio
async def test_writes_after_a_rollback_cannot_persist(
    pgtdd_tdd_infrastructure: Any, outside: Outside
) -> None:
    with pytest.raises(TDDIsolationError, match="it ran `ROLLBACK`") as caught:
        async with tdd_test_context() as context:
            conn = context.connection
            await conn.execute("ROLLBACK")
            with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
                await conn.execute("CREATE TABLE public.check_after_rollback (x int)")
    assert "connection was discarded" in str(caught.value)
    assert outside.execute("SELECT to_regclass('public.check_after_rollback')").fetchone() == (
        None,
    )


@pytest.mark.asyncio
async def test_commit_and_begin_again_is_reported(pgtdd_tdd_infrastructure: Any) -> None:
    with pytest.raises(TDDIsolationError, match="began another one"):
        async with tdd_test_context() as context:
            conn = context.connection
            await conn.execute("ROLLBACK; BEGIN READ WRITE")
            await conn.execute("CREATE TEMP TABLE check_restart (x int)")


@pytest.mark.asyncio
async def test_released_savepoint_is_a_warning(pgtdd_tdd_infrastructure: Any) -> None:
    with pytest.warns(TDDIsolationWarning, match="released or rolled past its savepoint"):
        async with tdd_test_context() as context:
            await context.connection.execute(f"RELEASE SAVEPOINT {context.savepoint_name}")


@pytest.mark.asyncio
async def test_failed_transaction_is_a_warning_naming_the_statement(
    pgtdd_tdd_infrastructure: Any,
) -> None:
    with pytest.warns(TDDIsolationWarning) as caught:
        async with tdd_test_context(test_id="swallower") as context:
            with pytest.raises(asyncpg.DivisionByZeroError):
                await context.connection.execute("SELECT 1/0")
    message = str(caught[0].message)
    assert "test swallower passed but left its transaction failed" in message
    assert "`SELECT 1/0` raised DivisionByZeroError" in message


@pytest.mark.asyncio
async def test_failed_transaction_of_a_failing_body_is_not_warned_twice(
    pgtdd_tdd_infrastructure: Any,
) -> None:
    with pytest.raises(asyncpg.DivisionByZeroError):
        async with tdd_test_context() as context:
            await context.connection.execute("SELECT 1/0")
    assert context.outcome is not None and context.outcome.failed_transaction


@pytest.mark.asyncio
async def test_error_recovered_in_a_nested_savepoint_is_clean(
    pgtdd_tdd_infrastructure: Any,
) -> None:
    async with tdd_test_context() as context:
        with pytest.raises(asyncpg.DivisionByZeroError):
            async with context.connection.transaction():
                await context.connection.execute("SELECT 1/0")
        assert await context.connection.fetchval("SELECT 1") == 1
    assert context.outcome is not None and context.outcome.clean


@pytest.mark.asyncio
async def test_extra_connections_are_named_and_released(pgtdd_tdd_infrastructure: Any) -> None:
    manager = get_database_manager()
    leaked = TDDTestContext(test_id="forgotten_ctx")
    with pytest.warns(TDDIsolationWarning) as caught:
        async with tdd_test_context(test_id="leaker"):
            await manager.get_test_connection(leaked)
    message = str(caught[0].message)
    assert "test leaker still held 1 extra connection(s)" in message
    assert "forgotten_ctx" in message
    assert "forgotten_ctx" not in manager.active_connections
    assert manager.in_use() == 0


@pytest.mark.asyncio
async def test_raw_pool_connections_are_named(pgtdd_tdd_infrastructure: Any) -> None:
    manager = get_database_manager()
    pool = manager.connection_pool
    assert pool is not None
    with pytest.warns(TDDIsolationWarning, match="acquired directly from db_manager"):
        async with tdd_test_context():
            raw = await pool.acquire()
    await pool.release(raw)
    assert manager.in_use() == 0


@pytest.mark.asyncio
async def test_concurrent_contexts_are_not_leaks_of_each_other(
    pgtdd_tdd_infrastructure: Any,
) -> None:
    release = asyncio.Event()

    async def long_one() -> None:
        async with tdd_test_context():
            await release.wait()

    task = asyncio.ensure_future(long_one())
    await asyncio.sleep(0.01)
    async with tdd_test_context() as short:
        pass
    release.set()
    await task
    assert short.outcome is not None and short.outcome.clean


@pytest.mark.asyncio
async def test_session_state_connection_is_replaced(pgtdd_tdd_infrastructure: Any) -> None:
    async with tdd_test_context() as first:
        pid = first.connection.get_server_pid()
        await first.connection.execute("SELECT pg_advisory_lock(424242)")
    other = await asyncpg.connect(get_database_manager().connection_string)
    try:
        assert await other.fetchval("SELECT pg_try_advisory_lock(424242)") is True
        await other.execute("SELECT pg_advisory_unlock(424242)")
        for _ in range(100):  # the stats view may lag the backend's exit a little
            if not await other.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid
            ):
                break
            await asyncio.sleep(0.02)
        else:
            pytest.fail(f"backend {pid} of the discarded connection is still alive")
    finally:
        await other.close()


CHILD_TESTS = """
import asyncpg
import pytest

@pytest.mark.asyncio
async def test_commits(tdd_test_context):
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE public.child_commit (x int)")
    try:
        await conn.execute("COMMIT")
    except asyncpg.InvalidTransactionTerminationError:
        pass

@pytest.mark.asyncio
async def test_swallows_error(tdd_test_context):
    with pytest.raises(asyncpg.UniqueViolationError):
        await tdd_test_context.connection.execute(
            "CREATE TEMP TABLE u (x int PRIMARY KEY); INSERT INTO u VALUES (1), (1)"
        )

@pytest.mark.asyncio
async def test_next_starts_clean(tdd_test_context):
    conn = tdd_test_context.connection
    assert await conn.fetchval("SELECT to_regclass('public.child_commit')") is None
    assert await conn.fetchval("SHOW transaction_read_only") == "off"
    await conn.execute("CREATE TEMP TABLE u (x int PRIMARY KEY)")
"""


def test_fixture_reports_at_teardown_and_next_test_is_clean(run_pytest: RunPytest) -> None:
    result = run_pytest(CHILD_TESTS, "-W", "default::pgtdd.tdd_support.TDDIsolationWarning")
    assert "ERROR at teardown of test_commits" in result.output, result.output
    assert "TDDIsolationError: test test_commits#" in result.output
    assert "ended the transaction that isolates it" in result.output
    assert "TDDIsolationWarning: test test_swallows_error#" in result.output
    assert "left its transaction failed" in result.output
    assert "UniqueViolationError" in result.output
    assert "PASSED test_x.py::test_next_starts_clean" in result.output
    assert "3 passed, 1 warning, 1 error" in result.outcomes(), result.output


def test_failing_test_data_does_not_reach_the_next(run_pytest: RunPytest) -> None:
    source = """
    import pytest

    @pytest.mark.asyncio
    async def test_fails(tdd_test_context):
        await tdd_test_context.connection.execute("CREATE TABLE public.child_failed (x int)")
        assert False, "on purpose"

    @pytest.mark.asyncio
    async def test_after(tdd_test_context):
        conn = tdd_test_context.connection
        assert await conn.fetchval("SELECT to_regclass('public.child_failed')") is None
    """
    result = run_pytest(source)
    assert "1 failed, 1 passed" in result.outcomes(), result.output
    assert "on purpose" in result.output


KILLED_CONNECTION = """
import pytest

@pytest.mark.asyncio
async def test_terminates_itself(tdd_test_context):
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE public.child_killed (x int)")
    await conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")

@pytest.mark.asyncio
async def test_closes_its_connection(tdd_test_context):
    await tdd_test_context.connection.execute("CREATE TABLE public.child_closed (x int)")
    await tdd_test_context.connection.close()

@pytest.mark.asyncio
async def test_next_starts_clean(tdd_test_context):
    conn = tdd_test_context.connection
    assert await conn.fetchval("SELECT to_regclass('public.child_killed')") is None
    assert await conn.fetchval("SELECT to_regclass('public.child_closed')") is None
    from pgtdd.tdd_support import get_database_manager
    assert list(get_database_manager().active_connections) == [tdd_test_context.test_id]
"""


def test_killed_or_closed_connection_is_named_and_the_next_test_runs(
    run_pytest: RunPytest,
) -> None:
    result = run_pytest(KILLED_CONNECTION)
    assert "ERROR at teardown of test_closes_its_connection" in result.output, result.output
    assert "closed its connection (or the server ended it)" in result.output
    assert "released back to the pool" not in result.output
    assert "PASSED test_x.py::test_next_starts_clean" in result.output
    assert "1 failed, 2 passed, 2 errors" in result.outcomes(), result.output


TIMEOUT_TESTS = """
import pytest
from pgtdd.fixtures.tdd import tdd_context_fixture

short_context = tdd_context_fixture(timeout=1)

@pytest.mark.asyncio
async def test_fixture_timeout(short_context):
    await short_context.connection.execute("SELECT pg_sleep(5)")
"""


def test_statement_timeout_names_the_limit_and_the_setting(run_pytest: RunPytest) -> None:
    result = run_pytest(TIMEOUT_TESTS)
    assert "canceling statement due to statement timeout" in result.output, result.output
    assert "statement_timeout is 1 s (test test_fixture_timeout#" in result.output
    assert "DATAFLOW_TDD_TIMEOUT=<seconds>" in result.output
    assert "1 failed" in result.outcomes()


@pytest.mark.asyncio
async def test_statement_timeout_note_in_a_manual_context(pgtdd_tdd_infrastructure: Any) -> None:
    with pytest.raises(asyncpg.QueryCanceledError) as caught:
        async with tdd_test_context(timeout=1, test_id="slow_one"):
            await (
                get_database_manager().active_connections["slow_one"].execute("SELECT pg_sleep(5)")
            )
    notes = getattr(caught.value, "__notes__", [])
    assert len(notes) == 1 and "statement_timeout is 1 s (test slow_one)" in notes[0]
