"""What every migration layout reads a folder into: :class:`Migration` and its :class:`Section`.

A migration has an up section and, when the folder has one, a down section. A section is the
SQL to run, where it comes from (file and first line, so errors name the line of the file) and
the transaction rule its tool applies to it:

- ``transaction``: the tool wraps the SQL in a transaction (Diesel, dbmate, goose, Flyway, pgtdd);
- ``as-is``: the tool sends the SQL as one query, unwrapped (golang-migrate; Diesel's
  ``run_in_transaction = false``, dbmate's ``transaction:false``): PostgreSQL runs a
  multi-statement query as one implicit transaction, a single statement on its own;
- ``statements``: the tool runs the statements one by one, each committed (goose's
  ``NO TRANSACTION``, Flyway's ``executeInTransaction=false``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TRANSACTION = "transaction"
AS_IS = "as-is"
STATEMENTS = "statements"
RULES = (TRANSACTION, AS_IS, STATEMENTS)
DIRECTIONS = ("up", "down")


class MigrationError(RuntimeError):
    """A migration folder is inconsistent, or a migration failed (file and line named)."""

    def __init__(self, message: str, *, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@dataclass(frozen=True)
class Unit:
    """A piece of a section the tool itself runs as one query (a goose ``StatementBegin`` block)."""

    sql: str
    line: int


@dataclass(frozen=True)
class Section:
    """The SQL of one direction of a migration.

    ``span`` is the character range of ``sql`` in the file (``sql`` may differ from it when the
    tool substitutes placeholders); ``units`` the statement boundaries the tool fixes itself
    (``None``: pgtdd splits with the parser when it must run the statements one by one).
    """

    sql: str = field(repr=False)
    path: Path
    line: int = 1
    rule: str = TRANSACTION
    span: tuple[int, int] | None = None
    units: tuple[Unit, ...] | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        """``path:line`` of the section's first line."""
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Migration:
    """One migration of a folder, in any layout.

    - ``version``: the migration's number (golang-migrate, goose, pgtdd; dbmate's and Diesel's
      digits, Diesel's dashes removed). Flyway versions are dotted, so there it is the
      migration's position in Flyway's order (1, 2, ...) and ``id`` holds the Flyway version.
    - ``id``: the version exactly as the tool's history table stores it (Flyway repeatable
      migrations: their description).
    - ``order``: the sort key of the tool's own ordering rule.
    - ``up`` / ``down``: the sections (``down`` is ``None`` when the folder has no down SQL).
    - ``up_path`` / ``down_path``: the files holding them (one file for goose and dbmate).
    - ``repeatable``: a Flyway ``R__`` migration (applied after the versioned ones, again
      whenever its file changes); ``meta``: what the layout's history writes besides.
    """

    version: int
    name: str
    up_path: Path
    down_path: Path | None
    layout: str = "golang-migrate"
    id: str = ""
    order: tuple[Any, ...] = ()
    up: Section | None = field(default=None, repr=False, compare=False)
    down: Section | None = field(default=None, repr=False, compare=False)
    title: str = ""
    repeatable: bool = False
    meta: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", str(self.version))
        if not self.order:
            object.__setattr__(self, "order", (self.version,))

    @property
    def label(self) -> str:
        """How the folder names it: ``003_create_comments``, ``2020-07-14-113112_tokens``."""
        return self.title or self.up_path.name.removesuffix(".up.sql")

    def section(self, direction: str) -> Section:
        """The ``up`` or ``down`` section; :class:`MigrationError` when there is no down SQL."""
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be 'up' or 'down', got {direction!r}")
        found = self.up if direction == "up" else self.down
        if found is not None:
            return found
        path = self.up_path if direction == "up" else self.down_path
        if path is None:
            raise MigrationError(
                f"migration {self.label} has no down migration ({self.layout} layout): "
                f"{_down_hint(self)} to make it reversible"
            )
        return Section(path.read_text(encoding="utf-8"), path)

    def read(self, direction: str) -> str:
        """The SQL of the ``up`` or ``down`` direction, as it will run."""
        return self.section(direction).sql

    def transaction(self, direction: str) -> str:
        """The tool's transaction rule for that direction: ``transaction``, ``as-is`` or
        ``statements`` (see the module's docstring)."""
        return self.section(direction).rule

    @property
    def has_down(self) -> bool:
        """Whether the folder has down SQL for it (possibly only comments)."""
        return self.down is not None or (self.up is None and self.down_path is not None)

    @property
    def checksum(self) -> str:
        """SHA-256 of the up file's bytes (what pgtdd's own history stores)."""
        return hashlib.sha256(self.up_path.read_bytes()).hexdigest()

    def rewrite(self, direction: str, sql: str) -> tuple[Path, str]:
        """The file holding ``direction`` and its whole new text with that SQL replaced by
        ``sql`` (the rest of a goose or dbmate file kept): for writing a changed copy."""
        section = self.section(direction)
        if section.span is None and section.units is not None:
            raise MigrationError(
                f"{section.path}: its {direction} SQL is in several blocks of the file; "
                "rewrite the file itself"
            )
        text = section.path.read_text(encoding="utf-8")
        start, end = section.span if section.span is not None else (0, len(text))
        return section.path, text[:start] + sql + text[end:]


def _down_hint(migration: Migration) -> str:
    hints = {
        "golang-migrate": f"add {migration.label}.down.sql next to its up file",
        "pgtdd": f"add {migration.label}.down.sql next to its up file",
        "diesel": f"add down.sql to {migration.label}/",
        "goose": "add a '-- +goose Down' section to the file",
        "dbmate": "add a '-- migrate:down' section to the file",
        "flyway": f"add an undo migration U{migration.id}__{migration.name}.sql",
    }
    return hints.get(migration.layout, "add its down SQL")
