"""Flyway's ``flyway_schema_history`` table and its rules (validation, repeatables, undo)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from psycopg import sql

from pgtdd.migrations.layouts.base import AppliedMigration, History, HistoryState, elapsed
from pgtdd.migrations.model import Migration, MigrationError

UNDO = "UNDO_SQL"
IGNORED_TYPES = ("SCHEMA", "DELETE")


def version_key(version: str) -> tuple[int, ...]:
    """Flyway's comparison key: numeric parts, trailing zeros dropped (``1.0`` == ``1``)."""
    parts = [int(p) for p in version.replace("_", ".").split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


_key = version_key


def version_key_or_zero(version: str) -> tuple[int, ...]:
    """The key of a stored version, ``(0,)`` for one that is not a Flyway version."""
    try:
        return _key(version)
    except ValueError:
        return (0,)


def versioned_rows(state: HistoryState) -> list[AppliedMigration]:
    """The applied versioned migrations (repeatables left out)."""
    repeatable = state.repeatable.values() if isinstance(state, FlywayState) else ()
    return [a for a in state.applied if not any(a is r for r in repeatable)]


class FlywayState(HistoryState):
    """Flyway's history: versioned migrations applied, repeatables' last checksums, baseline."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.repeatable: dict[str, AppliedMigration] = {}
        self.baseline: tuple[int, ...] | None = None


class FlywayHistory(History):
    """A row per run: versioned, repeatable, undo; failed runs of non-transactional ones too."""

    columns: ClassVar[tuple[str, ...]] = (
        "installed_rank",
        "version",
        "description",
        "type",
        "script",
        "checksum",
        "installed_by",
        "installed_on",
        "execution_time",
        "success",
    )
    tool: ClassVar[str] = "Flyway"
    after_failure: ClassVar[str] = "the history has a failed row, as Flyway writes it"

    def create_sql(self) -> list[sql.Composed]:
        """Flyway's PostgreSQL DDL (``getRawCreateScript``)."""
        name = self.table.rsplit(".", 1)[-1]
        return [
            sql.SQL(
                'CREATE TABLE {} ("installed_rank" INT NOT NULL, "version" VARCHAR(50), '
                '"description" VARCHAR(200) NOT NULL, "type" VARCHAR(20) NOT NULL, '
                '"script" VARCHAR(1000) NOT NULL, "checksum" INTEGER, '
                '"installed_by" VARCHAR(100) NOT NULL, '
                '"installed_on" TIMESTAMP NOT NULL DEFAULT now(), '
                '"execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL)'
            ).format(self.ident),
            sql.SQL('ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY ("installed_rank")').format(
                self.ident, sql.Identifier(f"{name}_pk")
            ),
            sql.SQL('CREATE INDEX {} ON {} ("success")').format(
                sql.Identifier(f"{name}_s_idx"), self.ident
            ),
        ]

    def read(self, migrations: Sequence[Migration]) -> HistoryState:
        """The latest run of each version (undone ones are not applied) and of each
        repeatable; failed runs are listed."""
        if not self.exists():
            return FlywayState(exists=False)
        self.check_shape()
        rows = self._rows(
            "SELECT version, description, type, checksum, installed_on, execution_time, success"
            " FROM {table} ORDER BY installed_rank"
        )
        by_key = {_key(m.id): m for m in migrations if not m.repeatable}
        state = FlywayState()
        latest: dict[tuple[int, ...], AppliedMigration | None] = {}
        for version, desc, kind, crc, at, ms, success in rows:
            if kind in IGNORED_TYPES:
                continue
            found = by_key.get(_key(version)) if version else None
            row = AppliedMigration(
                found.version if found else 0,
                found.name if found else str(desc),
                None if crc is None else str(crc),
                at,
                float(ms),
                found.id if found else str(version or desc),
            )
            if not success:
                state.failed.append(f"{version or desc} ({desc})")
            elif version is None:
                state.repeatable[str(desc)] = row
            elif kind == "BASELINE":
                state.baseline = _key(version)
            else:
                latest.pop(_key(version), None)
                latest[_key(version)] = None if kind == UNDO else row
        state.applied = [row for row in latest.values() if row is not None]
        state.applied += list(state.repeatable.values())
        return state

    def _insert(self, values: dict[str, Any], elapsed_ms: float | None) -> sql.Composed:
        columns = sql.SQL(", ").join(sql.Identifier(c) for c in values)
        return sql.SQL(
            "INSERT INTO {table} (installed_rank, installed_by, execution_time, {cols}) SELECT "
            "coalesce(max(installed_rank), 0) + 1, current_user, {ms}::integer, {vals} FROM {table}"
        ).format(
            table=self.ident,
            cols=columns,
            ms=elapsed(elapsed_ms),
            vals=sql.SQL(", ").join(sql.Literal(v) for v in values.values()),
        )

    def _row(self, migration: Migration, direction: str, ok: bool) -> dict[str, Any]:
        prefix = "" if direction == "up" else "undo_"
        meta = migration.meta
        return {
            "version": None if migration.repeatable else migration.id,
            "description": meta[f"{prefix}description"],
            "type": "SQL" if direction == "up" else UNDO,
            "script": meta[f"{prefix}script"],
            "checksum": meta[f"{prefix}checksum"],
            "success": ok,
        }

    def record_sql(
        self,
        migration: Migration,
        direction: str,
        elapsed_ms: float | None,
        previous: Migration | None,
    ) -> list[sql.Composed]:
        """A successful run: type ``SQL``, or ``UNDO_SQL`` for an undo."""
        return [self._insert(self._row(migration, direction, True), elapsed_ms)]

    def failed(self, migration: Migration, direction: str, elapsed_ms: float) -> None:
        """A failed run outside a transaction leaves a ``success = false`` row (Flyway's)."""
        self.conn.execute(self._insert(self._row(migration, direction, False), elapsed_ms))


def flyway_pending(
    migrations: Sequence[Migration], state: HistoryState
) -> tuple[list[Migration], list[str]]:
    """Versions above the highest applied, then new or changed repeatables; an unapplied
    version below the highest applied is an error (Flyway's validation, outOfOrder off)."""
    assert isinstance(state, FlywayState)
    applied = {_key(a.id) for a in versioned_rows(state)}
    highest = max(applied | ({state.baseline} if state.baseline else set()), default=())
    versioned = [m for m in migrations if not m.repeatable]
    todo = [m for m in versioned if _key(m.id) not in applied and _key(m.id) > highest]
    skipped = [
        m
        for m in versioned
        if _key(m.id) not in applied
        and _key(m.id) < highest
        and not (state.baseline and _key(m.id) <= state.baseline)
    ]
    if skipped:
        raise MigrationError(
            "Flyway validation: resolved migration(s) not applied to the database, below the "
            f"highest applied version: {', '.join(m.label for m in skipped)}. Flyway refuses "
            "them unless outOfOrder; give them versions above the current one"
        )
    for migration in migrations:
        if migration.repeatable:
            done = state.repeatable.get(migration.id)
            if done is None or done.checksum != str(migration.meta["checksum"]):
                todo.append(migration)
    return todo, []


def flyway_modified(migrations: Sequence[Migration], state: HistoryState) -> list[Migration]:
    """Applied versioned migrations whose checksum no longer matches the file."""
    stored = {_key(a.id): a.checksum for a in versioned_rows(state)}
    return [
        m
        for m in migrations
        if not m.repeatable
        and _key(m.id) in stored
        and stored[_key(m.id)] is not None
        and stored[_key(m.id)] != str(m.meta["checksum"])
    ]


def flyway_check_up(state: HistoryState) -> None:
    """A failed run in the history stops Flyway until it is repaired."""
    if state.failed:
        raise MigrationError(
            f"the history has failed migration(s): {', '.join(state.failed)}. Flyway refuses to "
            "go on until `flyway repair` (check what the failed run left first)"
        )
