"""Connection pools for tests: created on the running event loop, preheated, measured.

``get_pool_manager()`` returns the process-wide :class:`PoolManager`. Every number it reports
is measured: when each connection was opened, how long each acquisition took, whether the
connection handed out had been opened before it was asked for (``preheated``).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from pgtdd.redact import mask_url, redact

ConnectionHook = Callable[[Any], Awaitable[None]]

# How many recent acquisition timings each pool keeps for its median.
_TIMINGS_KEPT = 10_000
# The pool id the guides' health check asks about (``get_pool_statistics("health_check")``):
# the TDD database manager's pool while it is open (see PoolManager.alias).
HEALTH_CHECK = "health_check"


class PoolError(RuntimeError):
    """A pool could not be created, found or used on this event loop."""


@dataclass
class AcquiredConnection:
    """One acquisition: the connection, how long it took, whether it was already open."""

    connection: Any
    acquisition_time_ms: float
    preheated: bool
    pool_id: str


@dataclass
class ManagedPool:
    """An asyncpg pool plus what the manager measured about it."""

    pool_id: str
    pool: Any
    loop: asyncio.AbstractEventLoop
    safe_url: str
    min_size: int
    max_size: int
    preheat: bool
    created_at: float = field(default_factory=time.perf_counter)
    creation_ms: float = 0.0
    preheated: bool = False
    preheat_ms: float = 0.0
    opened_at: dict[int, float] = field(default_factory=dict)
    connections_opened: int = 0
    acquisitions: int = 0
    preheated_acquisitions: int = 0
    timings_ms: deque[float] = field(default_factory=lambda: deque(maxlen=_TIMINGS_KEPT))

    def was_open_before(self, connection: Any, moment: float) -> bool:
        """Whether ``connection`` had been opened before ``moment`` (a perf_counter value)."""
        opened = self.opened_at.get(connection.get_server_pid())
        return opened is not None and opened < moment

    def record(self, elapsed_ms: float, preheated: bool) -> None:
        """Count one acquisition: how long it took and whether the connection was preheated."""
        self.acquisitions += 1
        self.preheated_acquisitions += preheated
        self.timings_ms.append(elapsed_ms)

    def in_use(self) -> int:
        """Connections currently handed out (opened and not idle)."""
        return int(self.pool.get_size() - self.pool.get_idle_size())

    def statistics(self) -> dict[str, Any]:
        """Size, idle and in-use connections, and the measured acquisition timings."""
        timings = list(self.timings_ms)
        return {
            "exists": True,
            "pool_id": self.pool_id,
            "database_url": self.safe_url,
            "preheat": self.preheat,
            "preheated": self.preheated,
            "preheat_ms": self.preheat_ms,
            "creation_ms": self.creation_ms,
            "min_size": self.min_size,
            "max_size": self.max_size,
            "size": self.pool.get_size(),
            "idle_connections": self.pool.get_idle_size(),
            "active_connections": self.in_use(),
            "connections_opened": self.connections_opened,
            "acquisitions": self.acquisitions,
            "preheated_acquisitions": self.preheated_acquisitions,
            "median_acquisition_ms": statistics.median(timings) if timings else None,
            "last_acquisition_ms": timings[-1] if timings else None,
        }


def _missing_statistics(pool_id: str) -> dict[str, Any]:
    """No pool, no numbers: every count is ``None`` (unknown), not a reassuring 0."""
    return {
        "exists": False,
        "pool_id": pool_id,
        "preheated": False,
        "size": None,
        "idle_connections": None,
        "active_connections": None,
        "connections_opened": None,
        "acquisitions": None,
        "median_acquisition_ms": None,
        "last_acquisition_ms": None,
    }


class PoolManager:
    """Creates, hands out and closes named asyncpg pools, measuring each acquisition."""

    def __init__(self) -> None:
        self._pools: dict[str, ManagedPool] = {}
        self._aliases: dict[str, str] = {}

    def alias(self, name: str, pool_id: str | None) -> None:
        """Let ``name`` (a name no pool has) report the statistics of ``pool_id``; ``None``
        removes it. The TDD manager names its pool :data:`HEALTH_CHECK` while it is open."""
        if pool_id is None:
            self._aliases.pop(name, None)
        else:
            self._aliases[name] = pool_id

    def aliased(self, name: str) -> str | None:
        """The pool id ``name`` stands for, if it is an alias."""
        return self._aliases.get(name)

    def __contains__(self, pool_id: object) -> bool:
        return pool_id in self._pools

    async def create_optimized_pool(
        self,
        pool_id: str,
        connection_string: str,
        min_size: int = 2,
        max_size: int = 5,
        preheat: bool = True,
        *,
        server_settings: Mapping[str, str] | None = None,
        init: ConnectionHook | None = None,
        reset: ConnectionHook | None = None,
        command_timeout: float | None = None,
        connect_timeout: float = 10.0,
        connection_class: type | None = None,
        keep_floor: bool = True,
    ) -> Any:
        """Create the pool ``pool_id`` on the running loop and return the asyncpg pool.

        With ``preheat=True`` the ``min_size`` connections are opened now and each answers a
        query before this returns; with ``preheat=False`` connections open on first use.
        ``keep_floor=False`` opens them without making asyncpg keep ``min_size`` open: a
        connection that dies is not reopened in the background (the TDD pool: a lost server is
        reported once by pgtdd, not by a reconnecting pool's warnings).
        Creating an id that exists returns the existing pool if it uses the same URL and
        loop, and raises :class:`PoolError` otherwise.
        """
        if not 0 <= min_size <= max_size or max_size < 1:
            raise PoolError(
                f"pool {pool_id!r}: need 0 <= min_size ({min_size}) <= max_size ({max_size})"
                " and max_size >= 1"
            )
        loop = asyncio.get_running_loop()
        existing = self._pools.get(pool_id)
        if existing is not None:
            return self._reuse(existing, connection_string, loop)
        managed = ManagedPool(
            pool_id=pool_id,
            pool=None,
            loop=loop,
            safe_url=mask_url(connection_string),
            min_size=min_size,
            max_size=max_size,
            preheat=preheat,
        )

        async def on_open(connection: Any) -> None:
            managed.opened_at[connection.get_server_pid()] = time.perf_counter()
            managed.connections_opened += 1
            if init is not None:
                await init(connection)

        started = time.perf_counter()
        try:
            managed.pool = await asyncpg.create_pool(
                connection_string,
                min_size=min_size if preheat and keep_floor else 0,
                max_size=max_size,
                init=on_open,
                reset=reset,
                server_settings=dict(server_settings or {}),
                command_timeout=command_timeout,
                timeout=connect_timeout,
                max_inactive_connection_lifetime=0,
                connection_class=connection_class or asyncpg.Connection,
            )
            managed.creation_ms = (time.perf_counter() - started) * 1000
            if preheat:
                await self._preheat(managed, opening=0 if keep_floor else min_size)
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            if managed.pool is not None:
                managed.pool.terminate()
            raise PoolError(
                f"pool {pool_id!r}: could not connect to {mask_url(connection_string)}: "
                f"{redact(str(exc) or type(exc).__name__)}"
            ) from exc
        self._pools[pool_id] = managed
        return managed.pool

    def _reuse(self, existing: ManagedPool, url: str, loop: asyncio.AbstractEventLoop) -> Any:
        if existing.safe_url != mask_url(url) or existing.loop is not loop:
            raise PoolError(
                f"pool {existing.pool_id!r} already exists for {existing.safe_url} on another "
                "event loop or URL; call cleanup_pool() first or use another pool_id"
            )
        return existing.pool

    async def _preheat(self, managed: ManagedPool, opening: int = 0) -> None:
        """Run a query on every open connection (after opening ``opening`` more at once) so
        the first test finds them warm."""
        started = time.perf_counter()
        pool = managed.pool
        count = max(opening, pool.get_idle_size())
        held = list(await asyncio.gather(*(pool.acquire() for _ in range(count))))
        try:
            await asyncio.gather(*(conn.fetchval("SELECT 1") for conn in held))
        finally:
            for conn in held:
                await pool.release(conn)
        managed.preheat_ms = (time.perf_counter() - started) * 1000
        managed.preheated = managed.min_size > 0 and len(held) >= managed.min_size

    def managed(self, pool_id: str) -> ManagedPool:
        """The bookkeeping of ``pool_id``; :class:`PoolError` names the known ids if absent."""
        try:
            managed = self._pools[pool_id]
        except KeyError:
            known = ", ".join(self._pools) or "none"
            raise PoolError(
                f"no pool {pool_id!r} (open pools: {known}); create it with create_optimized_pool()"
            ) from None
        if managed.loop is not asyncio.get_running_loop():
            raise PoolError(
                f"pool {pool_id!r} belongs to another event loop; asyncpg pools work only on "
                "the loop that created them (use one session-wide loop: "
                "asyncio_default_test_loop_scope = 'session')"
            )
        return managed

    def get_pool(self, pool_id: str) -> Any:
        """The asyncpg pool ``pool_id`` (must be used on the loop that created it)."""
        return self.managed(pool_id).pool

    async def acquire_measured(
        self, pool_id: str, timeout: float | None = None
    ) -> AcquiredConnection:
        """Acquire from ``pool_id``, measuring the time and whether the connection was open.

        Without free connections this waits up to ``timeout`` seconds (forever if ``None``)
        and then raises :class:`asyncio.TimeoutError`.
        """
        managed = self.managed(pool_id)
        pool = managed.pool
        started = time.perf_counter()
        if timeout is None or pool.get_idle_size() > 0:
            connection = await pool.acquire()  # no timer task when a connection is free
        else:
            connection = await pool.acquire(timeout=timeout)
        elapsed_ms = (time.perf_counter() - started) * 1000
        preheated = managed.was_open_before(connection, started)
        managed.record(elapsed_ms, preheated)
        return AcquiredConnection(connection, elapsed_ms, preheated, pool_id)

    @asynccontextmanager
    async def acquire(self, pool_id: str, timeout: float | None = None) -> AsyncIterator[Any]:
        """``async with manager.acquire(pool_id) as conn``: a measured acquisition."""
        acquired = await self.acquire_measured(pool_id, timeout)
        try:
            yield acquired.connection
        finally:
            await self._pools[pool_id].pool.release(acquired.connection)

    def get_pool_statistics(self, pool_id: str) -> dict[str, Any]:
        """Measured statistics of ``pool_id`` (or of the pool an alias names: ``pool_id`` in
        the result is the real one). An unknown id gives ``exists: False`` and ``None`` counts.
        """
        managed = self._pools.get(pool_id) or self._pools.get(self._aliases.get(pool_id, ""))
        return managed.statistics() if managed is not None else _missing_statistics(pool_id)

    def terminate_pool(self, pool_id: str) -> bool:
        """Terminate ``pool_id`` now, without waiting (its server is gone); ``False`` if unknown."""
        managed = self._pools.pop(pool_id, None)
        if managed is None:
            return False
        if not managed.loop.is_closed():
            managed.pool.terminate()
        return True

    async def cleanup_pool(self, pool_id: str, timeout: float = 10.0) -> bool:
        """Close ``pool_id`` (terminating it after ``timeout`` s); ``False`` if it was unknown."""
        managed = self._pools.pop(pool_id, None)
        if managed is None:
            return False
        if managed.loop.is_closed():
            return True  # its sockets went with the loop
        if managed.loop is not asyncio.get_running_loop():
            managed.pool.terminate()
            return True
        if timeout <= 0:
            managed.pool.terminate()
            return True
        try:
            await asyncio.wait_for(managed.pool.close(), timeout)
        except TimeoutError:
            managed.pool.terminate()
        return True


_MANAGER = PoolManager()


def get_pool_manager() -> PoolManager:
    """The process-wide pool manager."""
    return _MANAGER


async def create_optimized_pool(
    pool_id: str,
    connection_string: str,
    min_size: int = 2,
    max_size: int = 5,
    preheat: bool = True,
    **options: Any,
) -> Any:
    """Shortcut for ``get_pool_manager().create_optimized_pool(...)``."""
    return await _MANAGER.create_optimized_pool(
        pool_id, connection_string, min_size, max_size, preheat, **options
    )


class _OptimizedPoolConfig(Mapping[str, Any]):
    """``asyncpg.create_pool(url, **OPTIMIZED_POOL_CONFIG)``: the session profile's pool read
    when the mapping is read (``pool.min_size``, ``pool.max_size``; ``timeouts.statement`` as
    ``command_timeout``, ``timeouts.connect`` as ``timeout``) and JIT off for small queries."""

    def _values(self) -> dict[str, Any]:
        from pgtdd.config.settings import current_or_resolved

        profile = current_or_resolved().profile
        statement = profile.timeouts.statement
        return {
            "min_size": min(profile.pool.min_size, profile.pool.max_size),
            "max_size": profile.pool.max_size,
            "command_timeout": statement if statement > 0 else None,
            "timeout": profile.timeouts.connect,
            "server_settings": {"jit": "off"},
        }

    def __getitem__(self, key: str) -> Any:
        return self._values()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values())

    def __len__(self) -> int:
        return len(self._values())

    def __repr__(self) -> str:
        return f"OPTIMIZED_POOL_CONFIG({self._values()!r})"


OPTIMIZED_POOL_CONFIG: Mapping[str, Any] = _OptimizedPoolConfig()
