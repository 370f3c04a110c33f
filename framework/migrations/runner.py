"""Apply and revert ``NNN_name.up.sql`` / ``NNN_name.down.sql`` migrations, tracked in a table.

Each migration runs in its own transaction and is recorded with a checksum of its up file, so an
edited, already-applied migration is reported. A migration containing a statement PostgreSQL
refuses inside a transaction block (``CREATE INDEX CONCURRENTLY``, ``VACUUM``...), or marked
``-- pgtdd:no-transaction`` (for ``COMMIT`` inside a ``DO`` block or procedure), runs statement by
statement in autocommit instead.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pglast
import psycopg
from pglast import ast
from psycopg import sql

from pgtdd.migrations.sql_ast import SqlParseError, parse, walk
from pgtdd.server import ServerInfo

FILE_PATTERN = re.compile(r"^(?P<version>\d+)_(?P<name>[A-Za-z0-9_]+)\.(?P<dir>up|down)\.sql$")
NO_TRANSACTION = re.compile(r"--\s*pgtdd:no-transaction\b")
DEFAULT_TRACKING_TABLE = "pgtdd_schema_migrations"
LOCK_KEY = "pgtdd-migrations"
LOCK_SQL = sql.Composed([sql.SQL("SELECT pg_advisory_lock(hashtext(%s))")])
UNLOCK_SQL = sql.Composed([sql.SQL("SELECT pg_advisory_unlock(hashtext(%s))")])
Connection = psycopg.Connection[Any]


class MigrationError(RuntimeError):
    """A migration folder is inconsistent, or a migration failed (file and statement named)."""

    def __init__(self, message: str, *, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@dataclass(frozen=True)
class Migration:
    """One migration: its version, name and files."""

    version: int
    name: str
    up_path: Path
    down_path: Path | None

    @property
    def label(self) -> str:
        """``003_create_comments``."""
        return self.up_path.name.removesuffix(".up.sql")

    def read(self, direction: str) -> str:
        """The SQL of the ``up`` or ``down`` file."""
        path = self.up_path if direction == "up" else self.down_path
        if path is None:
            raise MigrationError(
                f"migration {self.label} has no down file: add {self.label}.down.sql "
                "next to its up file to make it reversible"
            )
        return path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        """SHA-256 of the up file's bytes."""
        return hashlib.sha256(self.up_path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class AppliedMigration:
    """A row of the tracking table."""

    version: int
    name: str
    checksum: str
    applied_at: datetime
    execution_ms: float


@dataclass
class MigrationStatus:
    """Applied, pending, modified (edited after being applied) and missing migrations."""

    applied: list[AppliedMigration] = field(default_factory=list)
    pending: list[Migration] = field(default_factory=list)
    modified: list[Migration] = field(default_factory=list)
    missing: list[AppliedMigration] = field(default_factory=list)

    @property
    def current_version(self) -> int:
        """The highest applied version (0 when none)."""
        return max((a.version for a in self.applied), default=0)

    @property
    def is_clean(self) -> bool:
        """Nothing modified or missing."""
        return not self.modified and not self.missing

    def lines(self) -> list[str]:
        """Human-readable status, one line per migration."""
        pending = {m.version for m in self.pending}
        modified = {m.version for m in self.modified}
        missing = {a.version for a in self.missing}
        rows = [
            f"{a.version:04d} {a.name:<32} applied {a.applied_at:%Y-%m-%d %H:%M:%S}"
            + (" MODIFIED since applied" if a.version in modified else "")
            + (" FILE MISSING" if a.version in missing else "")
            for a in self.applied
        ]
        rows += [
            f"{m.version:04d} {m.name:<32} pending" for m in self.pending if m.version in pending
        ]
        return rows


def discover(directory: Path | str) -> list[Migration]:
    """The migrations in ``directory``, by version; malformed names and duplicates are errors."""
    folder = Path(directory)
    if not folder.is_dir():
        raise MigrationError(f"migrations folder not found: {folder}")
    ups: dict[int, Path] = {}
    downs: dict[int, Path] = {}
    for path in sorted(folder.glob("*.sql")):
        match = FILE_PATTERN.match(path.name)
        if match is None:
            raise MigrationError(
                f"{path.name}: migration files are named NNN_name.up.sql / NNN_name.down.sql"
            )
        version = int(match["version"])
        target = ups if match["dir"] == "up" else downs
        if version in target:
            raise MigrationError(
                f"two {match['dir']} files for version {version}: {target[version].name} and "
                f"{path.name}; give each migration its own number"
            )
        target[version] = path
    orphans = sorted(set(downs) - set(ups))
    if orphans:
        raise MigrationError(f"down file(s) without an up file: {[downs[v].name for v in orphans]}")
    return [
        Migration(v, FILE_PATTERN.match(p.name)["name"], p, downs.get(v))  # type: ignore[index]
        for v, p in sorted(ups.items())
    ]


NON_TRANSACTIONAL = (ast.VacuumStmt, ast.CreatedbStmt, ast.DropdbStmt, ast.AlterSystemStmt)


@functools.lru_cache(maxsize=512)
def needs_autocommit(text: str) -> bool:
    """Whether the SQL must run outside a transaction block (or is marked so)."""
    if NO_TRANSACTION.search(text):
        return True
    try:
        stmts = parse(text)
    except SqlParseError:
        return False
    for node in walk(stmts):
        if isinstance(node, NON_TRANSACTIONAL):
            return True
        if isinstance(node, ast.IndexStmt | ast.DropStmt) and node.concurrent:
            return True
        if isinstance(node, ast.ReindexStmt) and any(
            p.defname == "concurrently" for p in node.params or ()
        ):
            return True
    return False


def _line_of(text: str, position: int | None) -> str:
    if not position:
        return ""
    return f" at line {text[: position - 1].count(chr(10)) + 1}"


class MigrationRunner:
    """Runs a folder's migrations against one database.

    ``target`` is a psycopg connection (used as is, not closed), a ``ServerInfo`` or a URL (a
    connection is opened and closed by :meth:`close`).
    """

    def __init__(
        self,
        target: Connection | ServerInfo | str,
        migrations_dir: Path | str,
        *,
        tracking_table: str = DEFAULT_TRACKING_TABLE,
    ) -> None:
        if isinstance(target, psycopg.Connection):
            self.conn, self._owned = target, False
        else:
            url = target.url if isinstance(target, ServerInfo) else target
            self.conn, self._owned = psycopg.connect(url, autocommit=True), True
        self.migrations_dir = Path(migrations_dir)
        self.tracking_table = tracking_table
        self._table = sql.Identifier(*tracking_table.split(".", 1))
        self._tracking_ready = False

    def __enter__(self) -> MigrationRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection if this runner opened it."""
        if self._owned:
            self.conn.close()

    # --- state ---------------------------------------------------------------------------

    def discover(self) -> list[Migration]:
        """The migrations in the folder, by version."""
        return discover(self.migrations_dir)

    def ensure_tracking_table(self) -> None:
        """Create the tracking table if it does not exist."""
        if self._tracking_ready:
            return
        with self.conn.transaction():
            self.conn.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (version bigint PRIMARY KEY, name text NOT NULL,"
                    " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT"
                    " clock_timestamp(), execution_ms double precision NOT NULL)"
                ).format(self._table)
            )
        self._tracking_ready = True

    def applied(self) -> list[AppliedMigration]:
        """Rows of the tracking table, by version."""
        self.ensure_tracking_table()
        rows = self._fetch(
            sql.SQL(
                "SELECT version, name, checksum, applied_at, execution_ms FROM {} ORDER BY version"
            ).format(self._table)
        )
        return [AppliedMigration(*row) for row in rows]

    def _idle(self) -> bool:
        return self.conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE

    def _fetch(self, query: sql.Composed, params: tuple[object, ...] = ()) -> list[Any]:
        """Run a read; a transaction it had to open on a non-autocommit connection is ended."""
        idle = self._idle()
        rows: list[Any] = self.conn.execute(query, params).fetchall()
        if idle and not self.conn.autocommit:
            self.conn.commit()
        return rows

    def status(self) -> MigrationStatus:
        """Applied, pending (by version), modified and missing migrations."""
        migrations = {m.version: m for m in self.discover()}
        applied = self.applied()
        done = {a.version: a for a in applied}
        return MigrationStatus(
            applied=applied,
            pending=[m for v, m in migrations.items() if v not in done],
            modified=[
                m for v, m in migrations.items() if v in done and done[v].checksum != m.checksum
            ],
            missing=[a for a in applied if a.version not in migrations],
        )

    def pending(self) -> list[Migration]:
        """Migrations whose version is not in the tracking table, by version."""
        return self.status().pending

    def current_version(self) -> int:
        """The highest applied version (0 when none)."""
        return self.status().current_version

    # --- actions -------------------------------------------------------------------------

    def up(self, target: int | None = None, *, allow_modified: bool = False) -> list[Migration]:
        """Apply pending migrations up to ``target`` (all when ``None``); return those applied.

        Refuses to run when an applied migration's file was edited, unless ``allow_modified``.
        """
        with self._locked():
            status = self.status()
            if status.modified and not allow_modified:
                names = ", ".join(m.up_path.name for m in status.modified)
                raise MigrationError(
                    f"applied migration(s) edited since they ran: {names}. Restore the files, "
                    "or add a new migration for the change (allow_modified=True to go on anyway)"
                )
            todo = [m for m in status.pending if target is None or m.version <= target]
            for migration in todo:
                self._run(migration, "up")
        return todo

    def down(self, steps: int = 1, *, target: int | None = None) -> list[Migration]:
        """Revert the last ``steps`` applied migrations, or all above version ``target``."""
        with self._locked():
            migrations = {m.version: m for m in self.discover()}
            applied = sorted(self.applied(), key=lambda a: a.version, reverse=True)
            chosen = (
                [a for a in applied if a.version > target]
                if target is not None
                else applied[:steps]
            )
            missing = [a.name for a in chosen if a.version not in migrations]
            if missing:
                raise MigrationError(f"cannot revert {missing}: their files are not in the folder")
            done = []
            for row in chosen:
                self._run(migrations[row.version], "down")
                done.append(migrations[row.version])
        return done

    def redo(self, steps: int = 1) -> list[Migration]:
        """Revert the last ``steps`` migrations and apply them again."""
        reverted = self.down(steps)
        if reverted:
            self.up(max(m.version for m in reverted))
        return reverted

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

    def _run(self, migration: Migration, direction: str) -> None:
        text = migration.read(direction)
        started = time.perf_counter()
        if needs_autocommit(text):
            self._run_autocommit(migration, direction, text, started)
            return
        with self.conn.transaction():
            self._execute(migration, direction, text)
            self._record(migration, direction, started)

    def _run_autocommit(
        self, migration: Migration, direction: str, text: str, started: float
    ) -> None:
        if not self._idle():
            raise MigrationError(
                f"{migration.label}.{direction}.sql must run outside a transaction (it has "
                "CONCURRENTLY/VACUUM or the pgtdd:no-transaction marker): commit or roll back "
                "first, or give the runner an autocommit connection"
            )
        previous = self.conn.autocommit
        self.conn.autocommit = True
        try:
            for statement in pglast.split(text):
                self._execute(migration, direction, statement, part=True)
            with self.conn.transaction():
                self._record(migration, direction, started)
        finally:
            self.conn.autocommit = previous

    def _execute(self, migration: Migration, direction: str, text: str, part: bool = False) -> None:
        try:
            self.conn.execute(text.encode())
        except psycopg.Error as exc:
            position = exc.diag.statement_position
            where = "" if part else _line_of(text, int(position) if position else None)
            shown = f" in statement: {text.strip()[:200]}" if part else ""
            note = " (ran outside a transaction: earlier statements stayed applied)" if part else ""
            message = exc.diag.message_primary or str(exc)
            from pgtdd.providers.embedded import extension_hint

            raise MigrationError(
                f"{migration.label}.{direction}.sql failed{where}: {message}"
                f" [{exc.sqlstate}]{shown}{note}{extension_hint(message)}",
                sqlstate=exc.sqlstate,
            ) from exc

    def _record(self, migration: Migration, direction: str, started: float) -> None:
        if direction == "up":
            elapsed = (time.perf_counter() - started) * 1000
            self.conn.execute(
                sql.SQL(
                    "INSERT INTO {} (version, name, checksum, execution_ms) VALUES (%s, %s, %s, %s)"
                ).format(self._table),
                (migration.version, migration.name, migration.checksum, elapsed),
            )
        else:
            self.conn.execute(
                sql.SQL("DELETE FROM {} WHERE version = %s").format(self._table),
                (migration.version,),
            )
