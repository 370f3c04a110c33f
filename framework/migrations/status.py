"""``MigrationStatus``: what a folder and its history table say together."""

from __future__ import annotations

from dataclasses import dataclass, field

from pgtdd.migrations.layouts.base import AppliedMigration
from pgtdd.migrations.model import Migration


def _shown(migration_id: str, version: int) -> str:
    if migration_id.isdigit() and len(migration_id) <= 4:
        return f"{version:04d}"
    return migration_id


@dataclass
class MigrationStatus:
    """Applied, pending, modified (edited after being applied) and missing migrations.

    ``notes`` say what else the history shows (a dirty or failed migration, migrations the tool
    will not apply); ``layout`` and ``table`` name the layout and its history table.
    """

    applied: list[AppliedMigration] = field(default_factory=list)
    pending: list[Migration] = field(default_factory=list)
    modified: list[Migration] = field(default_factory=list)
    missing: list[AppliedMigration] = field(default_factory=list)
    layout: str = ""
    table: str = ""
    notes: list[str] = field(default_factory=list)
    dirty: str | None = None
    failed: list[str] = field(default_factory=list)

    @property
    def current_version(self) -> int:
        """The highest applied version (0 when none; Flyway: the position of the highest)."""
        return max((a.version for a in self.applied), default=0)

    @property
    def is_clean(self) -> bool:
        """Nothing modified, missing, dirty or failed."""
        return not (self.modified or self.missing or self.dirty or self.failed)

    def lines(self) -> list[str]:
        """Human-readable status, one line per migration, then the notes."""
        modified = {m.id for m in self.modified}
        missing = {a.id for a in self.missing}
        rows = []
        for a in self.applied:
            when = f" {a.applied_at:%Y-%m-%d %H:%M:%S}" if a.applied_at is not None else ""
            rows.append(
                f"{_shown(a.id, a.version)} {a.name:<32} applied{when}"
                + (" DIRTY" if a.id == self.dirty else "")
                + (" MODIFIED since applied" if a.id in modified else "")
                + (" FILE MISSING" if a.id in missing else "")
            )
        rows += [f"{_shown(m.id, m.version)} {m.name:<32} pending" for m in self.pending]
        return rows + [f"note: {note}" for note in self.notes]
