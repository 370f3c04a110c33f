"""TDDTransactionManager: isolation level, statement timeout, savepoints, rollback/commit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import psycopg
import pytest
import pytest_asyncio

from pgtdd.tdd_support import (
    ISOLATION_LEVELS,
    SavepointError,
    TDDDatabaseManager,
    TDDTestContext,
    get_database_manager,
    get_transaction_manager,
    tdd_test_context,
)

Outside = psycopg.Connection[tuple[object, ...]]


@pytest_asyncio.fixture
async def raw(pgtdd_tdd_infrastructure: TDDDatabaseManager) -> AsyncIterator[Any]:
    """A context with a connection but no transaction yet (the manual API's starting point)."""
    manager = get_database_manager()
    context = TDDTestContext()
    await manager.get_test_connection(context)
    yield context
    await manager.cleanup_test_connection(context)


@pytest.mark.asyncio
@pytest.mark.parametrize("level", ISOLATION_LEVELS)
async def test_transaction_runs_at_the_context_isolation_level(raw: Any, level: str) -> None:
    tx = get_transaction_manager()
    context = TDDTestContext(isolation_level=level)
    conn = raw.connection
    await tx.begin_test_transaction(conn, context)
    assert conn.is_in_transaction()
    assert (await conn.fetchval("SHOW transaction_isolation")).upper() == level
    assert await conn.fetchval("SHOW transaction_read_only") == "off"
    outcome = await tx.end_test_transaction(conn, context)
    assert outcome.ended_with == "rollback" and outcome.clean
    assert not conn.is_in_transaction()


@pytest.mark.asyncio
async def test_statement_timeout_comes_from_the_context(raw: Any) -> None:
    tx = get_transaction_manager()
    context = TDDTestContext(timeout=1)
    conn = raw.connection
    await tx.begin_test_transaction(conn, context)
    assert await conn.fetchval("SHOW statement_timeout") == "1s"
    with pytest.raises(asyncpg.QueryCanceledError, match="statement timeout"):
        await conn.execute("SELECT pg_sleep(3)")
    outcome = await tx.end_test_transaction(conn, context)
    assert outcome.failed_transaction and outcome.ended_with == "rollback"
    assert await conn.fetchval("SHOW statement_timeout") == "0"


@pytest.mark.asyncio
async def test_end_rolls_back_by_default(raw: Any, outside: Outside) -> None:
    tx = get_transaction_manager()
    context = TDDTestContext()
    conn = raw.connection
    await tx.begin_test_transaction(conn, context)
    await conn.execute("CREATE TABLE public.tx_default (x int)")
    await tx.end_test_transaction(conn, context)
    assert await conn.fetchval("SELECT to_regclass('public.tx_default')") is None
    assert outside.execute("SELECT to_regclass('public.tx_default')").fetchone() == (None,)


@pytest.mark.asyncio
async def test_end_commits_only_when_asked(raw: Any, outside: Outside) -> None:
    tx = get_transaction_manager()
    context = TDDTestContext()
    conn = raw.connection
    await tx.begin_test_transaction(conn, context)
    await conn.execute("CREATE TABLE public.tx_committed (x int)")
    try:
        outcome = await tx.end_test_transaction(conn, context, rollback=False)
        assert outcome.ended_with == "commit"
        row = outside.execute("SELECT to_regclass('public.tx_committed')::text").fetchone()
        assert row == ("tx_committed",)
    finally:
        outside.execute("DROP TABLE IF EXISTS public.tx_committed")


@pytest.mark.asyncio
async def test_rollback_on_error_turns_a_commit_into_a_rollback(raw: Any, outside: Outside) -> None:
    tx = get_transaction_manager()
    context = TDDTestContext(rollback_on_error=True)
    conn = raw.connection
    await tx.begin_test_transaction(conn, context)
    await conn.execute("CREATE TABLE public.tx_error (x int)")
    context.error = RuntimeError("the test failed")
    outcome = await tx.end_test_transaction(conn, context, rollback=False)
    assert outcome.requested == "commit" and outcome.ended_with == "rollback"
    assert outside.execute("SELECT to_regclass('public.tx_error')").fetchone() == (None,)


@pytest.mark.asyncio
async def test_rollback_on_error_false_still_commits(raw: Any, outside: Outside) -> None:
    tx = get_transaction_manager()
    context = TDDTestContext(rollback_on_error=False)
    conn = raw.connection
    await tx.begin_test_transaction(conn, context)
    await conn.execute("CREATE TABLE public.tx_error_kept (x int)")
    context.error = RuntimeError("the test failed")
    try:
        outcome = await tx.end_test_transaction(conn, context, rollback=False)
        assert outcome.ended_with == "commit"
    finally:
        outside.execute("DROP TABLE IF EXISTS public.tx_error_kept")


@pytest.mark.asyncio
async def test_nested_savepoints(tdd_test_context: TDDTestContext) -> None:
    tx = get_transaction_manager()
    context = tdd_test_context
    conn = context.connection
    await conn.execute("CREATE TEMP TABLE sp_items (x int)")
    first = await tx.create_savepoint(conn, context)
    await conn.execute("INSERT INTO sp_items VALUES (1)")
    second = await tx.create_savepoint(conn, context)
    assert (first, second) == (f"{context.savepoint_name}_1", f"{context.savepoint_name}_2")
    await conn.execute("INSERT INTO sp_items VALUES (2)")
    await tx.rollback_to_savepoint(conn, context)  # innermost: undoes 2
    assert await conn.fetchval("SELECT array_agg(x ORDER BY x) FROM sp_items") == [1]
    await tx.release_savepoint(conn, context)  # releases second
    await tx.rollback_to_savepoint(conn, context, first)  # undoes 1
    assert await conn.fetchval("SELECT count(*) FROM sp_items") == 0
    await tx.release_savepoint(conn, context, first)
    assert context.savepoints == [context.savepoint_name]


@pytest.mark.asyncio
async def test_savepoint_context_manager_undoes_on_error(
    tdd_test_context: TDDTestContext,
) -> None:
    tx = get_transaction_manager()
    conn = tdd_test_context.connection
    await conn.execute("CREATE TEMP TABLE sp_cm (x int PRIMARY KEY)")
    await conn.execute("INSERT INTO sp_cm VALUES (1)")
    with pytest.raises(asyncpg.UniqueViolationError):
        async with tx.savepoint(conn, tdd_test_context):
            await conn.execute("INSERT INTO sp_cm VALUES (2)")
            await conn.execute("INSERT INTO sp_cm VALUES (1)")
    async with tx.savepoint(conn, tdd_test_context):
        await conn.execute("INSERT INTO sp_cm VALUES (3)")
    assert await conn.fetchval("SELECT array_agg(x ORDER BY x) FROM sp_cm") == [1, 3]


@pytest.mark.asyncio
async def test_connection_transaction_nests_inside_the_test(
    tdd_test_context: TDDTestContext,
) -> None:
    conn = tdd_test_context.connection
    await conn.execute("CREATE TEMP TABLE nested_tx (x int PRIMARY KEY)")
    with pytest.raises(asyncpg.UniqueViolationError):
        async with conn.transaction():
            await conn.execute("INSERT INTO nested_tx VALUES (1), (1)")
    async with conn.transaction():
        await conn.execute("INSERT INTO nested_tx VALUES (2)")
    assert await conn.fetchval("SELECT array_agg(x) FROM nested_tx") == [2]
    with pytest.raises(asyncpg.InterfaceError, match="different isolation level"):
        async with conn.transaction(isolation="serializable"):
            pass


@pytest.mark.asyncio
async def test_savepoint_errors(raw: Any) -> None:
    tx = get_transaction_manager()
    context = TDDTestContext()
    conn = raw.connection
    with pytest.raises(SavepointError, match="not in a transaction"):
        await tx.create_savepoint(conn, context)
    with pytest.raises(SavepointError, match="has no open savepoint"):
        await tx.rollback_to_savepoint(conn, context)
    await tx.begin_test_transaction(conn, context)
    with pytest.raises(SavepointError, match="already has an open test transaction"):
        await tx.begin_test_transaction(conn, context)
    with pytest.raises(SavepointError, match="'nope': not open"):
        await tx.release_savepoint(conn, context, "nope")
    other = TDDTestContext()
    with pytest.raises(SavepointError, match="already inside a transaction"):
        await tx.begin_test_transaction(conn, other)
    await conn.execute(f'RELEASE SAVEPOINT "{context.savepoint_name}"')
    with pytest.raises(SavepointError, match="does not exist"):
        await tx.rollback_to_savepoint(conn, context)
    await tx.end_test_transaction(conn, context)


@pytest.mark.asyncio
async def test_commit_refused_when_the_transaction_failed(raw: Any) -> None:
    tx = get_transaction_manager()
    context = TDDTestContext()
    conn = raw.connection
    await tx.begin_test_transaction(conn, context)
    with pytest.raises(asyncpg.DivisionByZeroError):
        await conn.execute("SELECT 1/0")
    with pytest.raises(SavepointError, match="transaction had failed"):
        await tx.end_test_transaction(conn, context, rollback=False)
    assert not conn.is_in_transaction()


@pytest.mark.asyncio
async def test_exception_inside_a_context_rolls_back(pgtdd_tdd_infrastructure: Any) -> None:
    with pytest.raises(ZeroDivisionError):
        async with tdd_test_context() as context:
            await context.connection.execute("CREATE TABLE public.tx_raised (x int)")
            raise ZeroDivisionError
    assert context.error is not None and context.connection is None
    assert context.outcome is not None and context.outcome.ended_with == "rollback"
    async with tdd_test_context() as after:
        assert await after.connection.fetchval("SELECT to_regclass('public.tx_raised')") is None


SPEC_002_ROBUST = """
import pytest
from pgtdd.tdd_support import (
    TDDTestContext, get_database_manager, get_transaction_manager,
)

@pytest.mark.asyncio
async def test_robust_savepoint_flow(pgtdd_tdd_infrastructure):
    db_manager = get_database_manager()
    tx_manager = get_transaction_manager()
    await db_manager.initialize()
    context = TDDTestContext()
    try:
        connection = await db_manager.get_test_connection(context)
        await tx_manager.begin_test_transaction(connection, context)
        await connection.execute("CREATE TABLE public.robust_flow (x int)")
        outcome = await tx_manager.end_test_transaction(connection, context)
        assert outcome.ended_with == "rollback"
        assert await connection.fetchval("SELECT to_regclass('public.robust_flow')") is None
    finally:
        await db_manager.cleanup_test_connection(context)
    assert db_manager.active_connections == {}
"""


def test_manual_flow_from_the_troubleshooting_guide(run_pytest: Any) -> None:
    result = run_pytest(SPEC_002_ROBUST)
    assert "1 passed" in result.outcomes(), result.output
