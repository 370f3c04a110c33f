"""Apply and revert a folder's migrations in its tool's layout, tracked in the tool's own table.

The layout (golang-migrate, Diesel, dbmate, goose, Flyway, or pgtdd's own) is detected from the
folder or given; see :mod:`pgtdd.migrations.layouts`. Each migration runs as its tool runs it
(see :mod:`pgtdd.migrations.execution`: in a transaction with its history row where the tool
uses one, else as is or statement by statement), and its history row is what the tool writes,
so the tool accepts a database pgtdd migrated and pgtdd reads one the tool migrated.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from pgtdd.migrations.applying import Applier
from pgtdd.migrations.execution import needs_autocommit
from pgtdd.migrations.layouts import HISTORY_TABLES, LAYOUTS, get_layout, load
from pgtdd.migrations.layouts.base import (
    AppliedMigration,
    Discovery,
    History,
    HistoryState,
    Layout,
)
from pgtdd.migrations.model import Migration, MigrationError
from pgtdd.migrations.status import MigrationStatus
from pgtdd.serverinfo import ServerInfo

DEFAULT_TRACKING_TABLE = "pgtdd_schema_migrations"
LOCK_KEY = "pgtdd-migrations"
LOCK_SQL = sql.Composed([sql.SQL("SELECT pg_advisory_lock(hashtext(%s))")])
UNLOCK_SQL = sql.Composed([sql.SQL("SELECT pg_advisory_unlock(hashtext(%s))")])
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


class MigrationRunner:
    """Runs a folder's migrations against one database.

    ``target`` is a psycopg connection (used as is, not closed), a ``ServerInfo`` or a URL (a
    connection is opened and closed by :meth:`close`). ``layout`` names the folder's layout
    (detected when ``None``), ``tracking_table`` renames its history table, ``placeholders``
    are Flyway's ``${name}`` values and ``schemas`` its ``schemas`` setting (created when
    missing; the first holds the history and goes first on the search path). ``notes``
    collects what pgtdd did differently from the tool, or what the tool would refuse
    (``CREATE INDEX CONCURRENTLY`` in a transaction...).
    """

    def __init__(
        self,
        target: Connection | ServerInfo | str,
        migrations_dir: Path | str,
        *,
        tracking_table: str | None = None,
        layout: str | None = None,
        placeholders: Mapping[str, str] | None = None,
        schemas: Sequence[str] | None = None,
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
        self.schemas = tuple(schemas or ())
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
            table = self.tracking_table or self.layout.default_table
            if self.schemas and "." not in table:  # Flyway keeps it in the default schema
                table = f"{self.schemas[0]}.{table}"
            self._history = self.layout.history(self.conn, table)
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
        if self.schemas:
            values["flyway:defaultSchema"] = self.schemas[0]
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
            self._flyway_schemas()
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
            self._flyway_schemas()
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

    def _flyway_schemas(self) -> None:
        """Flyway's ``schemas``: created when missing, the first on the search path."""
        if not self.schemas:
            return
        if self.layout.name != "flyway":
            raise MigrationError(
                f"schemas ({', '.join(self.schemas)}) is Flyway's setting; the folder is "
                f"{self.layout.name}: set the search path in the URL's options instead"
            )
        from pgtdd.migrations.layouts.flyway_schemas import prepare

        prepare(self.conn, self.schemas, self.history)

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
        applier = Applier(self.conn, self.layout, self.history, self._fetch)
        try:
            applier.run(migration, direction, previous)
        finally:
            self.notes += applier.notes


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
