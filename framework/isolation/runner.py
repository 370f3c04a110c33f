"""TDD support: one real transaction and savepoint per test, rolled back at the end.

The spec imports these names from ``dataflow.testing.tdd_support``; here they live in
``pgtdd.tdd_support``. Per test: one connection from a session-wide asyncpg pool, one round
trip to begin (``BEGIN ISOLATION LEVEL ... READ WRITE; SET LOCAL statement_timeout; <arm the
commit guard>; SAVEPOINT``), one round trip to end (``RELEASE SAVEPOINT; ROLLBACK``), and the
after-test check of :mod:`pgtdd.isolation.checks`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from pgtdd import loss
from pgtdd.databases.guard import UnsafeDatabaseError
from pgtdd.isolation.checks import CheckResult, QueryLog, TransactionOutcome, check_transaction
from pgtdd.isolation.context import (
    _CURRENT,
    DEFAULT_DATABASE_URL,
    ISOLATION_LEVELS,
    ConnectionPoolExhaustedError,
    ContextMetrics,
    SavepointError,
    TDDError,
    TDDInfrastructureError,
    TDDIsolationError,
    TDDIsolationWarning,
    TDDTestContext,
    client_timeout,
    configured_pool_size,
    configured_timeout,
    current_tdd_context,
    is_tdd_mode,
    normalize_isolation_level,
    resolve_database_url,
    set_session_database_url,
    validate_savepoint_name,
)
from pgtdd.isolation.database import (
    _DATABASE_MANAGER,
    TDDDatabaseManager,
    connection_gone,
    get_database_manager,
    set_client_timeout,
)
from pgtdd.isolation.explain import (
    explain_client_timeout,
    explain_loss,
    explain_statement_timeout,
)
from pgtdd.isolation.pool import PoolError
from pgtdd.isolation.transactions import (
    _TRANSACTION_MANAGER,
    TDDTransactionManager,
    get_transaction_manager,
)
from pgtdd.loss import ServerLostError
from pgtdd.redact import mask_url, redact
from pgtdd.retry import async_retrying

__all__ = [
    "DEFAULT_DATABASE_URL",
    "ISOLATION_LEVELS",
    "ConnectionPoolExhaustedError",
    "ContextMetrics",
    "SavepointError",
    "TDDDatabaseManager",
    "TDDError",
    "TDDInfrastructureError",
    "TDDIsolationError",
    "TDDIsolationWarning",
    "TDDTestContext",
    "TDDTransactionManager",
    "TransactionOutcome",
    "configured_pool_size",
    "configured_timeout",
    "connection_gone",
    "current_tdd_context",
    "explain_client_timeout",
    "explain_statement_timeout",
    "get_database_manager",
    "get_transaction_manager",
    "is_tdd_mode",
    "normalize_isolation_level",
    "resolve_database_url",
    "run_test_context",
    "set_session_database_url",
    "setup_tdd_infrastructure",
    "tdd_test_context",
    "teardown_tdd_infrastructure",
    "validate_savepoint_name",
]


# --------------------------------------------------------------------------- running a context


@asynccontextmanager
async def run_test_context(
    context: TDDTestContext,
    *,
    test_failed: Callable[[], bool] | None = None,
    manager: TDDDatabaseManager | None = None,
) -> AsyncIterator[TDDTestContext]:
    """Run ``context`` as a top-level test: connection, transaction, after-test check.

    ``test_failed`` tells the check whether the test itself failed (pytest fixtures pass it),
    so a failed test is not also warned about the failed transaction it left.
    """
    started = time.perf_counter()
    manager = manager or _DATABASE_MANAGER
    raw_before = manager.raw_in_use()
    where = str(context.metadata.get("nodeid") or context.test_id)
    _fail_if_lost()
    try:
        connection = await manager.get_test_connection(context)
    except BaseException as exc:
        _raise_if_lost(exc, where)
        raise
    set_client_timeout(connection, client_timeout(context.timeout))
    try:
        await _TRANSACTION_MANAGER.begin_test_transaction(connection, context)
    except BaseException as exc:
        await manager.cleanup_test_connection(context, discard=True)
        _raise_if_lost(exc, where)
        raise
    log = QueryLog()
    connection.add_query_logger(log)
    token = _CURRENT.set(context)
    context.metrics.setup_time_ms = (time.perf_counter() - started) * 1000
    body_error: BaseException | None = None
    try:
        yield context
    except BaseException as exc:
        body_error = context.error = exc
        raise
    finally:
        ending = time.perf_counter()
        _reset_current(token)
        if body_error is not None:
            explain_statement_timeout(body_error, context)
            explain_loss(body_error, context, where)
        abandoned = _abandon(body_error)
        if not abandoned and _cancelling(connection):  # interrupted in the test's own body
            loss.check(ServerLostError("interrupted"), where)  # a stalled server: end quickly
            abandoned = True
        if abandoned:
            # Interrupted, or no answer: a ROLLBACK would wait for the same silent server.
            # Closing the socket ends the transaction on the server as well.
            _terminate(connection)
        discard = True
        try:
            if not connection_gone(connection):
                connection.remove_query_logger(log)
            failed = body_error is not None or (test_failed is not None and test_failed())
            result = (
                CheckResult(discard_connection=True)
                if abandoned
                else await _finish(context, connection, log, failed)
            )
            discard = result.discard_connection
            result.warnings += await _release_leaks(manager, context, raw_before)
        finally:
            await manager.cleanup_test_connection(context, discard=discard)
        context.metrics.queries = log.count
        context.metrics.teardown_time_ms = (time.perf_counter() - ending) * 1000
        _report(result, body_error)


def _fail_if_lost() -> None:
    """Fail at once, with a short reference to the first message, once the server is lost."""
    if loss.recheck() is not None:
        raise ServerLostError(loss.reference())


def _raise_if_lost(error: BaseException, where: str) -> None:
    """Turn a connection failure into the one message naming the loss (a reference later)."""
    found = loss.check(error, where)
    if found is None:
        return
    text = loss.reference() if found.announced else found.message
    found.announced = True
    raise ServerLostError(text) from None


def _abandon(error: BaseException | None) -> bool:
    interrupted = isinstance(error, KeyboardInterrupt | asyncio.CancelledError | TimeoutError)
    return interrupted or loss.current() is not None


def _cancelling(connection: Any) -> bool:
    """Whether a statement of ``connection`` was cancelled or timed out and its cancel request
    is still under way (an interrupt or a silent server): the connection waits for the server."""
    raw = getattr(connection, "_con", None) or connection
    return bool(getattr(raw, "_cancellations", None))


def _terminate(connection: Any) -> None:
    with contextlib.suppress(asyncpg.InterfaceError):
        connection.terminate()


def _reset_current(token: Any) -> None:
    try:
        _CURRENT.reset(token)
    except ValueError:  # finalized from another context copy: leave that copy alone
        _CURRENT.set(None)


async def _finish(
    context: TDDTestContext, connection: Any, log: QueryLog, failed: bool
) -> CheckResult:
    closed = CheckResult(
        failures=[
            f"test {context.test_id} closed its connection (or the server ended it); its "
            "transaction is gone and the pool opens a new connection for the next test"
        ],
        discard_connection=True,
    )
    if connection_gone(connection):
        return closed
    try:
        outcome = await _TRANSACTION_MANAGER.end_test_transaction(connection, context)
    except (asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError):
        if connection_gone(connection):
            return closed
        raise
    if not outcome.clean:
        await asyncio.sleep(0)  # let asyncpg deliver the last query-log records
    result = check_transaction(context.test_id, context.savepoint_name, outcome, log, failed)
    if result.discard_connection:
        outcome.discard = True
    return result


async def _release_leaks(
    manager: TDDDatabaseManager, context: TDDTestContext, raw_before: int
) -> list[str]:
    """Release connections opened during the test and still held; name them."""
    found: list[str] = []
    leaked = manager.contexts_within(context)
    for other in leaked:
        await manager.cleanup_test_connection(other, discard=True)
    if leaked:
        names = ", ".join(sorted(other.test_id for other in leaked))
        found.append(
            f"test {context.test_id} still held {len(leaked)} extra connection(s) from the TDD "
            f"pool at its end (contexts {names}); pgtdd rolled them back and closed them. "
            "Fix: leave each `async with tdd_test_context()` block, or call "
            "`await get_database_manager().cleanup_test_connection(context)`."
        )
    raw = manager.raw_in_use() - raw_before
    if raw > 0:
        found.append(
            f"test {context.test_id} still held {raw} connection(s) acquired directly from "
            "db_manager.connection_pool. Fix: `await pool.release(connection)` (or use "
            "`async with pool.acquire() as connection:`)."
        )
    return found


def _report(result: CheckResult, body_error: BaseException | None) -> None:
    if result.ok:
        return
    if body_error is not None:
        for message in result.failures + result.warnings:
            body_error.add_note(f"pgtdd: {message}")
        return
    for message in result.warnings:
        warnings.warn(TDDIsolationWarning(message), stacklevel=4)
    if result.failures:
        raise TDDIsolationError("\n".join(result.failures))


@asynccontextmanager
async def _nested_context(
    parent: TDDTestContext, context: TDDTestContext
) -> AsyncIterator[TDDTestContext]:
    """A context inside ``parent``'s transaction: its own savepoint, undone at exit."""
    connection = parent.connection
    if connection is None:
        raise SavepointError(f"cannot nest inside {parent.test_id}: it has no connection")
    if context.isolation_level != parent.isolation_level:
        raise SavepointError(
            f"a nested context runs inside {parent.test_id}'s {parent.isolation_level} "
            f"transaction and cannot use {context.isolation_level}; pass nested=False for a "
            "separate connection and transaction"
        )
    started = time.perf_counter()
    context.parent = context.owner = parent
    context.connection = connection
    tx = _TRANSACTION_MANAGER
    await tx.create_savepoint(connection, context)
    if context.timeout != parent.timeout:
        await connection.execute(f"SET LOCAL statement_timeout = {context.timeout * 1000}")
        set_client_timeout(connection, client_timeout(context.timeout))
    token = _CURRENT.set(context)
    context.metrics.setup_time_ms = (time.perf_counter() - started) * 1000
    body_error: BaseException | None = None
    try:
        yield context
    except BaseException as exc:
        body_error = context.error = exc
        raise
    finally:
        _reset_current(token)
        if context.timeout != parent.timeout:
            set_client_timeout(connection, client_timeout(parent.timeout))
        problem = None
        if not connection.is_in_transaction():
            problem = f"nested context {context.test_id} ended the outer transaction"
        else:
            try:
                await tx.discard_savepoint(connection, context)
            except SavepointError as exc:
                problem = f"nested context {context.test_id}: {exc}"
        context.connection = None
        if problem is not None:
            _report(CheckResult(failures=[problem + f". Fix: {_FIX_NESTED}."]), body_error)


_FIX_NESTED = "leave transaction control to pgtdd and use nested savepoints for sub-steps"


def tdd_test_context(
    test_id: str | None = None,
    isolation_level: str | None = None,
    timeout: int | None = None,
    rollback_on_error: bool = True,
    *,
    nested: bool | None = None,
    **metadata: Any,
) -> Any:
    """``async with tdd_test_context(...) as context``: an isolated, rolled-back test scope.

    At top level the context gets its own connection and transaction (isolation level
    ``"READ COMMITTED"`` unless given). Inside another context of the same task it nests by
    default: same connection, its own savepoint, everything it did undone at exit
    (``nested=False`` forces a separate connection). Extra keyword arguments go to
    ``context.metadata``.
    """
    parent = _CURRENT.get()
    if nested is None:
        nested = parent is not None and parent.connection is not None
    if nested and (parent is None or parent.connection is None):
        raise SavepointError("nested=True needs an active tdd_test_context in this task")
    level = isolation_level or (parent.isolation_level if nested and parent else "READ COMMITTED")
    context = TDDTestContext(
        test_id=test_id,
        isolation_level=level,
        timeout=timeout,
        rollback_on_error=rollback_on_error,
        metadata=metadata,
    )
    if nested and parent is not None:
        return _nested_context(parent, context)
    return run_test_context(context)


# --------------------------------------------------------------------------- infrastructure

_TRANSIENT = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
)


def _is_transient(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, _TRANSIENT):
            return True
        seen = seen.__cause__
    return False


async def setup_tdd_infrastructure(
    connection_string: str | None = None,
    attempts: int = 5,
    manager: TDDDatabaseManager | None = None,
) -> TDDDatabaseManager:
    """Create the pool (the session's by default), retrying transient faults.

    Connection refused, timeouts, "the database system is starting up" and "too many
    connections" are retried (exponential backoff, ``attempts`` tries); anything else fails at
    once. Raises :class:`TDDInfrastructureError` naming the cause and the attempts made.
    """
    manager = manager or _DATABASE_MANAGER
    url = resolve_database_url(connection_string or manager.connection_string)
    _fail_if_lost()
    retrying = async_retrying(attempts, _is_transient)
    try:
        async for attempt in retrying:
            with attempt:
                await manager.initialize(url)
    except UnsafeDatabaseError as exc:
        raise TDDInfrastructureError(
            f"TDD infrastructure could not start on {mask_url(url)}: {exc}"
        ) from exc
    except (PoolError, TDDError, ValueError, *_TRANSIENT) as exc:
        cause = exc.__cause__ or exc
        tries = retrying.statistics.get("attempt_number", 1)
        raise TDDInfrastructureError(
            f"TDD infrastructure could not start on {mask_url(url)} after {tries} attempt(s): "
            f"{type(cause).__name__}: {redact(str(cause))}. Check that the server is running "
            "and reachable, and that TEST_DATABASE_URL (or the pgtdd profile) names it"
        ) from exc
    return manager


async def teardown_tdd_infrastructure(
    attempts: int = 3, manager: TDDDatabaseManager | None = None
) -> None:
    """Release every test connection and close the pool; raise ``TDDInfrastructureError``."""
    manager = manager or _DATABASE_MANAGER
    try:
        async for attempt in async_retrying(attempts, _is_transient):
            with attempt:
                await manager.close()
    except (PoolError, TDDError, *_TRANSIENT) as exc:
        raise TDDInfrastructureError(
            f"TDD infrastructure could not shut down cleanly ({manager.safe_url}): "
            f"{type(exc).__name__}: {redact(str(exc))}"
        ) from exc
