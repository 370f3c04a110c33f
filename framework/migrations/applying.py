"""Running one migration: one round trip in a transaction, or as is, or statement by statement.

:class:`Applier` runs a migration's section by the plan :func:`~pgtdd.migrations.execution.
make_plan` gives, writes the history row the tool writes, and turns a failure into a
:class:`~pgtdd.migrations.model.MigrationError` naming the file and the line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import sql

from pgtdd.migrations.execution import Plan, make_plan, split_text
from pgtdd.migrations.layouts.base import History, Layout
from pgtdd.migrations.model import TRANSACTION, Migration, MigrationError, Unit

LOCATE_LIMIT_SECONDS = 1.0  # a failed migration this quick is re-run to find the statement
Connection = psycopg.Connection[Any]
Fetch = Callable[..., list[Any]]


class _Located(Exception):
    """Ends the re-run that located a failing statement (its transaction rolls back)."""


class Applier:
    """Runs migrations on ``conn`` for ``layout``, writing ``history``; ``fetch`` runs a read
    (ending a transaction it had to open). ``notes`` collects the plans' notes."""

    def __init__(self, conn: Connection, layout: Layout, history: History, fetch: Fetch) -> None:
        self.conn = conn
        self.layout = layout
        self.history = history
        self._fetch = fetch
        self.notes: list[str] = []

    def _idle(self) -> bool:
        return self.conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE

    def run(self, migration: Migration, direction: str, previous: Migration | None) -> None:
        """Apply (``up``) or revert (``down``) ``migration``; ``previous`` is the one before it."""
        plan = make_plan(migration, direction, self.layout.no_transaction_hint)
        if plan.note:
            self.notes.append(plan.note)
        saved_path = self._search_path() if self.layout.name == "diesel" else None
        started = time.perf_counter()
        if plan.mode == TRANSACTION:
            try:
                if self.conn.autocommit and self._idle() and plan.parsed and len(plan.units) == 1:
                    self._one_query(migration, direction, plan.units[0], previous, saved_path)
                    return
                with self.conn.transaction():
                    for unit in plan.units:
                        self._send(migration, direction, unit, False)
                    self._restore(saved_path)
                    self.history.record(migration, direction, _ms(started), previous)
            except MigrationError as exc:
                raise self._located(migration, direction, plan, exc, started) from exc.__cause__
            return
        self._run_outside(migration, direction, plan, previous, started, saved_path)

    def _run_outside(
        self,
        migration: Migration,
        direction: str,
        plan: Plan,
        previous: Migration | None,
        started: float,
        saved_path: str | None,
    ) -> None:
        if not self._idle():
            raise MigrationError(
                f"{_file(migration, direction)} must run outside a transaction ({plan.mode}: "
                "CONCURRENTLY, VACUUM, its own COMMIT, or its tool's no-transaction mark): "
                "commit or roll back first, or give the runner an autocommit connection"
            )
        before = self.conn.autocommit
        self.conn.autocommit = True
        try:
            self.history.started(migration, direction, previous)
            try:
                for unit in plan.units:
                    self._send(migration, direction, unit, len(plan.units) > 1)
            except MigrationError as exc:
                self.history.failed(migration, direction, _ms(started))
                left = " earlier statements stayed applied;" if len(plan.units) > 1 else ""
                raise MigrationError(
                    f"{exc} (ran outside a transaction:{left} {self.history.after_failure})",
                    sqlstate=exc.sqlstate,
                ) from exc.__cause__
            with self.conn.transaction():
                self._restore(saved_path)
                self.history.record(migration, direction, _ms(started), previous)
        finally:
            self.conn.autocommit = before

    def _one_query(
        self,
        migration: Migration,
        direction: str,
        unit: Unit,
        previous: Migration | None,
        saved_path: str | None,
    ) -> None:
        """The migration and its history row in one round trip: ``BEGIN``, the SQL, the row,
        ``COMMIT`` as one query (the SQL parsed, so nothing it holds can swallow the rest)."""
        tail = self.history.record_sql(migration, direction, None, previous)
        if saved_path is not None:
            restore = sql.SQL("SELECT set_config('search_path', {}, false)")
            tail.insert(0, restore.format(sql.Literal(saved_path)))
        head = "BEGIN;\n"
        rows = "".join(f"{q.as_string(self.conn)};\n" for q in tail)
        try:
            self.conn.execute(f"{head}{unit.sql}\n;\n{rows}COMMIT;".encode())
        except psycopg.Error as exc:
            if not self._idle():
                self.conn.execute("ROLLBACK")
            position = exc.diag.statement_position
            offset = int(position) - 1 - len(head) if position else -1
            if offset >= len(unit.sql):
                raise MigrationError(
                    f"{_file(migration, direction)} ran, but writing its row in "
                    f"{self.history.table} failed: {exc.diag.message_primary} [{exc.sqlstate}]",
                    sqlstate=exc.sqlstate,
                ) from exc
            line = unit.line + unit.sql[:offset].count("\n") if offset >= 0 else None
            raise _failure(migration, direction, exc, line, None) from exc

    def _send(self, migration: Migration, direction: str, unit: Unit, part: bool) -> None:
        if part and not unit.sql.strip():
            return
        try:
            self.conn.execute(unit.sql.encode())
        except psycopg.Error as exc:
            position = exc.diag.statement_position
            line = unit.line + unit.sql[: int(position) - 1].count("\n") if position else None
            raise _failure(migration, direction, exc, line, unit.sql if part else None) from exc

    def _located(
        self,
        migration: Migration,
        direction: str,
        plan: Plan,
        error: MigrationError,
        started: float,
    ) -> MigrationError:
        """Find what failed in a quick failure without a position: re-run the statements one
        by one, then the history row, then the deferred constraints, in a transaction that is
        rolled back."""
        quick = time.perf_counter() - started <= LOCATE_LIMIT_SECONDS
        if " at line " in str(error) or not quick or len(plan.units) != 1:
            return error
        units = split_text(plan.units[0].sql, plan.units[0].line)
        found: MigrationError = error
        try:
            with self.conn.transaction():
                for unit in units:
                    try:
                        self.conn.execute(unit.sql.encode())
                    except psycopg.Error as exc:
                        position = exc.diag.statement_position
                        line = unit.line + (
                            unit.sql[: int(position) - 1].count("\n") if position else 0
                        )
                        found = _failure(migration, direction, exc, line, unit.sql)
                        raise _Located from None
                found = self._after_statements(migration, direction, error)
                raise _Located
        except _Located:
            pass
        return found

    def _after_statements(
        self, migration: Migration, direction: str, error: MigrationError
    ) -> MigrationError:
        """The statements ran: the history row or a deferred constraint failed."""
        where = _file(migration, direction)
        try:
            self.history.record(migration, direction, 0.0, None)
        except psycopg.Error as exc:
            return MigrationError(
                f"{where} ran, but writing its row in {self.history.table} failed: "
                f"{exc.diag.message_primary} [{exc.sqlstate}]",
                sqlstate=exc.sqlstate,
            )
        try:
            self.conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
        except psycopg.Error as exc:
            return MigrationError(
                f"{where} ran, but a deferred constraint failed at COMMIT: "
                f"{exc.diag.message_primary} [{exc.sqlstate}]",
                sqlstate=exc.sqlstate,
            )
        return error

    def _search_path(self) -> str:
        return str(self._fetch(sql.SQL("SELECT current_setting('search_path')"))[0][0])

    def _restore(self, saved_path: str | None) -> None:
        """Diesel restores the search path a migration changed before writing its row."""
        if saved_path is not None:
            self.conn.execute("SELECT set_config('search_path', %s, false)", (saved_path,))



def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _file(migration: Migration, direction: str) -> str:
    path = migration.section(direction).path
    folder = migration.up_path.parent if migration.layout != "diesel" else path.parent.parent
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


def _failure(
    migration: Migration,
    direction: str,
    exc: psycopg.Error,
    line: int | None,
    statement: str | None,
) -> MigrationError:
    where = f" at line {line}" if line else ""
    shown = f" in statement: {statement.strip()[:200]}" if statement else ""
    message = exc.diag.message_primary or str(exc)
    return MigrationError(
        f"{_file(migration, direction)} failed{where}: {message} [{exc.sqlstate}]{shown}",
        sqlstate=exc.sqlstate,
    )


