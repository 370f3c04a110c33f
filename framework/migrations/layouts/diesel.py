"""Diesel: a folder per migration, ``VERSION_name/up.sql`` + ``down.sql`` (+ ``metadata.toml``).

As ``diesel_migrations`` does: the version is the folder name before the first ``_`` with every
``-`` removed (``2020-07-14-113112_x`` is ``20200714113112``), migrations are ordered by that
string, each runs in a transaction unless ``metadata.toml`` says ``run_in_transaction = false``
(then the file is sent as one query), the search path is restored after each one, and
``__diesel_schema_migrations(version varchar(50), run_on timestamp)`` has a row per applied
migration. Files at the top of the folder, dot folders and empty folders are ignored.
"""

from __future__ import annotations

import tomllib
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
    names_by_id,
    read_text,
)
from pgtdd.migrations.model import AS_IS, TRANSACTION, Migration, MigrationError, Section


def _folders(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and not p.name.startswith(".") and any(p.iterdir())
    )


def _version(name: str) -> str:
    return name.split("_", 1)[0].replace("-", "")


def _run_in_transaction(migration_dir: Path) -> bool:
    meta = migration_dir / "metadata.toml"
    if not meta.is_file():
        return True
    try:
        data = tomllib.loads(read_text(meta))
    except tomllib.TOMLDecodeError as exc:
        raise MigrationError(f"{meta}: invalid TOML: {exc}") from None
    value = data.get("run_in_transaction", False)  # Diesel: a metadata file without it is false
    if not isinstance(value, bool):
        raise MigrationError(f"{meta}: run_in_transaction must be true or false, got {value!r}")
    return value


class DieselLayout(Layout):
    """Diesel's folders and its ``__diesel_schema_migrations`` table."""

    name: ClassVar[str] = "diesel"
    pattern: ClassVar[str] = "VERSION_name/up.sql + down.sql"
    default_table: ClassVar[str] = "__diesel_schema_migrations"
    no_transaction_hint: ClassVar[str] = (
        "put `run_in_transaction = false` in the migration's metadata.toml for Diesel"
    )

    def claim(self, folder: Path) -> list[str]:
        """Sub-folders holding an ``up.sql``."""
        return [f"{p.name}/up.sql" for p in _folders(folder) if (p / "up.sql").is_file()]

    def read(self, folder: Path, options: LayoutOptions) -> Discovery:
        """Every migration folder, ordered by version; one without ``up.sql`` is an error."""
        found: dict[str, Migration] = {}
        for path in _folders(folder):
            up = path / "up.sql"
            if not up.is_file():
                raise MigrationError(
                    f"{path}: a Diesel migration folder needs an up.sql (Diesel refuses it too)"
                )
            version = _version(path.name)
            if not version.isdigit():
                raise MigrationError(
                    f"{path}: the version {path.name.split('_', 1)[0]!r} is not digits and "
                    "dashes; pgtdd orders Diesel migrations by their timestamp versions"
                )
            if version in found:
                raise MigrationError(
                    f"{path}: version {version} is also {found[version].up_path.parent.name}"
                )
            rule = TRANSACTION if _run_in_transaction(path) else AS_IS
            down = path / "down.sql"
            found[version] = Migration(
                int(version),
                path.name.partition("_")[2],
                up,
                down if down.is_file() else None,
                layout=self.name,
                id=version,
                order=(version,),
                up=_section(up, rule),
                down=_section(down, rule) if down.is_file() else None,
                title=path.name,
            )
        ignored = [p.name for p in folder.iterdir() if p.is_file()]
        return Discovery(self.name, folder, sorted(found.values(), key=lambda m: m.order), ignored)

    def history(self, conn: Connection, table: str | None = None) -> History:
        """``__diesel_schema_migrations``."""
        return DieselHistory(conn, table or self.default_table)

    def normalise_target(self, text: str) -> str:
        """``2020-07-14-113112`` is version ``20200714113112``."""
        return _version(text)


def _section(path: Path, rule: str) -> Section:
    text = read_text(path)
    return Section(text, path, 1, rule, (0, len(text)))


class DieselHistory(History):
    """A row per applied migration: its version and when it ran."""

    columns: ClassVar[tuple[str, ...]] = ("version", "run_on")
    tool: ClassVar[str] = "Diesel"

    def create_sql(self) -> list[sql.Composed]:
        """Diesel's ``setup_migration_table.sql``."""
        return [
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (version VARCHAR(50) PRIMARY KEY NOT NULL, "
                "run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
            ).format(self.ident)
        ]

    def read(self, migrations: Sequence[Migration]) -> HistoryState:
        """The rows, by version."""
        if not self.exists():
            return HistoryState(exists=False)
        self.check_shape()
        by_id = names_by_id(migrations)
        rows = self._rows("SELECT version, run_on FROM {table} ORDER BY version")
        return HistoryState([applied_row(v, by_id, applied_at=at) for v, at in rows])

    def record_sql(
        self,
        migration: Migration,
        direction: str,
        elapsed_ms: float | None,
        previous: Migration | None,
    ) -> list[sql.Composed]:
        """Insert the version (up) or delete it (down)."""
        if direction == "up":
            return [self._sql("INSERT INTO {table} (version) VALUES ({0})", migration.id)]
        return [self._sql("DELETE FROM {table} WHERE version = {0}", migration.id)]
