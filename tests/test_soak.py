"""Soak: 5,000 consecutive savepoint test cycles through the TDD infrastructure.

Each cycle is what a test using ``tdd_test_context`` goes through: a pool connection, the test
transaction and its savepoint, a small body (insert, count), the after-test check, rollback,
release. Counted, never timed: the server's backends on the soak database stay exactly the
pool's, the pool never opens another connection, no cycle leaves a connection held or a row
committed, and the client's resident memory grows by less than 10 MB after warm-up.
"""

from __future__ import annotations

import gc
import os
import time
import uuid
from collections.abc import Iterator

import psutil
import psycopg
import pytest
from psycopg import sql

from pgtdd.isolation.pool import PoolManager
from pgtdd.serverinfo import ServerInfo
from pgtdd.tdd_support import TDDDatabaseManager, TDDTestContext, run_test_context

CYCLES = int(os.environ.get("PGTDD_SOAK_CYCLES", "5000"))
WARMUP = 200
SAMPLE_EVERY = 250
POOL_SIZE = 3
MEMORY_LIMIT = 10 * 1024 * 1024


@pytest.fixture
def soak_db(pgtdd_server: ServerInfo) -> Iterator[ServerInfo]:
    """A database of its own with one committed table the cycles write into."""
    name = f"pgtdd_soak_{uuid.uuid4().hex[:10]}"
    admin = pgtdd_server.url_for("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    server = pgtdd_server.with_database(name)
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute("CREATE TABLE soak (cycle int NOT NULL, note text)")
    try:
        yield server
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def backends(monitor: psycopg.Connection[tuple[object, ...]], database: str) -> int:
    row = monitor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        (database,),
    ).fetchone()
    return int(row[0]) if row else -1


def rss() -> int:
    gc.collect()
    return int(psutil.Process().memory_info().rss)


async def one_cycle(manager: TDDDatabaseManager, number: int) -> int:
    """One test's life; returns the rows it saw inside its own transaction."""
    context = TDDTestContext(test_id=f"soak_{number}")
    async with run_test_context(context, manager=manager) as ctx:
        conn = ctx.connection
        assert conn is not None
        await conn.execute("INSERT INTO soak VALUES ($1, 'x')", number)
        seen = int(await conn.fetchval("SELECT count(*) FROM soak"))
    return seen


@pytest.mark.asyncio
async def test_soak_savepoint_cycles_leak_nothing(soak_db: ServerInfo) -> None:
    pools = PoolManager()
    manager = TDDDatabaseManager(pool_size=POOL_SIZE, pool_id="pgtdd_soak", pool_manager=pools)
    await manager.initialize(soak_db.url)
    monitor = psycopg.connect(soak_db.url_for("postgres"), autocommit=True)
    try:
        for number in range(WARMUP):
            await one_cycle(manager, number)
        baseline_backends = backends(monitor, soak_db.database)
        baseline_rss = rss()
        samples, seen_other = [], []
        for number in range(CYCLES):
            seen = await one_cycle(manager, WARMUP + number)
            if seen != 1:
                seen_other.append((number, seen))
            if number % SAMPLE_EVERY == SAMPLE_EVERY - 1:
                samples.append(backends(monitor, soak_db.database))
        growth = rss() - baseline_rss
        stats = pools.get_pool_statistics("pgtdd_soak")
        held = len(manager.active_connections)
    finally:
        await manager.close()
        monitor.close()

    assert seen_other == []  # every cycle saw exactly its own row, never an earlier one
    assert baseline_backends == POOL_SIZE
    assert samples == [POOL_SIZE] * (CYCLES // SAMPLE_EVERY)
    assert stats["connections_opened"] == POOL_SIZE  # no connection was ever replaced
    assert stats["acquisitions"] == WARMUP + CYCLES
    assert held == 0
    assert growth < MEMORY_LIMIT, f"client RSS grew {growth / 1048576:.1f} MB"
    with psycopg.connect(soak_db.url) as conn:
        assert conn.execute("SELECT count(*) FROM soak").fetchone() == (0,)  # none committed
    with psycopg.connect(soak_db.url_for("postgres"), autocommit=True) as conn:
        assert _wait_zero(conn, soak_db.database)  # the closed pool left no backend


def _wait_zero(conn: psycopg.Connection[tuple[object, ...]], database: str) -> bool:
    """Bounded wait for the closed pool's backends to exit (they go asynchronously)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if backends(conn, database) == 0:
            return True
        time.sleep(0.05)
    return False
