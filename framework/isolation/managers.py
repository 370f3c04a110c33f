"""The database manager (pool, who holds which connection) and the transaction manager.

Public names are re-exported by :mod:`pgtdd.tdd_support`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from pgtdd.databases.guard import ensure_test_url
from pgtdd.isolation.checks import (
    ALLOW_COMMIT_SETTING,
    GUARD_TABLE,
    TDD_SERVER_SETTINGS,
    TransactionOutcome,
    install_commit_guard,
)
from pgtdd.isolation.connection import TDDConnection
from pgtdd.isolation.context import (
    _CURRENT,
    ConnectionPoolExhaustedError,
    SavepointError,
    TDDInfrastructureError,
    TDDTestContext,
    configured_acquire_timeout,
    configured_pool_size,
    resolve_database_url,
    session_database_url,
    validate_savepoint_name,
)
from pgtdd.isolation.pool import PoolManager, get_pool_manager
from pgtdd.redact import mask_url, redact

# --------------------------------------------------------------------------- database manager


class TDDDatabaseManager:
    """The session's pool of test connections, and who holds which connection."""

    def __init__(
        self,
        pool_size: int | None = None,
        acquire_timeout: float | None = None,
        pool_id: str = "pgtdd_tdd",
        pool_manager: PoolManager | None = None,
    ) -> None:
        self.pool_size = pool_size
        self._acquire_timeout = acquire_timeout
        self.pool_id = pool_id
        self.pool_manager = pool_manager or get_pool_manager()
        self.connection_string: str | None = None
        self.connection_pool: Any | None = None
        self.active_connections: dict[str, Any] = {}
        self._contexts: dict[str, TDDTestContext] = {}
        self._direct: set[str] = set()
        # Pool connections being released (no longer in active_connections, not yet idle in
        # the pool): neither held by a context nor taken "raw" by test code.
        self._in_transit = 0
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def acquire_timeout(self) -> float:
        """Seconds to wait for a free connection: as given, else the session profile's."""
        if self._acquire_timeout is not None:
            return self._acquire_timeout
        return configured_acquire_timeout()

    @acquire_timeout.setter
    def acquire_timeout(self, seconds: float) -> None:
        self._acquire_timeout = seconds

    @property
    def safe_url(self) -> str:
        """The database URL with its password masked."""
        return mask_url(self.connection_string or resolve_database_url())

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The event loop the pool belongs to."""
        return self._loop

    async def initialize(self, connection_string: str | None = None) -> None:
        """Create the pool on the running loop (no-op if it exists for the same URL and loop).

        ``connection_string`` defaults to the session server, then ``TEST_DATABASE_URL``, then
        the spec's default URL.
        """
        url = resolve_database_url(connection_string or self.connection_string)
        loop = asyncio.get_running_loop()
        if self.connection_pool is not None:
            if url == self.connection_string and loop is self._loop:
                return
            await self.close()
        if url != session_database_url():
            # The session's own database was checked at session start; any other URL is
            # checked (against the running session's profile) before a pool can reach it.
            ensure_test_url(url)
        size = self.pool_size or configured_pool_size()
        self.connection_string = url
        self.connection_pool = await self.pool_manager.create_optimized_pool(
            self.pool_id,
            url,
            min_size=size,
            max_size=size,
            preheat=True,
            server_settings=TDD_SERVER_SETTINGS,
            init=install_commit_guard,
            reset=_keep_session,
            connection_class=TDDConnection,
        )
        self._loop = loop

    async def ensure_ready(self) -> None:
        """Initialize lazily (after ``close()`` too) with the last URL used."""
        if self.connection_pool is None:
            await self.initialize(self.connection_string)

    def _uses_pool(self) -> bool:
        return self._loop is asyncio.get_running_loop()

    async def get_test_connection(self, context: TDDTestContext) -> Any:
        """The connection of ``context``, acquired now if it has none.

        Raises :class:`ConnectionPoolExhaustedError` when no connection frees up within
        ``acquire_timeout`` seconds. On an event loop other than the pool's (tests not on the
        session loop) the context gets its own new connection instead.
        """
        held = self.active_connections.get(context.test_id)
        if held is not None:
            if held is context.connection:
                return held
            raise TDDInfrastructureError(
                f"test id {context.test_id!r} already holds another connection; give each "
                "context its own test_id"
            )
        await self.ensure_ready()
        started = time.perf_counter()
        if self._uses_pool():
            try:
                acquired = await self.pool_manager.acquire_measured(
                    self.pool_id, timeout=self.acquire_timeout
                )
            except TimeoutError:
                raise ConnectionPoolExhaustedError(self._exhausted_message()) from None
            connection = acquired.connection
            context.metrics.preheated_connection = acquired.preheated
        else:
            connection = await self._connect_direct(context)
        context.metrics.acquisition_time_ms = (time.perf_counter() - started) * 1000
        context.connection = connection
        if context.owner is None:
            context.owner = _CURRENT.get()
        self.active_connections[context.test_id] = connection
        self._contexts[context.test_id] = context
        return connection

    @contextlib.contextmanager
    def _transit(self) -> Iterator[None]:
        self._in_transit += 1
        try:
            yield
        finally:
            self._in_transit -= 1

    async def _connect_direct(self, context: TDDTestContext) -> Any:
        url = self.connection_string or resolve_database_url()
        try:
            connection = await asyncpg.connect(
                url, server_settings=TDD_SERVER_SETTINGS, connection_class=TDDConnection
            )
            await install_commit_guard(connection)
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            raise TDDInfrastructureError(
                f"could not open a connection to {mask_url(url)} for test {context.test_id}: "
                f"{redact(str(exc))}"
            ) from exc
        self._direct.add(context.test_id)
        context.metadata["connection"] = "direct (event loop is not the pool's loop)"
        return connection

    def _exhausted_message(self) -> str:
        pool = self.connection_pool
        size = int(pool.get_max_size()) if pool is not None else configured_pool_size()
        holders = [tid for tid in self.active_connections if tid not in self._direct]
        outside = self.in_use() - len(holders)
        shown = ", ".join(holders[:10]) + (" ..." if len(holders) > 10 else "")
        extra = f"; {outside} more acquired outside the manager" if outside > 0 else ""
        return (
            f"no connection of the TDD pool ({size} connection(s), {self.safe_url}) became free "
            f"within {self.acquire_timeout:g} s: held by test(s) {shown or 'none'}{extra}. "
            "Fix: release connections (leave the `async with tdd_test_context()` block or call "
            "`await get_database_manager().cleanup_test_connection(context)`), or raise "
            f"DATAFLOW_TDD_POOL_SIZE (now {size})."
        )

    def in_use(self) -> int:
        """Pool connections handed out right now (by the manager or directly)."""
        pool = self.connection_pool
        if pool is None:
            return 0
        return int(pool.get_size() - pool.get_idle_size())

    def contexts(self) -> list[TDDTestContext]:
        """The contexts holding a connection now."""
        return list(self._contexts.values())

    def contexts_within(self, context: TDDTestContext) -> list[TDDTestContext]:
        """Contexts holding a connection that were opened while ``context`` was active."""
        return [other for other in self._contexts.values() if other.is_within(context)]

    def raw_in_use(self) -> int:
        """Pool connections handed out other than through ``get_test_connection``."""
        held = len(self.active_connections) - len(self._direct)
        return self.in_use() - held - self._in_transit

    async def cleanup_test_connection(self, context: TDDTestContext, discard: bool = False) -> None:
        """Release the connection of ``context`` (rolled back first if still in a transaction).

        ``discard=True`` closes it instead of returning it, so no session state can reach the
        next test; the pool opens a fresh one when needed.
        """
        with self._transit():
            await self._release(context, discard)

    async def _release(self, context: TDDTestContext, discard: bool) -> None:
        connection = self.active_connections.pop(context.test_id, None)
        self._contexts.pop(context.test_id, None)
        context.connection = None
        context.savepoint_created = False
        if connection is None:
            return
        direct = context.test_id in self._direct
        self._direct.discard(context.test_id)
        if direct:
            await _close_quietly(connection)
            return
        if discard or connection_gone(connection):
            await _close_quietly(connection)
            return
        try:
            if connection.is_in_transaction():
                await connection.execute("ROLLBACK")
            await self.connection_pool.release(connection)  # type: ignore[union-attr]
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            with contextlib.suppress(asyncpg.InterfaceError):
                connection.terminate()

    async def cleanup_all_test_connections(self) -> None:
        """Release every connection still held by a context."""
        for test_id in list(self.active_connections):
            context = self._contexts.get(test_id)
            if context is not None:
                await self.cleanup_test_connection(context)
            else:
                self.active_connections.pop(test_id, None)

    async def close(self) -> None:
        """Release all test connections and close the pool (idempotent)."""
        await self.cleanup_all_test_connections()
        if self.connection_pool is not None:
            self.connection_pool = None
            await self.pool_manager.cleanup_pool(self.pool_id)
        self._loop = None


def connection_gone(connection: Any) -> bool:
    """Whether ``connection`` is closed, or was handed back to its pool after dying."""
    try:
        return bool(connection.is_closed())
    except asyncpg.InterfaceError:  # a pool proxy released when its connection died
        return True


async def _close_quietly(connection: Any, timeout: float = 2.0) -> None:
    """Close ``connection`` (the server ends its session: locks and state are gone)."""
    if connection_gone(connection):
        with contextlib.suppress(asyncpg.InterfaceError):
            connection.terminate()
        return
    try:
        await connection.close(timeout=timeout)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
        connection.terminate()


async def _keep_session(connection: Any) -> None:
    """Pool reset hook: the test transaction was already rolled back, nothing else to do.

    asyncpg's default reset costs one round trip per release; connections that may carry
    session state are discarded instead (see ``CheckResult.discard_connection``).
    """


# --------------------------------------------------------------------------- transactions


def _quote(name: str) -> str:
    return '"' + validate_savepoint_name(name) + '"'


class TDDTransactionManager:
    """Begins and ends test transactions and handles savepoints inside them."""

    def begin_sql(self, context: TDDTestContext) -> str:
        """The one round trip that starts a test transaction for ``context``."""
        return (
            f"BEGIN ISOLATION LEVEL {context.isolation_level} READ WRITE; "
            f"SET LOCAL statement_timeout = {context.timeout * 1000}; "
            f"INSERT INTO {GUARD_TABLE} DEFAULT VALUES; "
            f"SAVEPOINT {_quote(context.savepoint_name)}"
        )

    async def begin_test_transaction(self, connection: Any, context: TDDTestContext) -> None:
        """Start the test transaction: isolation level, statement timeout, guard, savepoint."""
        if context.savepoint_created:
            raise SavepointError(
                f"context {context.test_id} already has an open test transaction; end it with "
                "end_test_transaction() first"
            )
        if connection.is_in_transaction():
            raise SavepointError(
                f"the connection of {context.test_id} is already inside a transaction; "
                "begin_test_transaction() starts the outer one. For a nested scope use "
                "create_savepoint() or nest tdd_test_context()"
            )
        sql = self.begin_sql(context)
        try:
            try:
                await connection.execute(sql)
            except (asyncpg.UndefinedTableError, asyncpg.UndefinedFunctionError):
                await connection.execute("ROLLBACK")  # not a TDD pool connection: add the guard
                await install_commit_guard(connection)
                await connection.execute(sql)
        except asyncpg.PostgresError as exc:
            if connection.is_in_transaction():
                await connection.execute("ROLLBACK")
            raise SavepointError(
                f"could not begin the test transaction of {context.test_id} "
                f"({context.isolation_level}, savepoint {context.savepoint_name}): "
                f"{type(exc).__name__}: {exc}. Check that the connection is usable and the "
                "role may create temporary tables"
            ) from exc
        context.connection = connection
        context.savepoint_created = True
        context.commit_guarded = True
        context.savepoints = [context.savepoint_name]

    async def end_test_transaction(
        self, connection: Any, context: TDDTestContext, rollback: bool | None = None
    ) -> TransactionOutcome:
        """End the test transaction: roll back (default, ``None`` or ``True``) or commit.

        ``rollback=False`` commits, unless the context recorded an error and
        ``rollback_on_error`` is set. Returns what was found (the test may have ended the
        transaction itself, dropped the savepoint or left the transaction failed).
        """
        commit = rollback is False and not (context.error is not None and context.rollback_on_error)
        outcome = TransactionOutcome(requested="commit" if rollback is False else "rollback")
        if not connection.is_in_transaction():
            outcome.ended_by_test = True
        else:
            ending = f"SET LOCAL {ALLOW_COMMIT_SETTING} = 'on'; COMMIT" if commit else "ROLLBACK"
            try:
                await connection.execute(
                    f"RELEASE SAVEPOINT {_quote(context.savepoint_name)}; {ending}"
                )
                outcome.ended_with = "commit" if commit else "rollback"
            except asyncpg.InFailedSQLTransactionError:
                outcome.failed_transaction = True
            except asyncpg.InvalidSavepointSpecificationError:
                outcome.savepoint_missing = True
            except asyncpg.PostgresError as exc:
                outcome.end_error = exc
            if outcome.ended_with is None and connection.is_in_transaction():
                await connection.execute("ROLLBACK")
                outcome.ended_with = "rollback"
        context.savepoint_created = False
        context.savepoints = []
        context.outcome = outcome
        if commit and outcome.ended_with != "commit":
            raise SavepointError(
                f"commit of {context.test_id} was asked but the transaction was rolled back "
                f"({_describe_outcome(outcome)})"
            )
        return outcome

    def _innermost(self, context: TDDTestContext, name: str | None, action: str) -> str:
        if name is not None:
            if name not in context.savepoints:
                raise SavepointError(
                    f"cannot {action} savepoint {name!r}: not open in {context.test_id} "
                    f"(open: {', '.join(context.savepoints) or 'none'})"
                )
            return name
        if not context.savepoints:
            raise SavepointError(
                f"cannot {action}: {context.test_id} has no open savepoint; call "
                "begin_test_transaction() or create_savepoint() first"
            )
        return context.savepoints[-1]

    async def _run(self, connection: Any, sql: str, what: str, context: TDDTestContext) -> None:
        if not connection.is_in_transaction():
            raise SavepointError(
                f"cannot {what} for {context.test_id}: the connection is not in a transaction "
                "(it was ended or never begun); call begin_test_transaction() first"
            )
        try:
            await connection.execute(sql)
        except asyncpg.PostgresError as exc:
            raise SavepointError(
                f"could not {what} for {context.test_id}: {type(exc).__name__}: {exc}"
            ) from exc

    async def create_savepoint(
        self, connection: Any, context: TDDTestContext, name: str | None = None
    ) -> str:
        """Create a savepoint: the context's own first, then nested ``<name>_<depth>`` ones."""
        if name is None:
            depth = len(context.savepoints)
            name = context.savepoint_name if depth == 0 else f"{context.savepoint_name}_{depth}"
        await self._run(
            connection, f"SAVEPOINT {_quote(name)}", f"create savepoint {name}", context
        )
        context.savepoints.append(name)
        context.savepoint_created = True
        return name

    async def rollback_to_savepoint(
        self, connection: Any, context: TDDTestContext, name: str | None = None
    ) -> None:
        """Undo everything since savepoint ``name`` (the innermost by default); it stays open."""
        name = self._innermost(context, name, "roll back to")
        await self._run(
            connection, f"ROLLBACK TO SAVEPOINT {_quote(name)}", f"roll back to {name}", context
        )
        del context.savepoints[context.savepoints.index(name) + 1 :]

    async def release_savepoint(
        self, connection: Any, context: TDDTestContext, name: str | None = None
    ) -> None:
        """Release savepoint ``name`` (the innermost by default) and those created after it."""
        name = self._innermost(context, name, "release")
        await self._run(connection, f"RELEASE SAVEPOINT {_quote(name)}", f"release {name}", context)
        del context.savepoints[context.savepoints.index(name) :]
        context.savepoint_created = bool(context.savepoints)

    async def discard_savepoint(
        self, connection: Any, context: TDDTestContext, name: str | None = None
    ) -> None:
        """Roll back to and release savepoint ``name`` in one round trip."""
        name = self._innermost(context, name, "discard")
        quoted = _quote(name)
        await self._run(
            connection,
            f"ROLLBACK TO SAVEPOINT {quoted}; RELEASE SAVEPOINT {quoted}",
            f"discard savepoint {name}",
            context,
        )
        del context.savepoints[context.savepoints.index(name) :]
        context.savepoint_created = bool(context.savepoints)

    @asynccontextmanager
    async def savepoint(self, connection: Any, context: TDDTestContext) -> AsyncIterator[str]:
        """A nested savepoint: released on success, rolled back (then released) on error."""
        name = await self.create_savepoint(connection, context)
        try:
            yield name
        except BaseException:
            if connection.is_in_transaction() and name in context.savepoints:
                await self.discard_savepoint(connection, context, name)
            raise
        await self.release_savepoint(connection, context, name)


def _describe_outcome(outcome: TransactionOutcome) -> str:
    if outcome.ended_by_test:
        return "the transaction had already been ended"
    if outcome.failed_transaction:
        return "the transaction had failed"
    if outcome.savepoint_missing:
        return "the test savepoint was gone"
    if outcome.end_error is not None:
        return f"{type(outcome.end_error).__name__}: {outcome.end_error}"
    return "unknown"


_DATABASE_MANAGER = TDDDatabaseManager()
_TRANSACTION_MANAGER = TDDTransactionManager()


def get_database_manager() -> TDDDatabaseManager:
    """The process-wide database manager."""
    return _DATABASE_MANAGER


def get_transaction_manager() -> TDDTransactionManager:
    """The process-wide transaction manager."""
    return _TRANSACTION_MANAGER
