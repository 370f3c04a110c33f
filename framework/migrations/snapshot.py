"""Capture a database schema from ``pg_catalog`` and diff two captures.

A snapshot is plain JSON-serialisable data: one section per kind of object (schemas, tables,
columns, constraints, foreign_keys, indexes, views, functions, sequences, extensions, triggers,
types, policies, rules, default_privileges, statistics, event_triggers, other_objects), each a
mapping from a qualified name to the object's properties, ownership, privileges and comment
among them. Objects that belong to an extension and the migration tools' history tables
(``HISTORY_TABLES``) are left out.
The queries are in :mod:`pgtdd.migrations.snapshot_queries`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import psycopg

from pgtdd.migrations._db import Target, fetch_all, is_idle, open_target
from pgtdd.migrations.layouts import HISTORY_TABLES
from pgtdd.migrations.snapshot_queries import QUERIES

SECTIONS = tuple(QUERIES)
CATALOG_PATH = "SELECT set_config('search_path', 'pg_catalog', true)"
RESTORE_PATH = "SELECT set_config('search_path', %s, true)"
# The kind of object each section holds, as the diffs and the ignore rules name it.
KINDS = {
    "schemas": "schema", "tables": "table", "columns": "column", "constraints": "constraint",
    "foreign_keys": "foreign_key", "indexes": "index", "views": "view", "functions": "function",
    "sequences": "sequence", "extensions": "extension", "triggers": "trigger", "types": "type",
    "policies": "policy", "rules": "rule", "default_privileges": "default_privilege",
    "statistics": "statistics", "event_triggers": "event_trigger", "other_objects": "object",
}  # fmt: skip


def kind_of(section: str) -> str:
    """The kind of object a section holds (``columns`` -> ``column``)."""
    return KINDS.get(section, section)


@dataclass
class SchemaDiff:
    """What changed between two snapshots, per section: added, removed and changed objects."""

    added: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, dict[str, dict[str, list[Any]]]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """No difference at all."""
        return not (self.added or self.removed or self.changed)

    def __bool__(self) -> bool:
        return not self.is_empty

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``{"added": ..., "removed": ..., "changed": {section: {key: {field:
        [before, after]}}}}``."""
        return {"added": self.added, "removed": self.removed, "changed": self.changed}

    def lines(self) -> list[str]:
        """One human-readable line per difference."""
        out = [f"+ {kind_of(s)} {k}" for s, ks in self.added.items() for k in ks]
        out += [f"- {kind_of(s)} {k}" for s, ks in self.removed.items() for k in ks]
        for section, objects in self.changed.items():
            for key, fields in objects.items():
                for name, (before, after) in fields.items():
                    out.append(f"~ {kind_of(section)} {key}: {name} {before!r} -> {after!r}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines()) or "no schema differences"


@dataclass
class SchemaSnapshot:
    """A captured schema: ``data[section][qualified name] -> properties``."""

    data: dict[str, dict[str, dict[str, Any]]]

    def __getitem__(self, section: str) -> dict[str, dict[str, Any]]:
        return self.data[section]

    @property
    def tables(self) -> dict[str, dict[str, Any]]:
        """Tables by ``schema.table``."""
        return self.data["tables"]

    @property
    def columns(self) -> dict[str, dict[str, Any]]:
        """Columns by ``schema.table.column``: type, nullable, default, position..."""
        return self.data["columns"]

    @property
    def indexes(self) -> dict[str, dict[str, Any]]:
        """Indexes by ``schema.index``, with their definitions."""
        return self.data["indexes"]

    @property
    def constraints(self) -> dict[str, dict[str, Any]]:
        """Constraints by ``schema.table.constraint``, with their definitions."""
        return self.data["constraints"]

    @property
    def foreign_keys(self) -> dict[str, dict[str, Any]]:
        """Foreign keys by ``schema.table.constraint``."""
        return self.data["foreign_keys"]

    def diff(self, after: SchemaSnapshot) -> SchemaDiff:
        """What changed from this snapshot to ``after``."""
        return diff_snapshots(self, after)

    def to_dict(self) -> dict[str, dict[str, dict[str, Any]]]:
        """The snapshot as plain data."""
        return self.data

    def to_json(self, indent: int | None = 2) -> str:
        """The snapshot as JSON (keys sorted, stable across runs)."""
        return json.dumps(self.data, indent=indent, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SchemaSnapshot:
        """A snapshot read back from :meth:`to_json`."""
        return cls(json.loads(text))


def diff_snapshots(before: SchemaSnapshot, after: SchemaSnapshot) -> SchemaDiff:
    """Structured differences between two snapshots."""
    result = SchemaDiff()
    for section in sorted(set(before.data) | set(after.data)):
        old, new = before.data.get(section, {}), after.data.get(section, {})
        added = sorted(set(new) - set(old))
        removed = sorted(set(old) - set(new))
        changed = {}
        for key in sorted(set(old) & set(new)):
            fields = {
                name: [old[key].get(name), new[key].get(name)]
                for name in sorted(set(old[key]) | set(new[key]))
                if old[key].get(name) != new[key].get(name)
            }
            if fields:
                changed[key] = fields
        if added:
            result.added[section] = added
        if removed:
            result.removed[section] = removed
        if changed:
            result.changed[section] = changed
    return result


class SchemaSnapshotter:
    """Captures the schema of the database behind ``target`` (a connection, ServerInfo or URL).

    On a connection inside a transaction the snapshot sees that transaction's uncommitted DDL.
    """

    def __init__(self, target: Target, *, exclude_tables: tuple[str, ...] = HISTORY_TABLES) -> None:
        self.conn, self._owned = open_target(target)
        self.exclude_tables = list(exclude_tables)

    def capture(self) -> SchemaSnapshot:
        """Read every section from ``pg_catalog`` (one query).

        The query is prepared on the connection: planning its eighteen parts costs about as
        much as running them, and a verify run takes three snapshots per migration. It runs with
        ``search_path`` set to ``pg_catalog`` alone, so every name the catalog functions print
        is schema-qualified the same way whatever path the session has (a default printed as
        ``nextval('t_id_seq'::regclass)`` under one path is ``public.t_id_seq`` under another).
        """
        union = " UNION ALL ".join(
            f"SELECT '{name}', s.k::text, s.p FROM ({query}) AS s(k, p)"
            for name, query in QUERIES.items()
        )
        if is_idle(self.conn):
            with self.conn.transaction():
                self.conn.execute(CATALOG_PATH)
                rows = fetch_all(self.conn, union, {"skip": self.exclude_tables}, prepare=True)
        else:  # inside the caller's transaction: put its path back afterwards
            saved = self.conn.execute("SELECT current_setting('search_path')").fetchone()
            self.conn.execute(CATALOG_PATH)
            try:
                rows = fetch_all(self.conn, union, {"skip": self.exclude_tables}, prepare=True)
            finally:
                status = self.conn.info.transaction_status
                if saved is not None and status == psycopg.pq.TransactionStatus.INTRANS:
                    self.conn.execute(RESTORE_PATH, (saved[0],))
        data: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in QUERIES}
        for section, key, props in rows:
            data[section][key] = props
        return SchemaSnapshot(data)

    snapshot = capture

    @staticmethod
    def compare(before: SchemaSnapshot, after: SchemaSnapshot) -> SchemaDiff:
        """Structured differences between two snapshots."""
        return diff_snapshots(before, after)

    def close(self) -> None:
        """Close the connection if the snapshotter opened it."""
        if self._owned:
            self.conn.close()

    def __enter__(self) -> SchemaSnapshotter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
