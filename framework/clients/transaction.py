"""One test's transaction on a psycopg connection (sync or asyncio), and its after-test check.

The same design as the asyncpg fixtures': one round trip to begin (``BEGIN ... READ WRITE``,
the statement timeout, the commit guard, the test's savepoint and the escape log's mark), one
round trip to end (``RELEASE SAVEPOINT``, ``ROLLBACK``, session advisory locks released, the
escape log read), then a check of what the test left: a transaction it ended itself or left
failed, and writes committed by other connections while it ran (see
:mod:`pgtdd.databases.escapes`).
"""

from __future__ import annotations

import secrets
import warnings
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.adapt import AdaptersMap
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row

from pgtdd.clients.connection import CommitScope, PgtddAsyncConnection, PgtddConnection
from pgtdd.databases.escapes import (
    IN_TEST_SETTING,
    MARK_EXPR,
    Escape,
    check_sql,
    escape_from,
    escape_message,
)
from pgtdd.isolation.checks import GUARD_TABLE, INSTALL_GUARD_SQL, CheckResult
from pgtdd.isolation.context import (
    SavepointError,
    TDDIsolationError,
    TDDIsolationWarning,
    configured_timeout,
    normalize_isolation_level,
)

IDLE = TransactionStatus.IDLE
INTRANS = TransactionStatus.INTRANS
INERROR = TransactionStatus.INERROR
# Session settings of client connections: outside the test's transaction nothing can write.
CONNECT_OPTIONS = "-c default_transaction_read_only=on"
AnyConnection = PgtddConnection | PgtddAsyncConnection


@dataclass
class ClientTest:
    """One test's transaction settings and what its begin returned."""

    test_id: str
    through: str = "the test's connection"
    isolation_level: str = "READ COMMITTED"
    timeout: int | None = None
    escape_log: bool = True
    fix: str = ""
    savepoint: str = field(default_factory=lambda: f"pgtdd_{secrets.token_hex(4)}")
    mark: int = 0
    scope: CommitScope | None = None

    def __post_init__(self) -> None:
        self.isolation_level = normalize_isolation_level(self.isolation_level)
        if self.timeout is None:
            self.timeout = configured_timeout()

    def begin_sql(self) -> bytes:
        """``BEGIN``; the timeout, the in-test flag, the commit guard and the escape log's
        mark in one statement; the savepoint."""
        mark = f", {MARK_EXPR}" if self.escape_log else ""
        return (
            f"BEGIN ISOLATION LEVEL {self.isolation_level} READ WRITE; "
            f"WITH guard AS (INSERT INTO {GUARD_TABLE} DEFAULT VALUES) "
            f"SELECT set_config('statement_timeout', '{int(self.timeout or 0) * 1000}', true), "
            f"set_config('{IN_TEST_SETTING}', 'on', true){mark}; "
            f'SAVEPOINT "{self.savepoint}"'
        ).encode()

    def end_sql(self) -> bytes:
        """``RELEASE SAVEPOINT``, ``ROLLBACK``, then :meth:`after_sql`."""
        return f'RELEASE SAVEPOINT "{self.savepoint}"; ROLLBACK; {self.after_sql()}'.encode()

    def end_failed_sql(self) -> bytes:
        """For a transaction the test left failed: back to the savepoint first."""
        quoted = f'"{self.savepoint}"'
        return (
            f"ROLLBACK TO SAVEPOINT {quoted}; RELEASE SAVEPOINT {quoted}; ROLLBACK; "
            f"{self.after_sql()}"
        ).encode()

    def ending(self, status: TransactionStatus) -> bytes | None:
        """The end for a connection in ``status``; ``None`` when the test ended it itself."""
        if status == INTRANS:
            return self.end_sql()
        if status == INERROR:
            return self.end_failed_sql()
        return None

    def after_sql(self) -> str:
        """Outside the transaction: release session advisory locks, read the escape mark."""
        mark = f", {MARK_EXPR}" if self.escape_log else ""
        return f"SELECT pg_advisory_unlock_all(){mark}"


# --------------------------------------------------------------------------- connections


@dataclass
class Pristine:
    """A connection's settings as opened, restored before each test."""

    row_factory: Any
    cursor_factory: Any
    prepare_threshold: int | None
    adapters: AdaptersMap


_PRISTINE = "_pgtdd_pristine"


def prepare_connection(conn: PgtddConnection) -> PgtddConnection:
    """Install the commit guard on a new client connection (autocommit while doing it)."""
    conn.autocommit = True
    conn.execute(INSTALL_GUARD_SQL.encode())
    conn.autocommit = False
    _remember(conn)
    return conn


async def aprepare_connection(conn: PgtddAsyncConnection) -> PgtddAsyncConnection:
    """:func:`prepare_connection` for an asyncio connection."""
    await conn.set_autocommit(True)
    await conn.execute(INSTALL_GUARD_SQL.encode())
    await conn.set_autocommit(False)
    _remember(conn)
    return conn


def _remember(conn: AnyConnection) -> None:
    pristine = Pristine(
        conn.row_factory, conn.cursor_factory, conn.prepare_threshold, conn.adapters
    )
    setattr(conn, _PRISTINE, pristine)


def _restore(conn: AnyConnection) -> None:
    """What a test set on the Python object does not reach the next test."""
    pristine: Pristine | None = getattr(conn, _PRISTINE, None)
    if pristine is None:
        _remember(conn)
        return
    conn.row_factory = pristine.row_factory
    conn.cursor_factory = pristine.cursor_factory
    conn.prepare_threshold = pristine.prepare_threshold
    conn._adapters = AdaptersMap(pristine.adapters)
    conn._notice_handlers.clear()
    conn._notify_handlers.clear()


def _busy(test: ClientTest, status: TransactionStatus) -> SavepointError:
    return SavepointError(
        f"cannot begin the test transaction of {test.test_id}: its connection is not idle "
        f"(transaction status {status.name}); a connection serves one test at a time"
    )


# --------------------------------------------------------------------------- sync


def _selected(cursor: psycopg.Cursor[Any]) -> tuple[Any, ...]:
    """The row of the one SELECT among a multi-statement query's results."""
    while cursor.description is None and cursor.nextset():
        pass
    row = cursor.fetchone() if cursor.description else None
    return tuple(row) if row else ()


def _escape_rows(conn: PgtddConnection, test: ClientTest, mark: Any) -> list[Any]:
    """The escape log's rows above the test's mark, read only when the mark moved."""
    if not test.escape_log or int(mark or 0) == test.mark:
        return []
    with conn.cursor(row_factory=tuple_row) as cursor:
        rows = cursor.execute(check_sql(test.mark).encode(), prepare=False).fetchall()
    conn.rollback()  # the read began a transaction
    return rows


def begin(conn: PgtddConnection, test: ClientTest) -> None:
    """Start ``test``'s transaction on ``conn`` (one round trip)."""
    status = conn.info.transaction_status
    if status != IDLE:
        raise _busy(test, status)
    _restore(conn)
    with conn.cursor(row_factory=tuple_row) as cursor:
        try:
            cursor.execute(test.begin_sql(), prepare=False)
        except psycopg.errors.UndefinedTable:  # a connection without the guard: add it
            conn.rollback()
            prepare_connection(conn)
            cursor.execute(test.begin_sql(), prepare=False)
        row = _selected(cursor)
    test.mark = int(row[2]) if test.escape_log and len(row) > 2 else 0
    test.scope = conn.pgtdd_scope = CommitScope(test.savepoint)


def end(conn: PgtddConnection, test: ClientTest, *, test_failed: bool) -> CheckResult:
    """Roll ``test``'s transaction back and check what it left (one round trip if clean)."""
    conn.pgtdd_scope = None
    if conn.closed or conn.broken:
        return _closed(test)
    status = conn.info.transaction_status
    result = CheckResult()
    after: tuple[Any, ...] | None = None
    statement = test.ending(status)
    if statement is None:
        _judge_status(result, test, status)
    else:
        try:
            with conn.cursor(row_factory=tuple_row) as cursor:
                cursor.execute(statement, prepare=False)
                after = _selected(cursor)
            _failed_transaction(result, test, status, test_failed)
        except psycopg.Error as exc:
            _end_error(result, test, exc)
    if after is None:
        if conn.closed or conn.broken:
            return _closed(test)
        if conn.info.transaction_status != IDLE:
            conn.rollback()
        conn.autocommit = True  # the reads below begin no transaction
        try:
            with conn.cursor(row_factory=tuple_row) as cursor:
                cursor.execute(test.after_sql().encode(), prepare=False)
                after = _selected(cursor)
        finally:
            conn.autocommit = False
    _escapes(result, test, _escape_rows(conn, test, after[1] if len(after) > 1 else 0))
    return result


# --------------------------------------------------------------------------- asyncio


async def _aselected(cursor: psycopg.AsyncCursor[Any]) -> tuple[Any, ...]:
    while cursor.description is None and cursor.nextset():
        pass
    row = await cursor.fetchone() if cursor.description else None
    return tuple(row) if row else ()


async def _aescape_rows(conn: PgtddAsyncConnection, test: ClientTest, mark: Any) -> list[Any]:
    if not test.escape_log or int(mark or 0) == test.mark:
        return []
    async with conn.cursor(row_factory=tuple_row) as cursor:
        await cursor.execute(check_sql(test.mark).encode(), prepare=False)
        rows = await cursor.fetchall()
    await conn.rollback()  # the read began a transaction
    return rows


async def abegin(conn: PgtddAsyncConnection, test: ClientTest) -> None:
    """:func:`begin` for an asyncio connection."""
    status = conn.info.transaction_status
    if status != IDLE:
        raise _busy(test, status)
    _restore(conn)
    async with conn.cursor(row_factory=tuple_row) as cursor:
        try:
            await cursor.execute(test.begin_sql(), prepare=False)
        except psycopg.errors.UndefinedTable:
            await conn.rollback()
            await aprepare_connection(conn)
            await cursor.execute(test.begin_sql(), prepare=False)
        row = await _aselected(cursor)
    test.mark = int(row[2]) if test.escape_log and len(row) > 2 else 0
    test.scope = conn.pgtdd_scope = CommitScope(test.savepoint)


async def aend(conn: PgtddAsyncConnection, test: ClientTest, *, test_failed: bool) -> CheckResult:
    """:func:`end` for an asyncio connection."""
    conn.pgtdd_scope = None
    if conn.closed or conn.broken:
        return _closed(test)
    status = conn.info.transaction_status
    result = CheckResult()
    after: tuple[Any, ...] | None = None
    statement = test.ending(status)
    if statement is None:
        _judge_status(result, test, status)
    else:
        try:
            async with conn.cursor(row_factory=tuple_row) as cursor:
                await cursor.execute(statement, prepare=False)
                after = await _aselected(cursor)
            _failed_transaction(result, test, status, test_failed)
        except psycopg.Error as exc:
            _end_error(result, test, exc)
    if after is None:
        if conn.closed or conn.broken:
            return _closed(test)
        if conn.info.transaction_status != IDLE:
            await conn.rollback()
        await conn.set_autocommit(True)
        try:
            async with conn.cursor(row_factory=tuple_row) as cursor:
                await cursor.execute(test.after_sql().encode(), prepare=False)
                after = await _aselected(cursor)
        finally:
            await conn.set_autocommit(False)
    rows = await _aescape_rows(conn, test, after[1] if len(after) > 1 else 0)
    _escapes(result, test, rows)
    return result


# --------------------------------------------------------------------------- the check

FIX_NESTED = (
    "leave transaction control to the connection's commit()/rollback() and "
    "`with conn.transaction():` blocks (pgtdd turns them into savepoints), not raw "
    "COMMIT/ROLLBACK/END statements"
)


def _closed(test: ClientTest) -> CheckResult:
    return CheckResult(
        failures=[
            f"test {test.test_id}: its connection was closed (or the server ended it); its "
            "transaction is gone and pgtdd opens a new connection for the next test"
        ],
        discard_connection=True,
    )


def _ended(result: CheckResult, test: ClientTest, *, restarted: bool) -> None:
    what = "ended its transaction and began another one" if restarted else (
        "ended the transaction that isolates it"
    )
    result.failures.append(
        f"test {test.test_id} {what} (a raw COMMIT, ROLLBACK or END; a COMMIT is refused by "
        "pgtdd's commit guard and rolls the work back); what ran after it ran outside the "
        f"test's transaction, read-only, and the connection was replaced. Fix: {FIX_NESTED}."
    )
    result.discard_connection = True


def _end_failed(result: CheckResult, test: ClientTest, exc: BaseException) -> None:
    result.failures.append(
        f"test {test.test_id}: ending the transaction failed: {type(exc).__name__}: {exc}"
    )
    result.discard_connection = True


def _judge_status(result: CheckResult, test: ClientTest, status: TransactionStatus) -> None:
    if status == IDLE:
        _ended(result, test, restarted=False)
    else:
        _end_error(result, test, SavepointError(f"connection status {status.name}"))


def _end_error(result: CheckResult, test: ClientTest, exc: BaseException) -> None:
    if isinstance(exc, psycopg.errors.InvalidSavepointSpecification):
        _ended(result, test, restarted=True)
    else:
        _end_failed(result, test, exc)


def _failed_transaction(
    result: CheckResult, test: ClientTest, status: TransactionStatus, test_failed: bool
) -> None:
    if status == INERROR and not test_failed:
        result.warnings.append(
            f"test {test.test_id} passed but left its transaction failed (an error was caught "
            "and the transaction not rolled back); statements after the error could not run. "
            "Fix: roll back after an expected error (conn.rollback(), or a "
            "`with conn.transaction():` block around the statement)."
        )


def _escapes(result: CheckResult, test: ClientTest, rows: list[Any]) -> None:
    if not test.escape_log:
        return
    escape: Escape = escape_from(rows)
    if escape:
        result.failures.append(
            escape_message(test.test_id, escape, through=test.through, fix=test.fix)
        )


def report(
    result: CheckResult, body_error: BaseException | None = None, *, stacklevel: int = 3
) -> None:
    """Warn for the warnings, raise :class:`TDDIsolationError` for the failures; when the
    body raised, add them to its error as notes instead (the body's error stays the one)."""
    if body_error is not None:
        for message in result.failures + result.warnings:
            body_error.add_note(f"pgtdd: {message}")
        return
    for message in result.warnings:
        warnings.warn(TDDIsolationWarning(message), stacklevel=stacklevel)
    if result.failures:
        raise TDDIsolationError("\n".join(result.failures))

