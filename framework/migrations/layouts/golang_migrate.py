"""golang-migrate (and sqlx's reversible files): ``NNN_name.up.sql`` + ``NNN_name.down.sql``.

golang-migrate pairs an up file with its down file by version (the names after the version may
differ), orders by the number, sends each file to PostgreSQL as one query without a transaction
of its own (a file may carry its own ``BEGIN``/``COMMIT``), and keeps one row in
``schema_migrations(version bigint, dirty boolean)``: the current version, marked dirty while a
migration runs. ``up`` applies the versions above the current one.

The ``pgtdd`` layout reads the same files, runs each migration in a transaction with its row,
and keeps pgtdd's own history ``pgtdd_schema_migrations`` (with a checksum per migration).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from psycopg import sql

from pgtdd.migrations.layouts.base import (
    AppliedMigration,
    Connection,
    Discovery,
    History,
    HistoryState,
    Layout,
    LayoutOptions,
    applied_row,
    elapsed,
    names_by_id,
    read_text,
    sql_files,
)
from pgtdd.migrations.model import AS_IS, TRANSACTION, Migration, MigrationError, Section

FILE = re.compile(r"^(?P<version>[0-9]+)_(?P<name>.*)\.(?P<dir>up|down)\.sql$")


Pairs = tuple[dict[int, Path], dict[int, Path], list[str]]


def _read_pairs(folder: Path, *, strict: bool) -> Pairs:
    ups: dict[int, Path] = {}
    downs: dict[int, Path] = {}
    ignored = []
    for path in sql_files(folder):
        match = FILE.match(path.name)
        if match is None:
            if strict:
                raise MigrationError(
                    f"{path}: migration files are named NNN_name.up.sql / NNN_name.down.sql"
                )
            ignored.append(path.name)
            continue
        version = int(match["version"])
        target = ups if match["dir"] == "up" else downs
        if version in target:
            raise MigrationError(
                f"two {match['dir']} files for version {version}: {target[version].name} and "
                f"{path.name}; give each migration its own number"
            )
        target[version] = path
    ignored += sorted(p.name for p in folder.iterdir() if not p.name.endswith(".sql"))
    orphans = sorted(set(downs) - set(ups))
    if orphans:
        raise MigrationError(
            f"down file(s) without an up file in {folder}: {[downs[v].name for v in orphans]}"
        )
    return ups, downs, ignored


class GolangMigrateLayout(Layout):
    """golang-migrate's files and its ``schema_migrations`` table."""

    name: ClassVar[str] = "golang-migrate"
    pattern: ClassVar[str] = "NNN_name.up.sql + NNN_name.down.sql"
    default_table: ClassVar[str] = "schema_migrations"
    rule: ClassVar[str] = AS_IS
    strict: ClassVar[bool] = False

    def claim(self, folder: Path) -> list[str]:
        """Files named like ``NNN_name.up.sql`` / ``NNN_name.down.sql``."""
        return [p.name for p in sql_files(folder) if FILE.match(p.name)]

    def read(self, folder: Path, options: LayoutOptions) -> Discovery:
        """Every up file with the down file of the same version, by version."""
        ups, downs, ignored = _read_pairs(folder, strict=self.strict)
        migrations = []
        for version, up_path in sorted(ups.items()):
            down_path = downs.get(version)
            name = FILE.match(up_path.name)["name"]  # type: ignore[index]
            migrations.append(
                Migration(
                    version,
                    name,
                    up_path,
                    down_path,
                    layout=self.name,
                    up=self._section(up_path),
                    down=self._section(down_path) if down_path else None,
                )
            )
        return Discovery(self.name, folder, migrations, ignored)

    def _section(self, path: Path) -> Section:
        text = read_text(path)
        return Section(text, path, 1, self.rule, (0, len(text)))

    def history(self, conn: Connection, table: str | None = None) -> History:
        """``schema_migrations(version bigint, dirty boolean)``."""
        return GolangMigrateHistory(conn, table or self.default_table)

    def pending(
        self, migrations: Sequence[Migration], state: HistoryState
    ) -> tuple[list[Migration], list[str]]:
        """The versions above the current one (golang-migrate has no per-migration record); a
        current version the folder lacks is refused, as golang-migrate refuses it."""
        current = max((a.version for a in state.applied), default=-1)
        if current >= 0 and all(m.version != current for m in migrations):
            raise MigrationError(
                f"the database is at version {current}, which the folder does not have: "
                f"golang-migrate refuses to go on (no migration found for version {current})"
            )
        return [m for m in migrations if m.version > current], []

    def check_up(self, state: HistoryState) -> None:
        """A dirty database is refused, as golang-migrate refuses it."""
        if state.dirty is not None:
            raise MigrationError(
                f"the database is dirty at version {state.dirty}: a migration failed part-way "
                "and golang-migrate refuses to go on too. Check what it left, then clear the "
                f"flag (`migrate ... force {state.dirty}`, or UPDATE schema_migrations SET "
                "dirty = false)"
            )


class GolangMigrateHistory(History):
    """One row: the current version and whether a migration to it is still running/failed."""

    columns: ClassVar[tuple[str, ...]] = ("version", "dirty")
    tool: ClassVar[str] = "golang-migrate"
    after_failure: ClassVar[str] = "the history is left dirty, as golang-migrate leaves it"

    def create_sql(self) -> list[sql.Composed]:
        """As golang-migrate's postgres driver creates it."""
        return [
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (version bigint not null primary key, "
                "dirty boolean not null)"
            ).format(self.ident)
        ]

    def read(self, migrations: Sequence[Migration]) -> HistoryState:
        """Every folder migration up to the current version counts as applied."""
        if not self.exists():
            return HistoryState(exists=False)
        self.check_shape()
        row = self._rows("SELECT version, dirty FROM {table} LIMIT 1")
        if not row:
            return HistoryState()
        current, dirty = int(row[0][0]), bool(row[0][1])
        by_id = names_by_id(migrations)
        applied = [applied_row(m.id, by_id) for m in migrations if m.version <= current]
        if current >= 0 and str(current) not in by_id:
            applied.append(AppliedMigration(current, "", None, None, None, str(current)))
        return HistoryState(applied, dirty=str(current) if dirty else None)

    def _set(self, version: int | None, dirty: bool) -> list[sql.Composed]:
        # golang-migrate empties the table with TRUNCATE; DELETE leaves the same one row and
        # costs less than TRUNCATE's new file per migration
        statements = [self._sql("DELETE FROM {table}")]
        if version is not None:
            statements.append(
                self._sql("INSERT INTO {table} (version, dirty) VALUES ({0}, {1})", version, dirty)
            )
        return statements

    def started(self, migration: Migration, direction: str, previous: Migration | None) -> None:
        """The target version, dirty (in a transaction of its own, as golang-migrate does)."""
        target = migration.version if direction == "up" else (previous.version if previous else -1)
        with self.conn.transaction():
            for statement in self._set(target, True):
                self.conn.execute(statement)

    def record_sql(
        self,
        migration: Migration,
        direction: str,
        elapsed_ms: float | None,
        previous: Migration | None,
    ) -> list[sql.Composed]:
        """The new current version, clean (none left after the first migration's down)."""
        if direction == "up":
            return self._set(migration.version, False)
        return self._set(previous.version if previous else None, False)


class PgtddLayout(GolangMigrateLayout):
    """pgtdd's own history for the same files: each migration in a transaction with its row."""

    name: ClassVar[str] = "pgtdd"
    pattern: ClassVar[str] = "NNN_name.up.sql + NNN_name.down.sql (pgtdd's own history)"
    default_table: ClassVar[str] = "pgtdd_schema_migrations"
    detectable: ClassVar[bool] = False
    rule: ClassVar[str] = TRANSACTION
    strict: ClassVar[bool] = True

    def history(self, conn: Connection, table: str | None = None) -> History:
        """``pgtdd_schema_migrations`` (version, name, checksum, applied_at, execution_ms)."""
        return PgtddHistory(conn, table or self.default_table)

    def pending(
        self, migrations: Sequence[Migration], state: HistoryState
    ) -> tuple[list[Migration], list[str]]:
        """Every version missing from the table (also one added later with a lower number)."""
        return Layout.pending(self, migrations, state)

    def check_up(self, state: HistoryState) -> None:
        """Nothing: each migration ran in a transaction, so none is left half-applied."""

    def modified(self, migrations: Sequence[Migration], state: HistoryState) -> list[Migration]:
        """Applied migrations whose up file's SHA-256 differs from the stored one."""
        stored = {a.id: a.checksum for a in state.applied}
        return [m for m in migrations if m.id in stored and stored[m.id] != m.checksum]


class PgtddHistory(History):
    """pgtdd's table: a row per applied migration, with its checksum and duration."""

    columns: ClassVar[tuple[str, ...]] = (
        "version",
        "name",
        "checksum",
        "applied_at",
        "execution_ms",
    )
    tool: ClassVar[str] = "pgtdd"

    def create_sql(self) -> list[sql.Composed]:
        """pgtdd's DDL."""
        return [
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (version bigint PRIMARY KEY, name text NOT NULL,"
                " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT"
                " clock_timestamp(), execution_ms double precision NOT NULL)"
            ).format(self.ident)
        ]

    def read(self, migrations: Sequence[Migration]) -> HistoryState:
        """The rows, by version."""
        if not self.exists():
            return HistoryState(exists=False)
        rows = self._rows(
            "SELECT version, name, checksum, applied_at, execution_ms FROM {table} ORDER BY version"
        )
        return HistoryState(
            [AppliedMigration(v, name, crc, at, ms, str(v)) for v, name, crc, at, ms in rows]
        )

    def record_sql(
        self,
        migration: Migration,
        direction: str,
        elapsed_ms: float | None,
        previous: Migration | None,
    ) -> list[sql.Composed]:
        """Insert the row (up) or delete it (down)."""
        if direction == "up":
            return [
                sql.SQL(
                    "INSERT INTO {} (version, name, checksum, execution_ms) VALUES ({}, {}, {}, {})"
                ).format(
                    self.ident,
                    sql.Literal(migration.version),
                    sql.Literal(migration.name),
                    sql.Literal(migration.checksum),
                    elapsed(elapsed_ms),
                )
            ]
        return [self._sql("DELETE FROM {table} WHERE version = {0}", migration.version)]
