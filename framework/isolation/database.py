"""The database manager: the session's pool of test connections, and who holds which.

Public names are re-exported by :mod:`pgtdd.tdd_support`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from typing import Any

import asyncpg

from pgtdd import loss
from pgtdd.databases.guard import ensure_test_url
from pgtdd.isolation.checks import (
    TDD_SERVER_SETTINGS,
    install_commit_guard,
)
from pgtdd.isolation.connection import TDDConnection
from pgtdd.isolation.context import (
    _CURRENT,
    ConnectionPoolExhaustedError,
    TDDInfrastructureError,
    TDDTestContext,
    client_timeout,
    configured_acquire_timeout,
    configured_connect_timeout,
    configured_pool_min_size,
    configured_pool_size,
    resolve_database_url,
    session_database_url,
    setting_source,
)
from pgtdd.isolation.pool import HEALTH_CHECK, PoolManager, get_pool_manager
from pgtdd.redact import mask_url, redact

# Seconds a pool's polite close may take before its connections are terminated.
CLOSE_TIMEOUT = 2.0


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
        # Set by the pytest fixtures when the session database has pgtdd's escape log.
        self.escape_log = False

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
        url = resolve_database_url(connection_string or self.connection_string, provision=True)
        loop = asyncio.get_running_loop()
        if self.connection_pool is not None:
            if url == self.connection_string and loop is self._loop:
                return
            await self.close()
        if url != session_database_url():
            # The session's own database was checked at session start; any other URL is
            # checked (against the running session's profile) before a pool can reach it.
            ensure_test_url(url)
        # pool_size given: a pool of exactly that many; else the profile's min and max sizes.
        max_size = self.pool_size or configured_pool_size()
        min_size = self.pool_size or configured_pool_min_size()
        self.connection_string = url
        self.connection_pool = await self.pool_manager.create_optimized_pool(
            self.pool_id,
            url,
            min_size=min_size,
            max_size=max_size,
            preheat=True,
            server_settings=TDD_SERVER_SETTINGS,
            init=install_commit_guard,
            reset=_keep_session,
            connection_class=TDDConnection,
            command_timeout=client_timeout(),
            connect_timeout=configured_connect_timeout(),
            keep_floor=False,
        )
        self._loop = loop
        pools, named = self.pool_manager, self.pool_manager.aliased(HEALTH_CHECK)
        # a pool really named so keeps its name; another open manager's pool keeps the alias
        if HEALTH_CHECK not in pools and (named is None or named not in pools):
            pools.alias(HEALTH_CHECK, self.pool_id)
        loss.on_loss(f"tdd-pool-{id(self)}", self.abandon_pool)

    def abandon_pool(self) -> None:
        """Terminate the pool at once (its server is lost: no reconnecting in the background);
        the next test that needs it opens a new one with the same URL."""
        if self.connection_pool is not None:
            self.connection_pool = None
            self.pool_manager.terminate_pool(self.pool_id)

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
                url,
                server_settings=TDD_SERVER_SETTINGS,
                connection_class=TDDConnection,
                timeout=configured_connect_timeout(),
                command_timeout=client_timeout(),
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
            "`await get_database_manager().cleanup_test_connection(context)`), or raise the "
            f"profile key {setting_source('pool.max_size')} or DATAFLOW_TDD_POOL_SIZE "
            f"(now {size}); the wait is {setting_source('pool.acquire_timeout')}."
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
        if discard or connection_gone(connection) or loss.current() is not None:
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
        """Release all test connections and close the pool (idempotent).

        With the server lost (gone or paused) the connections are terminated, not closed:
        a polite close would wait for a server that does not answer.
        """
        await self.cleanup_all_test_connections()
        if self.connection_pool is not None:
            self.connection_pool = None
            wait = 0.0 if loss.current() is not None else CLOSE_TIMEOUT
            await self.pool_manager.cleanup_pool(self.pool_id, timeout=wait)
        if self.pool_manager.aliased(HEALTH_CHECK) == self.pool_id:
            self.pool_manager.alias(HEALTH_CHECK, None)
        self._loop = None


def connection_gone(connection: Any) -> bool:
    """Whether ``connection`` is closed, or was handed back to its pool after dying."""
    try:
        return bool(connection.is_closed())
    except asyncpg.InterfaceError:  # a pool proxy released when its connection died
        return True


def set_client_timeout(connection: Any, seconds: float | None) -> None:
    """Make ``seconds`` the client-side limit of every statement on ``connection`` (asyncpg's
    ``command_timeout``; a context whose ``timeout`` differs from the profile's sets its own)."""
    raw = getattr(connection, "_con", None) or connection
    config = getattr(raw, "_config", None)
    if config is not None and hasattr(config, "_replace"):
        raw._config = config._replace(command_timeout=seconds)


async def _close_quietly(connection: Any, timeout: float = 2.0) -> None:
    """Close ``connection`` (the server ends its session: locks and state are gone); with the
    server lost, terminate it at once."""
    if connection_gone(connection) or loss.current() is not None:
        with contextlib.suppress(asyncpg.InterfaceError):
            connection.terminate()
        return
    try:
        await connection.close(timeout=timeout)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
        with contextlib.suppress(asyncpg.InterfaceError):
            connection.terminate()


async def _keep_session(connection: Any) -> None:
    """Pool reset hook: the test transaction was already rolled back, nothing else to do.

    asyncpg's default reset costs one round trip per release; connections that may carry
    session state are discarded instead (see ``CheckResult.discard_connection``).
    """


_DATABASE_MANAGER = TDDDatabaseManager()


def get_database_manager() -> TDDDatabaseManager:
    """The process-wide database manager."""
    return _DATABASE_MANAGER
