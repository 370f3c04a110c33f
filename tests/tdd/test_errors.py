"""Each documented error, raised in its documented condition, naming cause and fix."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from pgtdd.serverinfo import ServerInfo
from pgtdd.tdd_support import (
    ConnectionPoolExhaustedError,
    SavepointError,
    TDDDatabaseManager,
    TDDError,
    TDDInfrastructureError,
    TDDIsolationError,
    TDDTestContext,
    run_test_context,
    setup_tdd_infrastructure,
    teardown_tdd_infrastructure,
)


def test_errors_share_one_base() -> None:
    for error in (
        TDDInfrastructureError,
        SavepointError,
        ConnectionPoolExhaustedError,
        TDDIsolationError,
    ):
        assert issubclass(error, TDDError)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.asyncio
async def test_unreachable_server_is_retried_then_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    manager = TDDDatabaseManager(pool_id="test_unreachable")
    port = _free_port()
    url = f"postgresql://someone:s3cret-pw@127.0.0.1:{port}/nowhere"
    monkeypatch.setenv("PGTDD_ALLOW_DATABASE", f"127.0.0.1:{port}/nowhere")  # past the guard
    with pytest.raises(TDDInfrastructureError) as caught:
        await setup_tdd_infrastructure(url, attempts=3, manager=manager)
    message = str(caught.value)
    assert "after 3 attempt(s)" in message
    assert "ConnectionRefusedError" in message or "OSError" in message
    assert "s3cret-pw" not in message and "someone:***@" in message
    assert isinstance(caught.value.__cause__, Exception)


@pytest.mark.asyncio
async def test_missing_database_is_not_retried(pgtdd_server: ServerInfo) -> None:
    manager = TDDDatabaseManager(pool_id="test_missing_db")
    url = pgtdd_server.url_for("pgtdd_no_such_database")
    with pytest.raises(TDDInfrastructureError) as caught:
        await setup_tdd_infrastructure(url, attempts=4, manager=manager)
    assert "after 1 attempt(s)" in str(caught.value)
    assert "InvalidCatalogNameError" in str(caught.value)
    if pgtdd_server.password:
        assert pgtdd_server.password not in str(caught.value)


@pytest.mark.asyncio
async def test_setup_and_teardown_of_a_separate_manager(pgtdd_server: ServerInfo) -> None:
    manager = TDDDatabaseManager(pool_size=2, pool_id="test_separate")
    await setup_tdd_infrastructure(pgtdd_server.url, manager=manager)
    assert manager.connection_pool is not None
    assert manager.connection_pool.get_size() == 2
    await teardown_tdd_infrastructure(manager=manager)
    assert manager.connection_pool is None
    assert "test_separate" not in manager.pool_manager


@pytest.mark.asyncio
async def test_pool_exhaustion_names_size_holders_and_fix(pgtdd_server: ServerInfo) -> None:
    manager = TDDDatabaseManager(pool_size=1, acquire_timeout=0.2, pool_id="test_exhaust")
    await manager.initialize(pgtdd_server.url)
    holder = TDDTestContext(test_id="holding_test")
    try:
        await manager.get_test_connection(holder)
        with pytest.raises(ConnectionPoolExhaustedError) as caught:
            await manager.get_test_connection(TDDTestContext(test_id="waiting_test"))
        message = str(caught.value)
        assert "TDD pool (1 connection(s)" in message
        assert "within 0.2 s" in message
        assert "held by test(s) holding_test" in message
        assert "DATAFLOW_TDD_POOL_SIZE (now 1)" in message
        assert "cleanup_test_connection" in message
        await manager.cleanup_test_connection(holder)
        again = TDDTestContext()
        assert await manager.get_test_connection(again) is not None
        await manager.cleanup_test_connection(again)
    finally:
        await manager.close()


@pytest.mark.asyncio
async def test_pool_exhaustion_counts_connections_taken_outside(pgtdd_server: ServerInfo) -> None:
    manager = TDDDatabaseManager(pool_size=1, acquire_timeout=0.1, pool_id="test_exhaust_raw")
    await manager.initialize(pgtdd_server.url)
    pool = manager.connection_pool
    assert pool is not None
    raw = await pool.acquire()
    try:
        with pytest.raises(ConnectionPoolExhaustedError, match="1 more acquired outside"):
            await manager.get_test_connection(TDDTestContext())
    finally:
        await pool.release(raw)
        await manager.close()


@pytest.mark.asyncio
async def test_waiting_acquisition_succeeds_when_a_connection_frees(
    pgtdd_server: ServerInfo,
) -> None:
    manager = TDDDatabaseManager(pool_size=1, acquire_timeout=5, pool_id="test_wait")
    await manager.initialize(pgtdd_server.url)
    first = TDDTestContext()
    second = TDDTestContext()
    try:
        await manager.get_test_connection(first)
        waiter = asyncio.ensure_future(manager.get_test_connection(second))
        await asyncio.sleep(0.05)
        assert not waiter.done()
        await manager.cleanup_test_connection(first)
        assert await asyncio.wait_for(waiter, 5) is second.connection
        assert second.metrics.preheated_connection is True
    finally:
        await manager.cleanup_all_test_connections()
        await manager.close()


@pytest.mark.asyncio
async def test_one_test_id_cannot_hold_two_connections(pgtdd_server: ServerInfo) -> None:
    manager = TDDDatabaseManager(pool_size=2, pool_id="test_same_id")
    await manager.initialize(pgtdd_server.url)
    try:
        first = TDDTestContext(test_id="same")
        await manager.get_test_connection(first)
        assert await manager.get_test_connection(first) is first.connection
        with pytest.raises(TDDInfrastructureError, match="already holds another connection"):
            await manager.get_test_connection(TDDTestContext(test_id="same"))
    finally:
        await manager.close()
    assert manager.active_connections == {}


@pytest.mark.asyncio
async def test_savepoint_error_on_a_broken_begin(pgtdd_tdd_infrastructure: Any) -> None:
    context = TDDTestContext(timeout=10**9)  # statement_timeout out of range for PostgreSQL
    with pytest.raises(SavepointError, match="could not begin the test transaction") as caught:
        async with run_test_context(context):
            pass
    assert "statement_timeout" in str(caught.value)
    assert context.connection is None
