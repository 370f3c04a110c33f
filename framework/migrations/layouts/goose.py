"""goose: one file per migration, ``VERSION_name.sql`` with ``-- +goose Up`` / ``-- +goose Down``.

As goose does (``internal/sqlparser``): annotations are comment lines holding ``+goose``
(``Up``, ``Down``, ``StatementBegin``, ``StatementEnd``, ``NO TRANSACTION``, case-insensitive,
at the start of the line); a ``StatementBegin``/``StatementEnd`` block is one statement however
many semicolons it holds; ``NO TRANSACTION`` makes both directions run statement by statement,
each committed, else each direction runs in one transaction. Versions are the positive number
before the first ``_``; ``goose_db_version`` gets a row per applied version (and the row 0 goose
writes when it creates the table), a down deletes the version's rows. ``up`` refuses to apply a
version below the highest applied one, as goose does without ``-allow-missing``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from psycopg import sql

from pgtdd.migrations.execution import split_text
from pgtdd.migrations.layouts.base import (
    AppliedMigration,
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
from pgtdd.migrations.model import STATEMENTS, TRANSACTION, Migration, MigrationError, Section, Unit

FILE = re.compile(r"^(?P<version>[^_]+)_(?P<name>.*)\.sql$")
ANNOTATIONS = ("Up", "Down", "StatementBegin", "StatementEnd", "NO TRANSACTION")


def _annotation(line: str, where: str) -> str | None:
    """The goose annotation of a line, ``None`` for SQL and other comments."""
    if not (line.strip().startswith("--") and "+goose" in line):
        return None
    if line[:1] in (" ", "\t"):
        raise MigrationError(f"{where}: a goose annotation must start the line: {line.strip()!r}")
    command = line.replace("--", "").replace("+goose", "", 1).strip()
    for known in ANNOTATIONS:
        if command.lower() == known.lower():
            return known
    if command.upper().startswith("ENVSUB"):
        raise MigrationError(
            f"{where}: '-- +goose {command}' (environment substitution) is not supported by pgtdd"
        )
    raise MigrationError(f"{where}: unknown goose annotation {line.strip()!r}")


@dataclass
class _Reader:
    """goose's state machine over one file's lines."""

    path: Path
    text: str
    state: str = "start"
    no_transaction: bool = False
    bounds: dict[str, list[int]] = field(default_factory=dict)  # direction -> [start, end]
    blocks: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    block_start: int = 0

    def run(self) -> None:
        for offset, line in lines_with_offsets(self.text):
            where = f"{self.path}:{line_at(self.text, offset)}"
            command = _annotation(line, where)
            if command is None:
                if self.state == "start" and line.strip() and not line.strip().startswith("--"):
                    raise MigrationError(f"{where}: SQL before '-- +goose Up'")
                continue
            self._step(command, offset, offset + len(line), where)
        if self.state == "start":
            raise MigrationError(f"{self.path}: a goose migration starts with '-- +goose Up'")
        if self.state.endswith("block"):
            raise MigrationError(f"{self.path}: missing '-- +goose StatementEnd'")
        for bounds in self.bounds.values():
            if len(bounds) == 1:
                bounds.append(len(self.text))

    def _step(self, command: str, start: int, end: int, where: str) -> None:
        state = self.state
        if command == "NO TRANSACTION":
            self.no_transaction = True
        elif command == "Up":
            if state != "start":
                raise MigrationError(f"{where}: a second '-- +goose Up'")
            self.state, self.bounds["up"] = "up", [end]
        elif command == "Down":
            if state != "up":
                raise MigrationError(f"{where}: '-- +goose Down' must follow the Up section")
            self.bounds["up"].append(start)
            self.state, self.bounds["down"] = "down", [end]
        elif command == "StatementBegin":
            if state not in ("up", "down"):
                raise MigrationError(f"{where}: StatementBegin outside an Up/Down section")
            self.state, self.block_start = f"{state}-block", end
        elif state.endswith("-block"):  # StatementEnd
            direction = state.removesuffix("-block")
            self.blocks.setdefault(direction, []).append((self.block_start, start))
            self.state = direction
        else:
            raise MigrationError(f"{where}: StatementEnd without StatementBegin")

    def section(self, direction: str) -> Section | None:
        if direction not in self.bounds:
            return None
        start, end = self.bounds[direction]
        text, line = self.text[start:end], line_at(self.text, start)
        rule = STATEMENTS if self.no_transaction else TRANSACTION
        units = self._units(direction, start, end) if self.no_transaction else None
        return Section(text, self.path, line, rule, (start, end), units)

    def _units(self, direction: str, start: int, end: int) -> tuple[Unit, ...]:
        """Each block is one statement; between blocks the parser splits."""
        units: list[Unit] = []
        cursor = start
        for block_start, block_end in self.blocks.get(direction, []):
            units += split_text(self.text[cursor:block_start], line_at(self.text, cursor))
            units.append(Unit(self.text[block_start:block_end], line_at(self.text, block_start)))
            cursor = block_end
        units += split_text(self.text[cursor:end], line_at(self.text, cursor))
        return tuple(u for u in units if u.sql.strip())


def _has_up(path: Path) -> bool:
    text = read_text(path)
    if "+goose" not in text:
        return False
    for _, line in lines_with_offsets(text):
        try:
            if _annotation(line, str(path)) == "Up":
                return True
        except MigrationError:
            continue
    return False


class GooseLayout(Layout):
    """goose's SQL files and its ``goose_db_version`` table."""

    name: ClassVar[str] = "goose"
    pattern: ClassVar[str] = "VERSION_name.sql with '-- +goose Up' / '-- +goose Down'"
    default_table: ClassVar[str] = "goose_db_version"
    no_transaction_hint: ClassVar[str] = "add '-- +goose NO TRANSACTION' to the file for goose"

    def claim(self, folder: Path) -> list[str]:
        """``VERSION_name.sql`` files with a ``-- +goose Up`` line."""
        return [p.name for p in sql_files(folder) if FILE.match(p.name) and _has_up(p)]

    def read(self, folder: Path, options: LayoutOptions) -> Discovery:
        """Every ``.sql`` file (each must be a goose migration), by version."""
        go_files = sorted(p.name for p in folder.glob("*.go") if not p.name.endswith("_test.go"))
        if go_files:
            raise MigrationError(
                f"{folder} has goose Go migrations ({', '.join(go_files[:5])}): pgtdd runs SQL "
                "migrations only, and the history needs them all"
            )
        found: dict[int, Migration] = {}
        for path in sql_files(folder):
            version = self._version(path)
            if version in found:
                raise MigrationError(f"{path}: version {version} is also {found[version].label}")
            reader = _Reader(path, read_text(path))
            reader.run()
            up, down = reader.section("up"), reader.section("down")
            found[version] = Migration(
                version,
                FILE.match(path.name)["name"],  # type: ignore[index]
                path,
                path if down is not None else None,
                layout=self.name,
                up=up,
                down=down,
                title=path.name.removesuffix(".sql"),
            )
        ignored = sorted(p.name for p in folder.iterdir() if not p.name.endswith((".sql", ".go")))
        return Discovery(self.name, folder, [found[v] for v in sorted(found)], ignored)

    @staticmethod
    def _version(path: Path) -> int:
        match = FILE.match(path.name)
        if match is None or not match["version"].isdigit() or int(match["version"]) < 1:
            raise MigrationError(
                f"{path}: goose migrations are named VERSION_name.sql with a positive version"
            )
        return int(match["version"])

    def history(self, conn: Connection, table: str | None = None) -> History:
        """``goose_db_version``."""
        return GooseHistory(conn, table or self.default_table)

    def pending(
        self, migrations: Sequence[Migration], state: HistoryState
    ) -> tuple[list[Migration], list[str]]:
        """Versions not applied; one below the highest applied is an error (goose's default)."""
        done = {a.id for a in state.applied}
        highest = max((a.version for a in state.applied), default=0)
        missing = [m for m in migrations if m.id not in done and m.version < highest]
        if missing:
            listed = ", ".join(m.label for m in missing)
            raise MigrationError(
                f"found {len(missing)} missing migration(s) before the current version "
                f"{highest}: {listed}. goose refuses to apply them (unless -allow-missing); "
                "renumber them above the current version"
            )
        return [m for m in migrations if m.id not in done], []

    def reverting(
        self, migrations: Sequence[Migration], state: HistoryState
    ) -> list[AppliedMigration]:
        """The most recently applied first (goose's current version is its last applied row)."""
        return list(reversed(state.applied))


class GooseHistory(History):
    """A row per applied version (``is_applied`` true), the table's own row 0 first."""

    columns: ClassVar[tuple[str, ...]] = ("id", "version_id", "is_applied", "tstamp")
    tool: ClassVar[str] = "goose"

    def create_sql(self) -> list[sql.Composed]:
        """goose's PostgreSQL dialect DDL and its initial row (version 0)."""
        return [
            sql.SQL(
                "CREATE TABLE {} (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "
                "version_id bigint NOT NULL, is_applied boolean NOT NULL, "
                "tstamp timestamp NOT NULL DEFAULT now())"
            ).format(self.ident),
            sql.SQL("INSERT INTO {} (version_id, is_applied) VALUES (0, true)").format(self.ident),
        ]

    def read(self, migrations: Sequence[Migration]) -> HistoryState:
        """Versions whose latest row says applied, in the order they were applied."""
        if not self.exists():
            return HistoryState(exists=False)
        self.check_shape()
        rows = self._rows("SELECT version_id, is_applied, tstamp FROM {table} ORDER BY id")
        latest: dict[int, tuple[bool, object]] = {}
        for version, is_applied, tstamp in rows:
            latest.pop(version, None)
            latest[version] = (is_applied, tstamp)
        by_id = names_by_id(migrations)
        applied = [
            applied_row(str(v), by_id, applied_at=at)  # type: ignore[arg-type]
            for v, (ok, at) in latest.items()
            if ok and v != 0
        ]
        return HistoryState(applied)

    def record_sql(
        self,
        migration: Migration,
        direction: str,
        elapsed_ms: float | None,
        previous: Migration | None,
    ) -> list[sql.Composed]:
        """Insert ``(version, true)`` (up) or delete the version's rows (down)."""
        if direction == "up":
            return [
                self._sql(
                    "INSERT INTO {table} (version_id, is_applied) VALUES ({0}, {1})",
                    migration.version,
                    True,
                )
            ]
        return [self._sql("DELETE FROM {table} WHERE version_id={0}", migration.version)]
