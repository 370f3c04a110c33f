"""Data and DDL of one test are invisible in the next, whichever runs first."""

from __future__ import annotations

import psycopg
import pytest

from pgtdd.tdd_support import TDDTestContext
from tests.tdd.conftest import RunPytest

PROBE_TESTS = """
import pytest

async def assert_clean(conn):
    assert await conn.fetchval("SELECT to_regclass('public.iso_probe')") is None
    assert await conn.fetchval(
        "SELECT count(*) FROM pgtdd_models.users WHERE email = 'probe@example.com'"
    ) == 0

async def leave_traces(context, models):
    conn = context.connection
    await assert_clean(conn)
    await conn.execute("CREATE TABLE public.iso_probe (x int)")
    await conn.execute("INSERT INTO public.iso_probe VALUES (1)")
    user = await models[0].create({"name": "Probe", "email": "probe@example.com"})
    assert user["success"], user

@pytest.mark.asyncio
async def test_a(tdd_test_context, cached_schema_models):
    await leave_traces(tdd_test_context, cached_schema_models)

@pytest.mark.asyncio
async def test_b(tdd_test_context, cached_schema_models):
    await leave_traces(tdd_test_context, cached_schema_models)
"""


def assert_nothing_committed(outside: psycopg.Connection[tuple[object, ...]]) -> None:
    assert outside.execute("SELECT to_regclass('public.iso_probe')").fetchone() == (None,)
    row = outside.execute(
        "SELECT count(*) FROM pgtdd_models.users WHERE email = 'probe@example.com'"
    ).fetchone()
    assert row == (0,)


@pytest.mark.parametrize("order", [("test_a", "test_b"), ("test_b", "test_a")])
def test_tables_and_rows_do_not_reach_the_next_test(
    run_pytest: RunPytest, outside: psycopg.Connection[tuple[object, ...]], order: tuple[str, str]
) -> None:
    result = run_pytest(PROBE_TESTS, *(f"test_x.py::{name}" for name in order))
    assert result.returncode == 0, result.output
    assert "2 passed" in result.outcomes(), result.output
    lines = [line for line in result.output.splitlines() if line.startswith("PASSED")]
    assert [line.split("::")[-1] for line in lines] == list(order)
    assert_nothing_committed(outside)


@pytest.mark.asyncio
async def test_uncommitted_work_is_invisible_outside_during_the_test(
    tdd_test_context: TDDTestContext, outside: psycopg.Connection[tuple[object, ...]]
) -> None:
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE public.iso_inside (x int)")
    await conn.execute("INSERT INTO public.iso_inside VALUES (1)")
    assert await conn.fetchval("SELECT count(*) FROM public.iso_inside") == 1
    assert outside.execute("SELECT to_regclass('public.iso_inside')").fetchone() == (None,)


class TestSequentialPair:
    """In file order: the first leaves traces, the second must not see them."""

    @pytest.mark.asyncio
    async def test_first_leaves_traces(self, tdd_test_context: TDDTestContext) -> None:
        conn = tdd_test_context.connection
        await conn.execute("CREATE TABLE public.iso_pair (x int)")
        await conn.execute("INSERT INTO public.iso_pair VALUES (1)")
        await conn.execute("CREATE TEMP TABLE iso_pair_temp (x int)")
        await conn.execute("SET LOCAL search_path = pg_catalog")
        assert await conn.fetchval("SELECT count(*) FROM public.iso_pair") == 1

    @pytest.mark.asyncio
    async def test_second_sees_none(self, tdd_test_context: TDDTestContext) -> None:
        conn = tdd_test_context.connection
        assert await conn.fetchval("SELECT to_regclass('public.iso_pair')") is None
        assert await conn.fetchval("SELECT to_regclass('pg_temp.iso_pair_temp')") is None
        assert await conn.fetchval("SHOW search_path") == '"$user", public'
