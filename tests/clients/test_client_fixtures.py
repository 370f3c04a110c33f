"""The client fixtures in a pytest run: defaults, factories, escapes failing the test for every
client, and the optional extras named when missing."""

from __future__ import annotations

import re

from tests.conftest import RunChild

SHARED = '''
import pytest
from sqlalchemy import text

def test_sync_fixtures_share_one_transaction(
    pgtdd_sqlalchemy, pgtdd_sqlalchemy_connection, pgtdd_sqlalchemy_engine
):
    pgtdd_sqlalchemy_connection.execute(text("CREATE TABLE shared (n int)"))
    with pgtdd_sqlalchemy_engine.begin() as conn:
        conn.execute(text("INSERT INTO shared VALUES (1)"))
    pgtdd_sqlalchemy.execute(text("INSERT INTO shared VALUES (2)"))
    pgtdd_sqlalchemy.commit()
    assert pgtdd_sqlalchemy_connection.execute(text("SELECT sum(n) FROM shared")).scalar() == 3

def test_nothing_was_left(pgtdd_sqlalchemy, pgtdd_psycopg):
    assert pgtdd_sqlalchemy.execute(text("SELECT to_regclass('shared')")).scalar() is None
    assert pgtdd_psycopg.execute("SELECT to_regclass('shared')").fetchone() == (None,)

def test_pool_and_connection_share_one_transaction(pgtdd_psycopg, pgtdd_psycopg_pool):
    pgtdd_psycopg.execute("CREATE TABLE p (n int)")
    with pgtdd_psycopg_pool.connection() as conn:
        conn.execute("INSERT INTO p VALUES (7)")
    assert pgtdd_psycopg.execute("SELECT n FROM p").fetchall() == [(7,)]

@pytest.mark.asyncio
async def test_async_fixtures_share_one_transaction(
    pgtdd_sqlalchemy_async, pgtdd_sqlalchemy_async_connection, pgtdd_sqlalchemy_async_engine
):
    await pgtdd_sqlalchemy_async_connection.execute(text("CREATE TABLE a (n int)"))
    async with pgtdd_sqlalchemy_async_engine.begin() as conn:
        await conn.execute(text("INSERT INTO a VALUES (1)"))
    await pgtdd_sqlalchemy_async.commit()
    assert (await pgtdd_sqlalchemy_async.execute(text("SELECT count(*) FROM a"))).scalar() == 1
'''


def test_default_fixtures_share_their_transaction_and_leave_nothing(run_child: RunChild) -> None:
    run = run_child({"test_shared.py": SHARED}, "-p", "no:randomly")
    assert run.returncode == 0, run.output[-3000:]
    assert "4 passed" in run.outcomes()


ESCAPES = '''
import psycopg
import pytest

def commit_outside(server, table):
    with psycopg.connect(server.url, autocommit=True) as side:
        side.execute(f"CREATE TABLE IF NOT EXISTS {table} (n int)")
        side.execute(f"INSERT INTO {table} VALUES (1)")

def test_psycopg(pgtdd_psycopg, pgtdd_server):
    commit_outside(pgtdd_server, "esc_psycopg")

def test_sqlalchemy(pgtdd_sqlalchemy, pgtdd_server):
    commit_outside(pgtdd_server, "esc_sqlalchemy")

@pytest.mark.asyncio
async def test_sqlalchemy_async(pgtdd_sqlalchemy_async, pgtdd_server):
    commit_outside(pgtdd_server, "esc_sqlalchemy_async")

@pytest.mark.asyncio
async def test_asyncpg(tdd_test_context, pgtdd_server):
    commit_outside(pgtdd_server, "esc_asyncpg")

def test_server_only(pgtdd_server):
    commit_outside(pgtdd_server, "esc_not_checked")  # no rollback fixture: nothing promised
'''


def test_a_commit_through_a_side_connection_fails_the_test_for_every_client(
    run_child: RunChild,
) -> None:
    run = run_child({"test_escapes.py": ESCAPES})
    assert run.returncode == 1, run.output[-3000:]
    assert "5 passed, 4 errors" in run.outcomes()
    for client, fixture in (
        ("psycopg", "`pgtdd_psycopg` connection"),
        ("sqlalchemy", "`pgtdd_sqlalchemy`"),
        ("sqlalchemy_async", "`pgtdd_sqlalchemy_async`"),
        ("asyncpg", "`tdd_test_context.connection`"),
    ):
        line = next(
            line
            for line in run.output.splitlines()
            if line.startswith("E ") and re.search(rf"INSERT on public\.esc_{client}\b", line)
        )
        assert "committed data outside the transaction pgtdd rolls back" in line
        assert fixture in line
        assert "`pgtdd_fresh_database`" in line
    assert "ERROR test_escapes.py::test_server_only" not in run.output


FACTORIES = '''
import pytest
from sqlalchemy import text

from pgtdd import (
    psycopg_fixture,
    sqlalchemy_async_fixture,
    sqlalchemy_binding_fixture,
    sqlalchemy_fixture,
)

serial_conn = psycopg_fixture(isolation_level="SERIALIZABLE", timeout=3, name="serial_conn")
serial_binding = sqlalchemy_binding_fixture(isolation_level="REPEATABLE READ",
                                            name="serial_binding")
kept_session = sqlalchemy_fixture(binding="serial_binding", expire_on_commit=False,
                                  name="kept_session")
async_engine = sqlalchemy_async_fixture(yields="engine", name="async_engine")

def test_psycopg_factory(serial_conn, pgtdd_psycopg):
    assert serial_conn is not pgtdd_psycopg  # another connection, another transaction
    assert serial_conn.execute("SHOW transaction_isolation").fetchone() == ("serializable",)
    assert serial_conn.execute("SHOW statement_timeout").fetchone() == ("3s",)

def test_sqlalchemy_factories(kept_session):
    level = kept_session.execute(text("SHOW transaction_isolation")).scalar()
    assert level == "repeatable read"
    assert kept_session.expire_on_commit is False

@pytest.mark.asyncio
async def test_async_engine_factory(async_engine):
    async with async_engine.connect() as conn:
        assert (await conn.execute(text("SELECT 1"))).scalar() == 1
'''


def test_factories_declare_variants(run_child: RunChild) -> None:
    run = run_child({"conftest.py": "", "test_factories.py": FACTORIES})
    assert run.returncode == 0, run.output[-3000:]
    assert "3 passed" in run.outcomes()


def test_a_missing_extra_is_named(run_child: RunChild) -> None:
    files = {
        "conftest.py": "import sys\nsys.modules['sqlalchemy'] = None\n",
        "test_missing.py": "def test_orm(pgtdd_sqlalchemy):\n    pass\n",
    }
    run = run_child(files)
    assert run.returncode == 1
    assert "needs sqlalchemy" in run.output
    assert "pip install 'pgtdd[sqlalchemy]'" in run.output


def test_an_unknown_yields_is_refused_when_declared(run_child: RunChild) -> None:
    files = {
        "conftest.py": "from pgtdd import sqlalchemy_fixture\nbad = sqlalchemy_fixture("
        "yields='sessions', name='bad')\n",
        "test_bad.py": "def test_x():\n    pass\n",
    }
    run = run_child(files)
    assert run.returncode != 0
    assert "yields must be one of session, connection, engine, got 'sessions'" in run.output
