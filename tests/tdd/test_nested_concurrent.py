"""Nested and concurrent contexts; the current context lives in a ContextVar."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pgtdd.tdd_support import (
    SavepointError,
    TDDIsolationError,
    TDDTestContext,
    current_tdd_context,
    get_database_manager,
    tdd_test_context,
)
from tests.tdd.conftest import RunPytest


@pytest.mark.asyncio
async def test_nested_context_shares_the_connection_and_undoes_its_work(
    pgtdd_tdd_infrastructure: Any,
) -> None:
    async with tdd_test_context() as outer:
        conn = outer.connection
        await conn.execute("CREATE TEMP TABLE nest (x int)")
        await conn.execute("INSERT INTO nest VALUES (1)")
        async with tdd_test_context() as inner:
            assert inner.connection is conn and inner.parent is outer
            assert current_tdd_context() is inner
            assert await conn.fetchval("SELECT count(*) FROM nest") == 1  # sees the outer
            await conn.execute("INSERT INTO nest VALUES (2)")
            await conn.execute("CREATE TEMP TABLE nest_inner (x int)")
        assert current_tdd_context() is outer
        assert await conn.fetchval("SELECT array_agg(x) FROM nest") == [1]
        assert await conn.fetchval("SELECT to_regclass('pg_temp.nest_inner')") is None
    assert current_tdd_context() is None


@pytest.mark.asyncio
async def test_nested_context_recovers_a_failed_inner_block(
    pgtdd_tdd_infrastructure: Any,
) -> None:
    async with tdd_test_context() as outer:
        with pytest.raises(ZeroDivisionError):
            async with tdd_test_context():
                await outer.connection.execute("CREATE TEMP TABLE nest_fail (x int)")
                raise ZeroDivisionError
        assert await outer.connection.fetchval("SELECT to_regclass('pg_temp.nest_fail')") is None
    assert outer.outcome is not None and outer.outcome.clean


@pytest.mark.asyncio
async def test_nested_context_with_its_own_timeout(pgtdd_tdd_infrastructure: Any) -> None:
    async with tdd_test_context(timeout=30) as outer:
        async with tdd_test_context(timeout=5):
            assert await outer.connection.fetchval("SHOW statement_timeout") == "5s"
        assert await outer.connection.fetchval("SHOW statement_timeout") == "30s"


@pytest.mark.asyncio
async def test_nested_context_cannot_change_the_isolation_level(
    pgtdd_tdd_infrastructure: Any,
) -> None:
    async with tdd_test_context():
        with pytest.raises(SavepointError, match="nested=False"):
            async with tdd_test_context(isolation_level="SERIALIZABLE"):
                pass


@pytest.mark.asyncio
async def test_nested_false_opens_a_separate_transaction(pgtdd_tdd_infrastructure: Any) -> None:
    async with tdd_test_context() as outer:
        await outer.connection.execute("CREATE TABLE public.nest_sep (x int)")
        async with tdd_test_context(nested=False, isolation_level="SERIALIZABLE") as separate:
            assert separate.connection is not outer.connection
            assert (
                await separate.connection.fetchval("SELECT to_regclass('public.nest_sep')") is None
            )  # outer's DDL is not committed
        assert await outer.connection.fetchval("SELECT to_regclass('public.nest_sep')")


@pytest.mark.asyncio
async def test_nested_context_that_ends_the_outer_transaction_fails(
    pgtdd_tdd_infrastructure: Any,
) -> None:
    with pytest.raises(TDDIsolationError):
        async with tdd_test_context() as outer:
            with pytest.raises(TDDIsolationError, match="ended the outer transaction"):
                async with tdd_test_context():
                    await outer.connection.execute("ROLLBACK")


@pytest.mark.asyncio
async def test_nested_true_needs_an_active_context(pgtdd_tdd_infrastructure: Any) -> None:
    with pytest.raises(SavepointError, match="needs an active tdd_test_context"):
        tdd_test_context(nested=True)


@pytest.mark.asyncio
async def test_concurrent_contexts_never_see_each_other(pgtdd_model_schema: Any) -> None:
    """Rows in one shared table and same-named temp tables, three transactions at once.

    (Same-named *permanent* tables would make PostgreSQL wait for the first transaction to
    end: concurrent tests must not create one table name; temp tables are per session.)
    """
    started = asyncio.Barrier(3)
    seen: dict[str, TDDTestContext | None] = {}

    async def worker(name: str) -> int:
        async with tdd_test_context(test_id=f"worker_{name}") as context:
            conn = context.connection
            await conn.execute("CREATE TEMP TABLE conc_temp (who text)")
            await conn.execute("INSERT INTO conc_temp VALUES ($1)", name)
            await conn.execute(
                "INSERT INTO pgtdd_models.users (name, email) VALUES ($1, 'conc@example.com')",
                name,
            )
            await started.wait()  # all three are inside their transactions now
            seen[name] = current_tdd_context()
            rows = await conn.fetch("SELECT who FROM conc_temp")
            assert [r["who"] for r in rows] == [name]
            users = await conn.fetch(
                "SELECT name FROM pgtdd_models.users WHERE email = 'conc@example.com'"
            )
            assert [r["name"] for r in users] == [name]
            return int(conn.get_server_pid())

    pids = await asyncio.gather(worker("a"), worker("b"), worker("c"))
    assert len(set(pids)) == 3
    assert {name: ctx.test_id for name, ctx in seen.items() if ctx} == {
        "a": "worker_a",
        "b": "worker_b",
        "c": "worker_c",
    }
    assert current_tdd_context() is None
    assert get_database_manager().active_connections == {}


@pytest.mark.asyncio
async def test_fixture_context_is_current_in_the_test(
    tdd_test_context: TDDTestContext,
) -> None:
    assert current_tdd_context() is tdd_test_context


FUNCTION_LOOP_TEST = """
import pytest
from pgtdd.tdd_support import get_database_manager, tdd_test_context

@pytest.mark.asyncio(loop_scope="session")
async def test_start_session_pool(tdd_test_context):
    assert tdd_test_context.metadata.get("connection") is None

@pytest.mark.asyncio(loop_scope="function")
async def test_in_a_function_loop(pgtdd_tdd_infrastructure):
    async with tdd_test_context() as context:
        assert context.metadata["connection"].startswith("direct")
        await context.connection.execute("CREATE TABLE public.fn_loop (x int)")
    async with tdd_test_context() as again:
        assert await again.connection.fetchval("SELECT to_regclass('public.fn_loop')") is None
    assert get_database_manager().active_connections == {}
"""


def test_a_test_on_another_event_loop_gets_its_own_connection(run_pytest: RunPytest) -> None:
    result = run_pytest(FUNCTION_LOOP_TEST)
    assert "2 passed" in result.outcomes(), result.output
