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
import re
from dataclasses import dataclass
from typing import Any

from pglast import ast

from pgtdd.migrations.model import AS_IS, STATEMENTS, TRANSACTION, Migration, Section, Unit
from pgtdd.migrations.sql_ast import SqlParseError, parse

NO_TRANSACTION = re.compile(r"--\s*pgtdd:no-transaction\b")
_REINDEX_KINDS = {2: "REINDEX SCHEMA", 3: "REINDEX SYSTEM", 4: "REINDEX DATABASE"}


def refused_in_transaction(node: Any) -> str | None:
    """What PostgreSQL refuses to run inside a transaction block, for a top-level statement."""
    if isinstance(node, ast.VacuumStmt):
        return "VACUUM" if node.is_vacuumcmd else None  # ANALYZE alone runs in a transaction
    simple = {
        ast.CreatedbStmt: "CREATE DATABASE",
        ast.DropdbStmt: "DROP DATABASE",
        ast.AlterSystemStmt: "ALTER SYSTEM",
        ast.CreateTableSpaceStmt: "CREATE TABLESPACE",
        ast.DropTableSpaceStmt: "DROP TABLESPACE",
        ast.CreateSubscriptionStmt: "CREATE SUBSCRIPTION",
    }
    for kind, what in simple.items():
        if isinstance(node, kind):
            return what
    if isinstance(node, ast.IndexStmt) and node.concurrent:
        return "CREATE INDEX CONCURRENTLY"
    if isinstance(node, ast.DropStmt) and node.concurrent:
        return "DROP INDEX CONCURRENTLY"
    if isinstance(node, ast.ReindexStmt):
        if any(p.defname == "concurrently" for p in node.params or ()):
            return "REINDEX CONCURRENTLY"
        return _REINDEX_KINDS.get(_enum_value(node.kind))
    if isinstance(node, ast.DiscardStmt) and _enum_value(node.target) == 0:
        return "DISCARD ALL"
    return None


def _enum_value(value: Any) -> int:
    return int(value) if value is not None else -1


def _statements(text: str) -> tuple[Any, ...] | None:
    try:
        return parse(text)
    except SqlParseError:
        return None


@functools.lru_cache(maxsize=512)
def needs_autocommit(text: str) -> bool:
    """Whether the SQL must run outside a transaction block (or is marked so)."""
    if NO_TRANSACTION.search(text):
        return True
    stmts = _statements(text)
    return any(refused_in_transaction(s.stmt) for s in stmts or ())


def split(section: Section) -> tuple[Unit, ...]:
    """The section's statements as the parser finds them (each with its line in the file); the
    tool's own boundaries where it fixes them. Unparseable SQL stays one unit."""
    if section.units is not None:
        return section.units
    return split_text(section.sql, section.line)


def split_text(text: str, first_line: int = 1) -> tuple[Unit, ...]:
    """``text``'s statements (comments before a statement kept with it), with their lines."""
    stmts = _statements(text)
    if not stmts:
        return (Unit(text, first_line),) if stmts is None else ()
    raw = text.encode()
    units = []
    for stmt in stmts:
        start = stmt.stmt_location or 0
        end = start + stmt.stmt_len if stmt.stmt_len else len(raw)
        prefix = raw[:start].decode()
        units.append(Unit(raw[start:end].decode(), first_line + prefix.count("\n")))
    return tuple(units)


@dataclass(frozen=True)
class Plan:
    """How a section runs: ``mode`` (transaction / as-is / statements), the units it sends, and
    a note when pgtdd deviates from (or explains) the tool's rule."""

    mode: str
    units: tuple[Unit, ...]
    note: str | None = None


def make_plan(migration: Migration, direction: str, fix_hint: str = "") -> Plan:
    """The plan for ``direction`` of ``migration`` (``fix_hint``: how the tool opts out of its
    transaction, for the note when pgtdd had to)."""
    section = migration.section(direction)
    whole = section.units or (Unit(section.sql, section.line),)
    where = f"{migration.label} ({direction})"
    if NO_TRANSACTION.search(section.sql):
        return Plan(STATEMENTS, split(section), f"{where}: marked pgtdd:no-transaction, ran "
                    "statement by statement outside a transaction")  # fmt: skip
    stmts = _statements(section.sql)
    if stmts is None:  # the server will report the syntax error with its position
        return Plan(TRANSACTION if section.rule == TRANSACTION else AS_IS, whole)
    refused = sorted({r for s in stmts if (r := refused_in_transaction(s.stmt))})
    own_transaction = any(isinstance(s.stmt, ast.TransactionStmt) for s in stmts)
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
    if section.rule == AS_IS and len(stmts) == 1 and _may_commit(stmts[0].stmt):
        return Plan(AS_IS, whole)  # a CALL or DO that commits works only outside a transaction
    return Plan(TRANSACTION, whole)


def _may_commit(node: Any) -> bool:
    return isinstance(node, ast.CallStmt | ast.DoStmt)


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
