"""SCHEMA mutations: constraints, keys and defaults taken out of DDL, on the parse tree."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from pglast import ast, enums

from pgtdd.migrations.sql_ast import Edit, Site, relname, remove, rewrite, without

CT = enums.ConstrType
AT = enums.AlterTableType


@dataclass
class _Holder:
    """A constraint and where it lives (a column definition, a table, or an ALTER command)."""

    index: int
    stmt: Any
    table: str
    column: ast.ColumnDef | None
    constraint: ast.Constraint
    command: ast.AlterTableCmd | None  # the ALTER TABLE ... ADD CONSTRAINT command, if any


def _columns(stmt: ast.Node) -> Iterator[tuple[str, ast.ColumnDef]]:
    if isinstance(stmt, ast.CreateStmt):
        for elt in stmt.tableElts or ():
            if isinstance(elt, ast.ColumnDef):
                yield relname(stmt.relation), elt
    elif isinstance(stmt, ast.AlterTableStmt):
        for cmd in stmt.cmds or ():
            if cmd.subtype == AT.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
                yield relname(stmt.relation), cmd.def_


def _holders(stmts: Sequence[Any]) -> Iterator[_Holder]:
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        for table, column in _columns(stmt):
            for constraint in column.constraints or ():
                yield _Holder(index, raw, table, column, constraint, None)
        if isinstance(stmt, ast.CreateStmt):
            for elt in stmt.tableElts or ():
                if isinstance(elt, ast.Constraint):
                    yield _Holder(index, raw, relname(stmt.relation), None, elt, None)
        elif isinstance(stmt, ast.AlterTableStmt):
            for cmd in stmt.cmds or ():
                if cmd.subtype == AT.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
                    yield _Holder(index, raw, relname(stmt.relation), None, cmd.def_, cmd)


def _drop_holder(holder: _Holder) -> Edit:
    """Remove the constraint from where it lives (the whole statement if nothing is left)."""
    stmt = holder.stmt.stmt
    if holder.column is not None:
        holder.column.constraints = without(holder.column.constraints, holder.constraint)
    elif holder.command is not None:
        stmt.cmds = without(stmt.cmds, holder.command)
        if stmt.cmds is None:
            return remove(holder.index)
    else:
        stmt.tableElts = without(stmt.tableElts, holder.constraint)
    return rewrite(holder.index, holder.stmt)


def _label(holder: _Holder, what: str) -> str:
    name = f" {holder.constraint.conname}" if holder.constraint.conname else ""
    if holder.column is not None:
        return f"{holder.table}.{holder.column.colname} {what}{name}"
    keys = ", ".join(
        str(k.sval) for k in holder.constraint.keys or holder.constraint.fk_attrs or ()
    )
    return f"{holder.table} {what}{name}" + (f" ({keys})" if keys else "")


def _implied_not_null(holder: _Holder) -> bool:
    """NOT NULL on a primary-key or identity column is implied: removing it changes nothing."""
    others = holder.column.constraints if holder.column is not None else ()
    return any(c.contype in (CT.CONSTR_PRIMARY, CT.CONSTR_IDENTITY) for c in others or ())


def _constraint_sites(stmts: Sequence[Any], contype: CT, what: str) -> list[Site]:
    sites = []
    for holder in _holders(stmts):
        if holder.constraint.contype != contype:
            continue
        if contype == CT.CONSTR_NOTNULL and _implied_not_null(holder):
            continue
        sites.append(Site(_label(holder, what), partial(_drop_holder, holder)))
    return sites


def primary_key_removed(stmts: Sequence[Any]) -> list[Site]:
    """SCH_001: a PRIMARY KEY (column or table constraint) is not created."""
    return _constraint_sites(stmts, CT.CONSTR_PRIMARY, "PRIMARY KEY")


def foreign_key_removed(stmts: Sequence[Any]) -> list[Site]:
    """SCH_002: a FOREIGN KEY / REFERENCES constraint is not created."""
    return _constraint_sites(stmts, CT.CONSTR_FOREIGN, "FOREIGN KEY")


def not_null_removed(stmts: Sequence[Any]) -> list[Site]:
    """SCH_003: a column loses NOT NULL (in its definition or an ALTER ... SET NOT NULL)."""
    sites = _constraint_sites(stmts, CT.CONSTR_NOTNULL, "NOT NULL")
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        if not isinstance(stmt, ast.AlterTableStmt):
            continue
        for cmd in stmt.cmds or ():
            if cmd.subtype == AT.AT_SetNotNull:
                label = f"{relname(stmt.relation)}.{cmd.name} SET NOT NULL"
                sites.append(Site(label, partial(drop_command, index, raw, cmd)))
    return sites


def unique_removed(stmts: Sequence[Any]) -> list[Site]:
    """SCH_004: a UNIQUE constraint is not created, or a unique index is built non-unique."""
    sites = _constraint_sites(stmts, CT.CONSTR_UNIQUE, "UNIQUE")
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        if isinstance(stmt, ast.IndexStmt) and stmt.unique and not stmt.primary:
            label = f"unique index {stmt.idxname or '?'} on {relname(stmt.relation)}"
            sites.append(Site(label, partial(_non_unique, index, raw)))
    return sites


def _non_unique(index: int, raw: Any) -> Edit:
    raw.stmt.unique = False
    return rewrite(index, raw)


def check_removed(stmts: Sequence[Any]) -> list[Site]:
    """SCH_005: a CHECK constraint is not created."""
    return _constraint_sites(stmts, CT.CONSTR_CHECK, "CHECK")


def default_removed(stmts: Sequence[Any]) -> list[Site]:
    """SCH_006: a column DEFAULT is not set (in its definition or ALTER ... SET DEFAULT)."""
    sites = _constraint_sites(stmts, CT.CONSTR_DEFAULT, "DEFAULT")
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        if not isinstance(stmt, ast.AlterTableStmt):
            continue
        for cmd in stmt.cmds or ():
            if cmd.subtype == AT.AT_ColumnDefault and cmd.def_ is not None:
                label = f"{relname(stmt.relation)}.{cmd.name} SET DEFAULT"
                sites.append(Site(label, partial(drop_command, index, raw, cmd)))
    return sites


def drop_command(index: int, raw: Any, cmd: ast.AlterTableCmd) -> Edit:
    """Remove one ALTER TABLE command (the statement when it was the only one)."""
    raw.stmt.cmds = without(raw.stmt.cmds, cmd)
    if raw.stmt.cmds is None:
        return remove(index)
    return rewrite(index, raw)
