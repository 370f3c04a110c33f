"""SQLAlchemy 2 on per-test rollback: an engine whose one connection is the test's.

SQLAlchemy's documented recipe for test suites, "joining a Session into an external
transaction": the test's ``Connection`` begins the outer transaction, and a ``Session`` bound
to it with ``join_transaction_mode="create_savepoint"`` turns the code under test's
``commit()`` into the release of a savepoint. pgtdd adds, under the recipe:

* the engine (``StaticPool``: one psycopg connection, no reset on return) whose connections
  are the test's, for code that takes an engine: a ``Connection`` of it that begins a
  transaction gets a savepoint of its own (``SAVEPOINT`` at begin; its ``commit()`` releases
  it, its ``rollback()`` rolls back to it and releases it);
* the same begin, end and after-test check as the psycopg fixtures (commit guard, statement
  timeout, escape log), through the engine's psycopg connection.

The sync engine uses psycopg's ``Connection`` and the asyncio engine psycopg's
``AsyncConnection`` (``postgresql+psycopg://``), both as pgtdd's subclasses.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import URL, Connection, Engine, create_engine, event, exc
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from pgtdd.clients.connection import PgtddAsyncConnection, PgtddConnection
from pgtdd.clients.slots import connect_kwargs
from pgtdd.clients.transaction import (
    ClientTest,
    abegin,
    aend,
    aprepare_connection,
    begin,
    end,
    prepare_connection,
)
from pgtdd.isolation.checks import CheckResult
from pgtdd.serverinfo import ServerInfo

OUTER = "pgtdd_outer"


def engine_url(server: ServerInfo) -> URL:
    """``postgresql+psycopg://`` for ``server`` (SQLAlchemy picks sync or asyncio by engine)."""
    return URL.create(
        "postgresql+psycopg",
        username=server.user,
        password=server.password or None,
        host=server.host,
        port=server.port,
        database=server.database,
    )


def _connect(dialect: Any, record: Any, cargs: Any, cparams: Any) -> PgtddConnection:
    return prepare_connection(PgtddConnection.connect(*cargs, **cparams))


async def _aconnect(*args: Any, **kwargs: Any) -> PgtddAsyncConnection:
    return await aprepare_connection(await PgtddAsyncConnection.connect(*args, **kwargs))


def _begin_level(conn: Connection) -> None:
    """A transaction of a Connection other than the test's own: a savepoint of its own."""
    record = conn.connection
    driver = record.driver_connection
    scope = getattr(driver, "pgtdd_scope", None)
    if scope is None or getattr(driver, OUTER, None) is conn:
        return
    cursor = record.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(scope.open_level(sticky=False))
    finally:
        cursor.close()
        scope.ran()


def _connect_args(cursor_factory: type | None) -> dict[str, Any]:
    args = connect_kwargs("pgtdd-sqlalchemy")
    if cursor_factory is not None:
        args["cursor_factory"] = cursor_factory
    return args


def create_test_engine(
    server: ServerInfo, *, cursor_factory: type | None = None, **options: Any
) -> Engine:
    """A sync engine on ``server`` whose one connection serves one test at a time."""
    engine = create_engine(
        engine_url(server),
        poolclass=StaticPool,
        pool_reset_on_return=None,
        connect_args=_connect_args(cursor_factory),
        **options,
    )
    event.listen(engine, "do_connect", _connect)
    event.listen(engine, "begin", _begin_level)
    return engine


def create_async_test_engine(
    server: ServerInfo, *, cursor_factory: type | None = None, **options: Any
) -> AsyncEngine:
    """The asyncio twin of :func:`create_test_engine`."""
    engine = create_async_engine(
        engine_url(server),
        poolclass=StaticPool,
        pool_reset_on_return=None,
        connect_args={**_connect_args(cursor_factory), "async_creator_fn": _aconnect},
        **options,
    )
    event.listen(engine.sync_engine, "begin", _begin_level)
    return engine


class EngineSlot:
    """Test engines on one database: a free one per test (each has one connection)."""

    def __init__(
        self,
        server: ServerInfo,
        options: dict[str, Any] | None = None,
        *,
        cursor_factories: tuple[type, type] | None = None,
    ) -> None:
        self.server = server
        self.options = dict(options or {})
        # psycopg cursor classes (sync, asyncio) of the engines' connections, e.g. counting ones
        self.cursor_factories = cursor_factories
        self._free: list[Engine] = []
        self._all: list[Engine] = []
        self._afree: list[AsyncEngine] = []
        self._aall: list[AsyncEngine] = []

    def acquire(self) -> Engine:
        """A sync engine no test is using."""
        if self._free:
            return self._free.pop()
        engine = create_test_engine(self.server, **self._with_cursor(0))
        self._all.append(engine)
        return engine

    def _with_cursor(self, which: int) -> dict[str, Any]:
        if self.cursor_factories is None:
            return dict(self.options)
        return {**self.options, "cursor_factory": self.cursor_factories[which]}

    def release(self, engine: Engine) -> None:
        """Give a sync engine back."""
        self._free.append(engine)

    @property
    def has_async(self) -> bool:
        """Whether asyncio engines were made (:meth:`aclose` disposes of them)."""
        return bool(self._aall)

    def aacquire(self) -> AsyncEngine:
        """An asyncio engine no test is using."""
        if self._afree:
            return self._afree.pop()
        engine = create_async_test_engine(self.server, **self._with_cursor(1))
        self._aall.append(engine)
        return engine

    def arelease(self, engine: AsyncEngine) -> None:
        """Give an asyncio engine back."""
        self._afree.append(engine)

    def close(self) -> None:
        """Dispose of every sync engine (the asyncio ones: :meth:`aclose`)."""
        for engine in self._all:
            engine.dispose()
        self._all.clear()
        self._free.clear()

    async def aclose(self) -> None:
        """Dispose of every asyncio engine."""
        for engine in self._aall:
            with contextlib.suppress(OSError, psycopg.Error, exc.SQLAlchemyError):
                await engine.dispose()
        self._aall.clear()
        self._afree.clear()


@dataclass
class Binding:
    """One test's engine, its ``Connection`` in the outer transaction, and the test."""

    engine: Engine
    connection: Connection
    test: ClientTest


def bind(slot: EngineSlot, test: ClientTest) -> Binding:
    """Begin ``test``'s transaction on a free engine's connection."""
    engine = slot.acquire()
    try:
        conn = engine.connect()
        driver = conn.connection.driver_connection
        assert isinstance(driver, PgtddConnection)
        begin(driver, test)
        setattr(driver, OUTER, conn)
        conn.begin()
    except BaseException:
        engine.dispose()
        slot.release(engine)
        raise
    return Binding(engine, conn, test)


def unbind(slot: EngineSlot, binding: Binding, *, test_failed: bool) -> CheckResult:
    """Roll the test back, check it, and give the engine back (its connection replaced when
    the test left it unusable)."""
    conn = binding.connection
    result = CheckResult(discard_connection=True)
    try:
        driver = conn.connection.driver_connection
        assert isinstance(driver, PgtddConnection)
        setattr(driver, OUTER, None)
        result = end(driver, binding.test, test_failed=test_failed)
    finally:
        with contextlib.suppress(psycopg.Error, exc.SQLAlchemyError):
            conn.close()  # rolls back SQLAlchemy's transaction: psycopg's is already gone
        if result.discard_connection:
            binding.engine.dispose()
        slot.release(binding.engine)
    return result


@dataclass
class AsyncBinding:
    """The asyncio twin of :class:`Binding`; ``sessions`` are closed at its end."""

    engine: AsyncEngine
    connection: AsyncConnection
    test: ClientTest
    sessions: list[Any] = field(default_factory=list)


def _adriver(conn: AsyncConnection) -> PgtddAsyncConnection:
    driver = conn.sync_connection.connection.driver_connection  # type: ignore[union-attr]
    assert isinstance(driver, PgtddAsyncConnection)
    return driver


async def abind(slot: EngineSlot, test: ClientTest) -> AsyncBinding:
    """Begin ``test``'s transaction on a free asyncio engine's connection."""
    engine = slot.aacquire()
    try:
        conn = await engine.connect()
        driver = _adriver(conn)
        await abegin(driver, test)
        setattr(driver, OUTER, conn.sync_connection)
        await conn.begin()
    except BaseException:
        await engine.dispose()
        slot.arelease(engine)
        raise
    return AsyncBinding(engine, conn, test)


async def aunbind(slot: EngineSlot, binding: AsyncBinding, *, test_failed: bool) -> CheckResult:
    """The asyncio twin of :func:`unbind`."""
    conn = binding.connection
    result = CheckResult(discard_connection=True)
    try:
        for session in reversed(binding.sessions):
            await session.close()
        driver = _adriver(conn)
        setattr(driver, OUTER, None)
        result = await aend(driver, binding.test, test_failed=test_failed)
    finally:
        with contextlib.suppress(psycopg.Error, exc.SQLAlchemyError):
            await conn.close()
        if result.discard_connection:
            await binding.engine.dispose()
        slot.arelease(binding.engine)
    return result
