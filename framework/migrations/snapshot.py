"""Capture a database schema from ``pg_catalog`` and diff two captures.

A snapshot is plain JSON-serialisable data: one section per kind of object (tables, columns,
constraints, indexes, foreign_keys, views, functions, sequences, extensions, triggers, types),
each a mapping from a qualified name to the object's properties. Objects that belong to an
extension and the migration tools' history tables (``HISTORY_TABLES``) are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pgtdd.migrations._db import Target, fetch_all, open_target
from pgtdd.migrations.layouts import HISTORY_TABLES

USER_NS = (
    "n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp\\_%%'"
)


def _not_ext(catalog: str, oid: str) -> str:
    return (
        "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
        f"'{catalog}'::regclass AND d.objid = {oid} AND d.deptype = 'e')"
    )


# Each query returns (key, properties as json) rows; %(skip)s is the excluded table names.
QUERIES: dict[str, str] = {
    "tables": f"""
        SELECT n.nspname || '.' || c.relname, json_build_object(
            'kind', c.relkind, 'persistence', c.relpersistence,
            'partition_key', pg_get_partkeydef(c.oid))
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'f') AND {USER_NS} AND {_not_ext("pg_class", "c.oid")}
          AND c.relname <> ALL(%(skip)s)""",
    "columns": f"""
        SELECT n.nspname || '.' || c.relname || '.' || a.attname, json_build_object(
            'position', row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),
            'type', format_type(a.atttypid, a.atttypmod),
            'nullable', NOT a.attnotnull,
            'default', pg_get_expr(ad.adbin, ad.adrelid),
            'identity', nullif(a.attidentity, ''),
            'generated', nullif(a.attgenerated, ''),
            'collation', CASE WHEN a.attcollation <> t.typcollation THEN co.collname END)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
        WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f')
          AND {USER_NS} AND {_not_ext("pg_class", "c.oid")} AND c.relname <> ALL(%(skip)s)""",
    "constraints": f"""
        SELECT n.nspname || '.' || c.relname || '.' || con.conname, json_build_object(
            'table', n.nspname || '.' || c.relname, 'type', con.contype,
            'definition', pg_get_constraintdef(con.oid), 'validated', con.convalidated,
            'deferrable', con.condeferrable, 'deferred', con.condeferred)
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {USER_NS} AND {_not_ext("pg_class", "c.oid")} AND c.relname <> ALL(%(skip)s)""",
    "foreign_keys": f"""
        SELECT n.nspname || '.' || c.relname || '.' || con.conname, json_build_object(
            'table', n.nspname || '.' || c.relname,
            'columns', (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(con.conkey)
                        WITH ORDINALITY k(num, i) JOIN pg_attribute a
                        ON a.attrelid = con.conrelid AND a.attnum = k.num),
            'references', rn.nspname || '.' || rc.relname,
            'referenced_columns', (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(con.confkey)
                        WITH ORDINALITY k(num, i) JOIN pg_attribute a
                        ON a.attrelid = con.confrelid AND a.attnum = k.num),
            'on_update', con.confupdtype, 'on_delete', con.confdeltype,
            'match', con.confmatchtype, 'validated', con.convalidated)
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
        WHERE con.contype = 'f' AND {USER_NS}""",
    "indexes": f"""
        SELECT n.nspname || '.' || ic.relname, json_build_object(
            'table', n.nspname || '.' || tc.relname, 'definition', pg_get_indexdef(i.indexrelid),
            'unique', i.indisunique, 'primary', i.indisprimary, 'valid', i.indisvalid)
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = ic.relnamespace
        WHERE {USER_NS} AND {_not_ext("pg_class", "tc.oid")} AND tc.relname <> ALL(%(skip)s)""",
    "views": f"""
        SELECT n.nspname || '.' || c.relname, json_build_object(
            'materialized', c.relkind = 'm', 'definition', pg_get_viewdef(c.oid, true))
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('v', 'm') AND {USER_NS} AND {_not_ext("pg_class", "c.oid")}""",
    "functions": f"""
        SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid)
               || ')', json_build_object(
            'kind', p.prokind, 'returns', pg_get_function_result(p.oid), 'language', l.lanname,
            'volatility', p.provolatile, 'security_definer', p.prosecdef,
            'definition', CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_language l ON l.oid = p.prolang
        WHERE {USER_NS} AND {_not_ext("pg_proc", "p.oid")}""",
    "sequences": f"""
        SELECT n.nspname || '.' || c.relname, json_build_object(
            'type', format_type(s.seqtypid, NULL), 'start', s.seqstart,
            'increment', s.seqincrement, 'min', s.seqmin, 'max', s.seqmax, 'cache', s.seqcache,
            'cycle', s.seqcycle,
            'owned_by', (SELECT dn.nspname || '.' || dc.relname || '.' || da.attname
                FROM pg_depend d JOIN pg_class dc ON dc.oid = d.refobjid
                JOIN pg_namespace dn ON dn.oid = dc.relnamespace
                JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid
                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1))
        FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {USER_NS} AND {_not_ext("pg_class", "c.oid")}
          AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class dc ON dc.oid = d.refobjid
                WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                  AND d.refclassid = 'pg_class'::regclass AND dc.relname = ANY(%(skip)s))""",
    "extensions": """
        SELECT e.extname, json_build_object('version', e.extversion, 'schema', n.nspname)
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace""",
    "triggers": f"""
        SELECT n.nspname || '.' || c.relname || '.' || t.tgname, json_build_object(
            'definition', pg_get_triggerdef(t.oid), 'enabled', t.tgenabled)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal AND {USER_NS}""",
    "types": f"""
        SELECT n.nspname || '.' || t.typname, json_build_object(
            'kind', t.typtype,
            'labels', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e
                       WHERE e.enumtypid = t.oid),
            'base_type', CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
            'not_null', t.typnotnull, 'default', t.typdefault,
            'checks', (SELECT json_agg(pg_get_constraintdef(con.oid) ORDER BY con.conname)
                       FROM pg_constraint con WHERE con.contypid = t.oid))
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype IN ('e', 'd') AND {USER_NS} AND {_not_ext("pg_type", "t.oid")}""",
}
SECTIONS = tuple(QUERIES)


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
        out = [
            f"+ {s[:-1] if s.endswith('s') else s} {k}" for s, ks in self.added.items() for k in ks
        ]
        out += [
            f"- {s[:-1] if s.endswith('s') else s} {k}"
            for s, ks in self.removed.items()
            for k in ks
        ]
        for section, objects in self.changed.items():
            for key, fields in objects.items():
                for name, (before, after) in fields.items():
                    out.append(f"~ {section[:-1]} {key}: {name} {before!r} -> {after!r}")
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
        """Read every section from ``pg_catalog`` (one round trip)."""
        union = " UNION ALL ".join(
            f"SELECT '{name}', s.* FROM ({query}) AS s" for name, query in QUERIES.items()
        )
        rows = fetch_all(self.conn, union, {"skip": self.exclude_tables})
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
