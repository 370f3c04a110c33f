"""Apply and revert a folder's migrations in its tool's layout, tracked in the tool's own table.

The layout (golang-migrate, Diesel, dbmate, goose, Flyway, or pgtdd's own) is detected from the
folder or given; see :mod:`pgtdd.migrations.layouts`. Each migration runs as its tool runs it
(see :mod:`pgtdd.migrations.execution`: in a transaction with its history row where the tool
uses one, else as is or statement by statement), and its history row is what the tool writes,
so the tool accepts a database pgtdd migrated and pgtdd reads one the tool migrated.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from pgtdd.migrations.execution import Plan, make_plan, needs_autocommit, split_text
from pgtdd.migrations.layouts import HISTORY_TABLES, LAYOUTS, get_layout, load
from pgtdd.migrations.layouts.base import (
    AppliedMigration,
    Discovery,
    History,
    HistoryState,
    Layout,
)
from pgtdd.migrations.model import TRANSACTION, Migration, MigrationError, Unit
from pgtdd.migrations.status import MigrationStatus
from pgtdd.server import ServerInfo

DEFAULT_TRACKING_TABLE = "pgtdd_schema_migrations"
LOCK_KEY = "pgtdd-migrations"
LOCK_SQL = sql.Composed([sql.SQL("SELECT pg_advisory_lock(hashtext(%s))")])
UNLOCK_SQL = sql.Composed([sql.SQL("SELECT pg_advisory_unlock(hashtext(%s))")])
LOCATE_LIMIT_SECONDS = 1.0  # a failed migration this quick is re-run to find the statement
Connection = psycopg.Connection[Any]
Target = int | str | None

__all__ = [
    "DEFAULT_TRACKING_TABLE",
    "HISTORY_TABLES",
    "AppliedMigration",
    "Migration",
    "MigrationError",
    "MigrationRunner",
    "MigrationStatus",
    "discover",
    "needs_autocommit",
]


def discover(directory: Path | str, layout: str | None = None) -> list[Migration]:
    """The migrations of ``directory`` in their tool's order (layout detected when ``None``)."""
    return load(directory, layout).migrations


class _Located(Exception):
    """Ends the re-run that located a failing statement (its transaction rolls back)."""


class MigrationRunner:
    """Runs a folder's migrations against one database.

    ``target`` is a psycopg connection (used as is, not closed), a ``ServerInfo`` or a URL (a
    connection is opened and closed by :meth:`close`). ``layout`` names the folder's layout
    (detected when ``None``), ``tracking_table`` renames its history table, ``placeholders``
    are Flyway's ``${name}`` values. ``notes`` collects what pgtdd did differently from the
    tool, or what the tool would refuse (``CREATE INDEX CONCURRENTLY`` in a transaction...).
    """

    def __init__(
        self,
        target: Connection | ServerInfo | str,
        migrations_dir: Path | str,
        *,
        tracking_table: str | None = None,
        layout: str | None = None,
        placeholders: Mapping[str, str] | None = None,
    ) -> None:
        if layout is not None:
            get_layout(layout)  # an unknown name fails here, before any connection
        if isinstance(target, psycopg.Connection):
            self.conn, self._owned = target, False
        else:
            url = target.url if isinstance(target, ServerInfo) else target
            self.conn, self._owned = psycopg.connect(url, autocommit=True), True
        self.migrations_dir = Path(migrations_dir)
        self.tracking_table = tracking_table
        self.placeholders = dict(placeholders or {})
        self.notes: list[str] = []
        self.ignored: list[str] = []
        self._layout_name = layout
        self._layout: Layout | None = None
        self._detected: Discovery | None = None
        self._history: History | None = None

    def __enter__(self) -> MigrationRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection if this runner opened it."""
        if self._owned:
            self.conn.close()

    # --- the folder and its history ------------------------------------------------------

    @property
    def layout(self) -> Layout:
        """The folder's layout (detected on first use when not given)."""
        if self._layout is None:
            name = self._layout_name
            if name is None:
                self._detected = self._load(None)
                name = self._detected.layout
                if name == "flyway":  # read again with the values of Flyway's own placeholders
                    self._detected = None
            self._layout = LAYOUTS[name]
        return self._layout

    @property
    def history(self) -> History:
        """The layout's history table on this connection."""
        if self._history is None:
            self._history = self.layout.history(self.conn, self.tracking_table)
        return self._history

    def discover(self) -> list[Migration]:
        """The migrations in the folder, in the tool's order."""
        name = self.layout.name
        if self._detected is not None:  # the folder was just read to detect its layout
            found, self._detected = self._detected, None
            return found.migrations
        return self._load(name).migrations

    def _load(self, layout: str | None) -> Discovery:
        """Read the folder (detecting the layout when ``None``); Flyway's placeholders get the
        values Flyway gives its built-in ones (``${flyway:user}``...) from this connection."""
        values = dict(self.placeholders)
        if layout == "flyway":
            values = {**self._flyway_builtins(), **values}
        found = load(self.migrations_dir, layout, placeholders=values)
        self.ignored = found.ignored
        return found

    def _flyway_builtins(self) -> dict[str, str]:
        row = self._fetch(
            sql.SQL(
                "SELECT current_schema(), current_user, current_database(),"
                " to_char(now(), 'YYYY-MM-DD HH24:MI:SS')"
            )
        )[0]
        names = ("defaultSchema", "user", "database", "timestamp")
        values = {f"flyway:{n}": str(v) for n, v in zip(names, row, strict=True)}
        values["flyway:table"] = self.history.table
        return values

    def ensure_tracking_table(self) -> None:
        """Create the history table as the tool does, if it does not exist."""
        with self.conn.transaction():
            self.history.ensure()

    ensure_history = ensure_tracking_table

    def _state(self, migrations: Sequence[Migration]) -> HistoryState:
        idle = self._idle()
        state = self.history.read(migrations)
        if idle and not self.conn.autocommit and not self._idle():
            self.conn.commit()
        return state

    def applied(self) -> list[AppliedMigration]:
        """The migrations the history table records as applied."""
        return self._state(self.discover()).applied

    def _idle(self) -> bool:
        return self.conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE

    def _fetch(self, query: sql.SQL | sql.Composed, params: tuple[object, ...] = ()) -> list[Any]:
        """Run a read; a transaction it had to open on a non-autocommit connection is ended."""
        idle = self._idle()
        rows: list[Any] = self.conn.execute(query, params).fetchall()
        if idle and not self.conn.autocommit:
            self.conn.commit()
        return rows

    def status(self) -> MigrationStatus:
        """Applied, pending, modified and missing migrations, and what the history notes."""
        migrations = self.discover()
        state = self._state(migrations)
        notes: list[str] = []
        try:
            pending, notes = self.layout.pending(migrations, state)
        except MigrationError as exc:
            done = {a.id for a in state.applied}
            pending, notes = [m for m in migrations if m.id not in done], [f"up refuses: {exc}"]
        ids = {m.id for m in migrations}
        if state.dirty is not None:
            notes.append(f"dirty at version {state.dirty}: a migration failed part-way")
        notes += [f"failed run in the history: {f}" for f in state.failed]
        return MigrationStatus(
            applied=state.applied,
            pending=pending,
            modified=self.layout.modified(migrations, state),
            missing=[a for a in state.applied if a.id not in ids],
            layout=self.layout.name,
            table=self.history.table,
            notes=notes,
            dirty=state.dirty,
            failed=list(state.failed),
        )

    def pending(self) -> list[Migration]:
        """What :meth:`up` would apply, in order."""
        return self.status().pending

    def current_version(self) -> int:
        """The highest applied version (0 when none)."""
        return self.status().current_version

    # --- actions -------------------------------------------------------------------------

    def up(self, target: Target = None, *, allow_modified: bool = False) -> list[Migration]:
        """Apply pending migrations up to ``target`` (all when ``None``); return those applied.

        ``target`` is a version number, or a migration's id or name as the folder writes it.
        Refuses to run when an applied migration's file was edited (for the tools that keep a
        checksum), unless ``allow_modified``, and where the tool itself refuses.
        """
        with self._locked():
            migrations = self.discover()
            state = self._state(migrations)
            if not state.exists:
                self._refuse_foreign_history()
            self.layout.check_up(state)
            modified = self.layout.modified(migrations, state)
            if modified and not allow_modified:
                names = ", ".join(m.up_path.name for m in modified)
                raise MigrationError(
                    f"applied migration(s) edited since they ran: {names}. Restore the files, "
                    "or add a new migration for the change (allow_modified=True to go on anyway)"
                )
            todo, notes = self.layout.pending(migrations, state)
            self.notes += notes
            todo = _up_to(todo, migrations, target, self.layout)
            if todo or not state.exists:
                self.ensure_tracking_table()
            for migration in todo:
                self._run(migration, "up", None)
        return todo

    def down(self, steps: int = 1, *, target: Target = None) -> list[Migration]:
        """Revert the last ``steps`` applied migrations, or all applied above ``target``."""
        with self._locked():
            migrations = self.discover()
            state = self._state(migrations)
            order = self.layout.reverting(migrations, state)
            if target is not None:
                keep = {m.id for m in _up_to(migrations, migrations, target, self.layout)}
                chosen = [a for a in order if a.id not in keep]
            else:
                chosen = order[:steps]
            by_id = {m.id: m for m in migrations}
            missing = [a.name or a.id for a in chosen if a.id not in by_id]
            if missing:
                raise MigrationError(f"cannot revert {missing}: their files are not in the folder")
            done = []
            for row in chosen:
                migration = by_id[row.id]
                position = migrations.index(migration)
                previous = migrations[position - 1] if position > 0 else None
                self._run(migration, "down", previous)
                done.append(migration)
        return done

    def redo(self, steps: int = 1) -> list[Migration]:
        """Revert the last ``steps`` migrations and apply them again."""
        reverted = self.down(steps)
        if reverted:
            self.up(reverted[0].id)  # up to the first reverted one, in the folder's order
        return reverted

    def _refuse_foreign_history(self) -> None:
        """No history of this layout, but another tool's with rows: the layout is probably
        wrong, and applying would run every migration again."""
        mine = self.history.table.rsplit(".", 1)[-1]
        others = [t for t in HISTORY_TABLES if t != mine]
        rows = self._fetch(
            sql.SQL(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname = ANY(%s)"
                " AND pg_table_is_visible(oid)"
            ),
            (others,),
        )
        used = [name for (name,) in rows if self._has_rows(name)]
        if used:
            owners = [n for n, lay in LAYOUTS.items() if lay.default_table in used]
            raise MigrationError(
                f"the database has no {mine} ({self.layout.name}'s history) but has "
                f"{', '.join(sorted(used))} (the history of {' or '.join(owners)}): applying the "
                f"folder as {self.layout.name} would run every migration again. Pass --layout "
                "(profile key migrations_layout) to match the tool that migrated it"
            )

    def _has_rows(self, table: str) -> bool:
        """Whether a history table records anything (goose's own version-0 row aside)."""
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        count = int(self._fetch(query)[0][0])
        return count > (1 if table == LAYOUTS["goose"].default_table else 0)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        if not self._idle():
            yield  # inside the caller's transaction: migrations become savepoints of it
            return
        self._fetch(LOCK_SQL, (LOCK_KEY,))
        try:
            yield
        finally:
            if not self._idle():
                self.conn.rollback()  # a failed migration left the connection in error
            self._fetch(UNLOCK_SQL, (LOCK_KEY,))

    # --- running one migration -----------------------------------------------------------

    def _run(self, migration: Migration, direction: str, previous: Migration | None) -> None:
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


def _up_to(
    todo: Sequence[Migration],
    migrations: Sequence[Migration],
    target: Target,
    layout: Layout,
) -> list[Migration]:
    """The migrations of ``todo`` up to ``target``: a version number, or a migration's id or
    folder name (every migration up to that one in the folder's order)."""
    if target is None:
        return list(todo)
    if isinstance(target, int) or (isinstance(target, str) and target.isdigit() and
                                   not any(m.id == target for m in migrations)):  # fmt: skip
        return [m for m in todo if m.version <= int(target)]
    wanted = layout.normalise_target(target)
    for index, migration in enumerate(migrations):
        if wanted in (migration.id, migration.label, migration.title):
            allowed = {m.id for m in migrations[: index + 1]}
            return [m for m in todo if m.id in allowed]
    raise MigrationError(
        f"target {target!r} names no migration of the folder (a version like "
        f"{migrations[-1].id if migrations else '1'}, or a migration's name)"
    )
