"""How pgtdd runs one section of a migration: in a transaction, as is, or statement by statement.

The tool's rule (see :mod:`pgtdd.migrations.model`) is the starting point. PostgreSQL's parser
then finds what the rule cannot do: a statement PostgreSQL refuses inside a transaction block
(``CREATE INDEX CONCURRENTLY``, ``VACUUM``, ``ALTER SYSTEM``...) makes the section run outside
one, statement by statement when it has several (with a note saying what the tool itself would
do); a section with its own ``BEGIN``/``COMMIT`` is sent as is. A golang-migrate file sent as
one query is one implicit transaction, so pgtdd runs it in an explicit one together with its
history row: same effect, and a failure leaves nothing behind.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from pglast import parser

from pgtdd.migrations.model import AS_IS, STATEMENTS, TRANSACTION, Migration, Section, Unit

NO_TRANSACTION = re.compile(r"--\s*pgtdd:no-transaction\b")
# statement kinds PostgreSQL refuses inside a transaction block (whatever their options)
_REFUSED = {
    "CreatedbStmt": "CREATE DATABASE",
    "DropdbStmt": "DROP DATABASE",
    "AlterSystemStmt": "ALTER SYSTEM",
    "CreateTableSpaceStmt": "CREATE TABLESPACE",
    "DropTableSpaceStmt": "DROP TABLESPACE",
    "CreateSubscriptionStmt": "CREATE SUBSCRIPTION",
}
_REINDEX_KINDS = {
    "REINDEX_OBJECT_SCHEMA": "REINDEX SCHEMA",
    "REINDEX_OBJECT_SYSTEM": "REINDEX SYSTEM",
    "REINDEX_OBJECT_DATABASE": "REINDEX DATABASE",
}


@dataclass(frozen=True)
class Statement:
    """A top-level statement as PostgreSQL's parser sees it: its node kind, the node's fields
    and its byte range in the text (without the terminating semicolon)."""

    kind: str
    fields: dict[str, Any] = field(repr=False)
    start: int
    end: int


@functools.lru_cache(maxsize=1024)
def statements(text: str) -> tuple[Statement, ...] | None:
    """The text's statements (parsed by pglast into JSON: much cheaper than its Python
    nodes), or ``None`` when it does not parse."""
    try:
        tree = json.loads(parser.parse_sql_json(text))
    except parser.ParseError:
        return None
    size = len(text.encode())
    found = []
    for raw in tree.get("stmts", ()):
        node = raw.get("stmt") or {"": {}}
        (kind, fields), = node.items()
        start = raw.get("stmt_location", 0)
        length = raw.get("stmt_len", 0)
        found.append(Statement(kind, fields, start, start + length if length else size))
    return tuple(found)


def refused_in_transaction(statement: Statement) -> str | None:
    """What PostgreSQL refuses to run inside a transaction block, for a top-level statement."""
    kind, fields = statement.kind, statement.fields
    if kind in _REFUSED:
        return _REFUSED[kind]
    if kind == "VacuumStmt":
        return "VACUUM" if fields.get("is_vacuumcmd") else None  # ANALYZE alone is fine
    if kind == "IndexStmt" and fields.get("concurrent"):
        return "CREATE INDEX CONCURRENTLY"
    if kind == "DropStmt" and fields.get("concurrent"):
        return "DROP INDEX CONCURRENTLY"
    if kind == "ReindexStmt":
        params = fields.get("params") or ()
        if any(p.get("DefElem", {}).get("defname") == "concurrently" for p in params):
            return "REINDEX CONCURRENTLY"
        return _REINDEX_KINDS.get(fields.get("kind", ""))
    if kind == "DiscardStmt" and fields.get("target") == "DISCARD_ALL":
        return "DISCARD ALL"
    return None


def needs_autocommit(text: str) -> bool:
    """Whether the SQL must run outside a transaction block (or is marked so)."""
    if NO_TRANSACTION.search(text):
        return True
    return any(refused_in_transaction(s) for s in statements(text) or ())


def split(section: Section) -> tuple[Unit, ...]:
    """The section's statements as the parser finds them (each with its line in the file); the
    tool's own boundaries where it fixes them. Unparseable SQL stays one unit."""
    if section.units is not None:
        return section.units
    return split_text(section.sql, section.line)


def split_text(text: str, first_line: int = 1) -> tuple[Unit, ...]:
    """``text``'s statements (comments before a statement kept with it), with their lines."""
    found = statements(text)
    if not found:
        return (Unit(text, first_line),) if found is None else ()
    raw = text.encode()
    return tuple(
        Unit(raw[s.start : s.end].decode(), first_line + raw[: s.start].count(b"\n"))
        for s in found
    )


@dataclass(frozen=True)
class Plan:
    """How a section runs: ``mode`` (transaction / as-is / statements), the units it sends, and
    a note when pgtdd deviates from (or explains) the tool's rule."""

    mode: str
    units: tuple[Unit, ...]
    note: str | None = None
    parsed: bool = True  # PostgreSQL's parser read it (else the server reports the error)


def make_plan(migration: Migration, direction: str, fix_hint: str = "") -> Plan:
    """The plan for ``direction`` of ``migration`` (``fix_hint``: how the tool opts out of its
    transaction, for the note when pgtdd had to)."""
    section = migration.section(direction)
    whole = section.units or (Unit(section.sql, section.line),)
    where = f"{migration.label} ({direction})"
    if NO_TRANSACTION.search(section.sql):
        return Plan(STATEMENTS, split(section), f"{where}: marked pgtdd:no-transaction, ran "
                    "statement by statement outside a transaction")  # fmt: skip
    stmts = statements(section.sql)
    if stmts is None:  # the server will report the syntax error with its position
        return Plan(TRANSACTION if section.rule == TRANSACTION else AS_IS, whole, parsed=False)
    refused = sorted({r for s in stmts if (r := refused_in_transaction(s))})
    own_transaction = any(s.kind == "TransactionStmt" for s in stmts)
    if section.rule == STATEMENTS:
        return Plan(STATEMENTS, split(section))
    if refused:
        return _outside(section, migration, direction, refused, len(stmts), fix_hint, whole)
    if own_transaction:
        note = None
        if section.rule == TRANSACTION:
            note = (f"{where}: it has its own BEGIN/COMMIT, so pgtdd sent it as is, outside a "
                    "transaction of its own")  # fmt: skip
        return Plan(AS_IS, whole, note)
    if section.rule == AS_IS and len(stmts) == 1 and stmts[0].kind in ("CallStmt", "DoStmt"):
        return Plan(AS_IS, whole)  # a CALL or DO that commits works only outside a transaction
    return Plan(TRANSACTION, whole)


def _outside(
    section: Section,
    migration: Migration,
    direction: str,
    refused: list[str],
    count: int,
    fix_hint: str,
    whole: tuple[Unit, ...],
) -> Plan:
    what = ", ".join(refused)
    where = f"{migration.label} ({direction})"
    if count == 1:
        mode, units, how = AS_IS, whole, "outside a transaction"
    else:
        mode, units, how = STATEMENTS, split(section), "statement by statement, each committed"
    if migration.layout in ("flyway", "pgtdd"):
        also = " (as Flyway does)" if migration.layout == "flyway" else ""
        return Plan(mode, units, f"{where}: has {what}, so it ran {how}{also}")
    if section.rule == TRANSACTION:
        hint = f"; {fix_hint}" if fix_hint else ""
        return Plan(mode, units, f"{where}: {migration.layout} runs it in a transaction, where "
                    f"PostgreSQL refuses {what}; pgtdd ran it {how}{hint}")  # fmt: skip
    if count == 1:
        return Plan(mode, units)  # sent as is, as the tool does
    return Plan(mode, units, f"{where}: {migration.layout} sends it as one query, which "
                f"PostgreSQL runs as one transaction and refuses for {what}; pgtdd ran it "
                f"{how}")  # fmt: skip
