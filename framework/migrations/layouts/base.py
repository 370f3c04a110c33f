"""What a layout is: how it recognises a folder, reads it, orders it, and keeps its history.

A :class:`Layout` reads a folder into :class:`~pgtdd.migrations.model.Migration` objects by its
tool's rules and hands out the tool's :class:`History` table. Its policy methods say which
migrations ``up`` applies and which ``down`` reverts, as the tool decides.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import psycopg
from psycopg import sql

from pgtdd.migrations.model import Migration, MigrationError

Connection = psycopg.Connection[Any]
Target = int | str | None
# A run's milliseconds, measured by the server: since its transaction began.
ELAPSED_MS = sql.SQL("(extract(epoch FROM clock_timestamp() - now()) * 1000)")


def elapsed(elapsed_ms: float | None) -> sql.Composable:
    """A measured duration as a literal, else the server's :data:`ELAPSED_MS`."""
    return ELAPSED_MS if elapsed_ms is None else sql.Literal(elapsed_ms)


@dataclass(frozen=True)
class AppliedMigration:
    """A migration the history table records as applied.

    ``checksum``, ``applied_at`` and ``execution_ms`` are ``None`` where the tool's table does
    not store them; ``name`` comes from the folder when the table has no name column.
    """

    version: int
    name: str
    checksum: str | None
    applied_at: datetime | None
    execution_ms: float | None
    id: str = ""


@dataclass
class HistoryState:
    """What a history table says: applied migrations (in the tool's order) and trouble."""

    applied: list[AppliedMigration] = field(default_factory=list)
    dirty: str | None = None
    failed: list[str] = field(default_factory=list)
    exists: bool = True


@dataclass(frozen=True)
class Discovery:
    """A folder read by one layout: its migrations in order and what the layout ignored."""

    layout: str
    folder: Path
    migrations: list[Migration]
    ignored: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LayoutOptions:
    """Options some layouts take: Flyway placeholders (``name -> value``)."""

    placeholders: Mapping[str, str] = field(default_factory=dict)


_TEXTS: ContextVar[dict[Path, Any] | None] = ContextVar("pgtdd_migration_texts", default=None)


@contextmanager
def reading() -> Iterator[None]:
    """Within it, each file is read and each folder listed once (detection and reading share
    them)."""
    token = _TEXTS.set({})
    try:
        yield
    finally:
        _TEXTS.reset(token)


def read_text(path: Path) -> str:
    """A migration file's text (UTF-8); an undecodable file is named in the error."""
    texts = _TEXTS.get()
    if texts is not None and path in texts:
        return str(texts[path])
    text = _decode(path)
    if texts is not None:
        texts[path] = text
    return text


def _decode(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise MigrationError(
            f"{path}:{line}: not UTF-8 ({exc.reason} at byte {exc.start}); save the file as UTF-8"
        ) from None


def line_at(text: str, offset: int) -> int:
    """1-based line of the character ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1


def lines_with_offsets(text: str) -> list[tuple[int, str]]:
    """``(offset, line)`` for every line (line terminators kept), as the tools read files."""
    out = []
    offset = 0
    for line in text.splitlines(keepends=True):
        out.append((offset, line))
        offset += len(line)
    return out


def sql_files(folder: Path) -> list[Path]:
    """The folder's ``*.sql`` files (not recursive), by name."""
    cache = _TEXTS.get()
    key = Path(folder, "*.sql")
    if cache is not None and key in cache:
        return list(cache[key])
    with os.scandir(folder) as entries:
        names = sorted(e.name for e in entries if e.name.endswith(".sql") and e.is_file())
    found = [folder / name for name in names]
    if cache is not None:
        cache[key] = found
    return list(found)


class History:
    """A tool's history table on one connection; subclasses write what the tool writes."""

    columns: ClassVar[tuple[str, ...]] = ()
    tool: ClassVar[str] = ""
    after_failure: ClassVar[str] = "the history records nothing, as the tool does"

    def __init__(self, conn: Connection, table: str) -> None:
        self.conn = conn
        self.table = table
        self.ident = sql.Identifier(*table.split(".", 1))

    def exists(self) -> bool:
        """Whether the table exists (through the search path, or schema-qualified)."""
        row = self.conn.execute(
            "SELECT to_regclass(%s) IS NOT NULL", (self.ident.as_string(self.conn),)
        ).fetchone()
        return bool(row and row[0])

    def ensure(self) -> None:
        """Create the table as the tool does when missing; check its columns when present."""
        if not self.exists():
            for statement in self.create_sql():
                self.conn.execute(statement)
            return
        self.check_shape()

    def check_shape(self) -> None:
        """An existing table of that name must have the tool's columns."""
        rows = self.conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s)"
            " AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            (self.ident.as_string(self.conn),),
        ).fetchall()
        found = [r[0] for r in rows]
        if not set(self.columns) <= set(found):
            raise MigrationError(
                f"table {self.table} exists but is not {self.tool}'s history: it has columns "
                f"({', '.join(found)}), {self.tool} writes ({', '.join(self.columns)}). Is the "
                "database migrated by another tool? Pass --layout (or the profile key "
                "migrations_layout), or another table name"
            )

    def create_sql(self) -> list[sql.Composed]:
        """The tool's DDL for its table."""
        raise NotImplementedError

    def read(self, migrations: Sequence[Migration]) -> HistoryState:
        """The applied migrations; ``migrations`` (the folder) supplies names and positions."""
        raise NotImplementedError

    def started(self, migration: Migration, direction: str, previous: Migration | None) -> None:
        """Before a migration that runs outside a transaction (golang-migrate marks dirty)."""

    def record(
        self,
        migration: Migration,
        direction: str,
        elapsed_ms: float | None,
        previous: Migration | None,
    ) -> None:
        """Write the row(s) the tool writes once ``migration`` ran in ``direction``."""
        for statement in self.record_sql(migration, direction, elapsed_ms, previous):
            self.conn.execute(statement)

    def record_sql(
        self,
        migration: Migration,
        direction: str,
        elapsed_ms: float | None,
        previous: Migration | None,
    ) -> list[sql.Composed]:
        """The statements writing the tool's row(s) once ``migration`` ran in ``direction``.

        ``previous`` is the migration before it in the folder (``None`` for the first): what a
        down leaves current, for tools that store only the current version. ``elapsed_ms`` is
        the run's duration, ``None`` when the statements run at the end of the migration's own
        transaction (the server then measures it: :data:`ELAPSED_MS`).
        """
        raise NotImplementedError

    def failed(self, migration: Migration, direction: str, elapsed_ms: float) -> None:
        """After a failure that may have left part of the migration applied."""

    def _sql(self, query: str, *values: object) -> sql.Composed:
        """``query`` with ``{table}`` and ``{0}``, ``{1}``... as literals."""
        return sql.SQL(query).format(*(sql.Literal(v) for v in values), table=self.ident)

    def _rows(self, query: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql.SQL(query).format(table=self.ident), params).fetchall()



def names_by_id(migrations: Sequence[Migration]) -> dict[str, Migration]:
    """The folder's migrations by history id."""
    return {m.id: m for m in migrations}


def applied_row(
    migration_id: str,
    by_id: Mapping[str, Migration],
    *,
    applied_at: datetime | None = None,
    execution_ms: float | None = None,
    checksum: str | None = None,
) -> AppliedMigration:
    """An :class:`AppliedMigration` for a history id, named from the folder when it is there."""
    found = by_id.get(migration_id)
    version = found.version if found else _as_int(migration_id)
    name = found.name if found else ""
    return AppliedMigration(version, name, checksum, applied_at, execution_ms, migration_id)


def _as_int(text: str) -> int:
    digits = text.replace("-", "")
    return int(digits) if digits.isdigit() else 0


class Layout:
    """A tool's folder layout. Subclasses set the class attributes and implement
    :meth:`claim`, :meth:`read` and :meth:`history`; the policies default to "apply every
    migration missing from the history, in order; revert the highest applied"."""

    name: ClassVar[str] = ""
    pattern: ClassVar[str] = ""  # what its files look like, for messages
    default_table: ClassVar[str] = ""
    detectable: ClassVar[bool] = True
    no_transaction_hint: ClassVar[str] = ""

    def claim(self, folder: Path) -> list[str]:
        """The entries of ``folder`` this layout recognises as its migrations (evidence)."""
        raise NotImplementedError

    def read(self, folder: Path, options: LayoutOptions) -> Discovery:
        """Read the folder's migrations in the tool's order; inconsistencies are errors."""
        raise NotImplementedError

    def history(self, conn: Connection, table: str | None = None) -> History:
        """The tool's history table (``table`` overrides its name)."""
        raise NotImplementedError

    # --- policies ------------------------------------------------------------------------

    def pending(
        self, migrations: Sequence[Migration], state: HistoryState
    ) -> tuple[list[Migration], list[str]]:
        """What ``up`` applies, in order, and notes about what it leaves out."""
        done = {a.id for a in state.applied}
        return [m for m in migrations if m.id not in done], []

    def modified(self, migrations: Sequence[Migration], state: HistoryState) -> list[Migration]:
        """Applied migrations whose file changed since (only tools that store checksums)."""
        return []

    def reverting(
        self, migrations: Sequence[Migration], state: HistoryState
    ) -> list[AppliedMigration]:
        """Applied migrations in the order ``down`` reverts them (the latest first)."""
        position = {m.id: i for i, m in enumerate(migrations)}
        return sorted(state.applied, key=lambda a: position.get(a.id, -1), reverse=True)

    def check_up(self, state: HistoryState) -> None:
        """Refuse to apply anything when the history says the tool would not (dirty, failed)."""

    def normalise_target(self, text: str) -> str:
        """A ``--target`` as the user wrote it, as the history id the tool uses."""
        return text
