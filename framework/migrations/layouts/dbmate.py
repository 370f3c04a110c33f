"""dbmate: one file per migration, ``VERSION_name.sql`` with ``-- migrate:up``/``down`` blocks.

As dbmate does: a migration is a ``.sql`` file whose name starts with digits (the version),
ordered by file name; its up block runs from the ``-- migrate:up`` line to the
``-- migrate:down`` line, its down block from there to the end; each block runs in a
transaction unless its directive says ``transaction:false`` (then it is sent as one query);
``schema_migrations(version varchar primary key)`` holds the applied versions. Other files are
ignored; SQL before ``-- migrate:up`` is an error. A file with several up/down pairs (dbmate
2.28's multi-section files) runs its up blocks in file order as one migration (dbmate records
the version for each block, which its primary key refuses on PostgreSQL), its down blocks in
file order too, as dbmate does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from psycopg import sql

from pgtdd.migrations.layouts.base import (
    Connection,
    Discovery,
    History,
    HistoryState,
    Layout,
    LayoutOptions,
    applied_row,
    line_at,
    lines_with_offsets,
    names_by_id,
    read_text,
    sql_files,
)
from pgtdd.migrations.model import AS_IS, TRANSACTION, Migration, MigrationError, Section, Unit

FILE = re.compile(r"^(?P<version>\d+)(?P<rest>.*)\.sql$")
# dbmate's own directive patterns (pkg/dbmate/migration.go), applied to one line at a time.
DIRECTIVE = re.compile(r"^--\s*migrate:(?P<dir>up|down)(?P<options>\s*$|\s+\S.*$)")


def _directives(text: str) -> list[tuple[str, int, str]]:
    """``(direction, offset, options)`` of every directive line."""
    found = []
    for offset, line in lines_with_offsets(text):
        match = DIRECTIVE.match(line.rstrip("\r\n"))
        if match:
            found.append((match["dir"], offset, match["options"].strip()))
    return found


def _rule(options: str, path: Path, line: int) -> str:
    pairs = dict(item.split(":", 1) for item in options.split() if item.count(":") == 1)
    value = pairs.get("transaction", "true")
    if value not in ("true", "false"):
        raise MigrationError(f"{path}:{line}: transaction must be true or false, got {value!r}")
    return AS_IS if value == "false" else TRANSACTION


def _blocks(path: Path, text: str) -> list[tuple[str, int, int, str]]:
    """``(direction, start, end, options)`` of every block, checked as dbmate checks them."""
    marks = _directives(text)
    if not any(m[0] == "up" for m in marks):
        raise MigrationError(
            f"{path}: dbmate requires each migration to define an up block with '-- migrate:up'"
        )
    for offset, line in lines_with_offsets(text[: marks[0][1]]):
        if line.strip() and not line.lstrip().startswith("--"):
            raise MigrationError(
                f"{path}:{line_at(text, offset)}: dbmate does not support statements "
                "preceding the '-- migrate:up' block"
            )
    blocks = []
    for index, (direction, offset, options) in enumerate(marks):
        if direction == "down" and (index == 0 or marks[index - 1][0] != "up"):
            raise MigrationError(
                f"{path}:{line_at(text, offset)}: dbmate requires every '-- migrate:down' to be "
                "preceded by a '-- migrate:up'"
            )
        end = marks[index + 1][1] if index + 1 < len(marks) else len(text)
        blocks.append((direction, offset, end, options))
    return blocks


def _section(path: Path, text: str, blocks: list[tuple[str, int, int, str]]) -> Section | None:
    """One direction's blocks: one block is a plain section; several (dbmate's multi-section
    files) run in file order, each block one unit."""
    if not blocks:
        return None
    rules = [_rule(opts, path, line_at(text, start)) for _, start, _, opts in blocks]
    rule = TRANSACTION if all(r == TRANSACTION for r in rules) else AS_IS
    first = line_at(text, blocks[0][1])
    if len(blocks) == 1:
        _, start, end, _ = blocks[0]
        return Section(text[start:end], path, first, rule, (start, end))
    units = tuple(Unit(text[start:end], line_at(text, start)) for _, start, end, _ in blocks)
    return Section("".join(u.sql for u in units), path, first, rule, None, units)


def _parse(path: Path) -> tuple[Section, Section | None]:
    text = read_text(path)
    blocks = _blocks(path, text)
    up = _section(path, text, [b for b in blocks if b[0] == "up"])
    assert up is not None
    return up, _section(path, text, [b for b in blocks if b[0] == "down"])


class DbmateLayout(Layout):
    """dbmate's files and its ``schema_migrations`` table."""

    name: ClassVar[str] = "dbmate"
    pattern: ClassVar[str] = "VERSION_name.sql with '-- migrate:up' / '-- migrate:down'"
    default_table: ClassVar[str] = "schema_migrations"
    no_transaction_hint: ClassVar[str] = "write '-- migrate:up transaction:false' for dbmate"

    def claim(self, folder: Path) -> list[str]:
        """``.sql`` files starting with digits that have a ``-- migrate:up`` line."""
        return [
            p.name
            for p in sql_files(folder)
            if FILE.match(p.name)
            and "migrate:up" in (text := read_text(p))
            and any(d[0] == "up" for d in _directives(text))
        ]

    def read(self, folder: Path, options: LayoutOptions) -> Discovery:
        """Every ``VERSION*.sql`` file, by file name."""
        migrations: list[Migration] = []
        seen: dict[str, Path] = {}
        ignored = []
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            match = FILE.match(path.name)
            if match is None:
                ignored.append(path.name)
                continue
            version = match["version"]
            if version in seen:
                raise MigrationError(
                    f"{path}: version {version} is also {seen[version].name}; dbmate would "
                    "apply only one of them"
                )
            seen[version] = path
            up, down = _parse(path)
            migrations.append(
                Migration(
                    int(version),
                    match["rest"].lstrip("_"),
                    path,
                    path if down is not None else None,
                    layout=self.name,
                    id=version,
                    order=(path.name,),
                    up=up,
                    down=down,
                    title=path.name.removesuffix(".sql"),
                )
            )
        return Discovery(self.name, folder, migrations, ignored)

    def history(self, conn: Connection, table: str | None = None) -> History:
        """``schema_migrations(version varchar primary key)``."""
        return DbmateHistory(conn, table or self.default_table)


class DbmateHistory(History):
    """A row per applied version (text)."""

    columns: ClassVar[tuple[str, ...]] = ("version",)
    tool: ClassVar[str] = "dbmate"

    def create_sql(self) -> list[sql.Composed]:
        """dbmate's postgres driver DDL."""
        return [
            sql.SQL("create table if not exists {} (version varchar primary key)").format(
                self.ident
            )
        ]

    def check_shape(self) -> None:
        """golang-migrate's table has the same name: its ``dirty`` column tells them apart."""
        super().check_shape()
        rows = self.conn.execute(
            "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attname = 'dirty'"
            " AND NOT attisdropped",
            (self.ident.as_string(self.conn),),
        ).fetchall()
        if rows:
            raise MigrationError(
                f"table {self.table} is golang-migrate's history (it has a dirty column), not "
                "dbmate's: pass --layout golang-migrate, or another table name"
            )

    def read(self, migrations: Sequence[Migration]) -> HistoryState:
        """The versions, in file order of the folder."""
        if not self.exists():
            return HistoryState(exists=False)
        self.check_shape()
        by_id = names_by_id(migrations)
        rows = self._rows("SELECT version FROM {table} ORDER BY version")
        return HistoryState([applied_row(str(v), by_id) for (v,) in rows])

    def record_sql(
        self,
        migration: Migration,
        direction: str,
        elapsed_ms: float | None,
        previous: Migration | None,
    ) -> list[sql.Composed]:
        """Insert the version (up) or delete it (down)."""
        if direction == "up":
            return [self._sql("insert into {table} (version) values ({0})", migration.id)]
        return [self._sql("delete from {table} where version = {0}", migration.id)]
