"""ROLLBACK mutations: the down migration forgets, or misorders, part of its work."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from pglast import ast, enums

from pgtdd.migrations.mutation.mutators.schema import drop_command
from pgtdd.migrations.sql_ast import Edit, Site, dotted, relname, remove

AT = enums.AlterTableType
REVERTS = {
    AT.AT_DropConstraint: "DROP CONSTRAINT",
    AT.AT_DropNotNull: "DROP NOT NULL",
    AT.AT_SetNotNull: "SET NOT NULL",
    AT.AT_ColumnDefault: "DEFAULT",
}


def _object_names(stmt: ast.DropStmt) -> str:
    names = []
    for obj in stmt.objects or ():
        if isinstance(obj, tuple | list):
            names.append(dotted(obj))
        elif isinstance(obj, ast.String):
            names.append(str(obj.sval))
        elif isinstance(obj, ast.ObjectWithArgs):  # a function, procedure, operator...
            names.append(dotted(obj.objname))
        elif isinstance(obj, ast.TypeName):
            names.append(dotted(obj.names))
        else:
            names.append(type(obj).__name__)
    return ", ".join(names)


def drop_removed(stmts: Sequence[Any]) -> list[Site]:
    """RBK_001: a DROP statement is missing from the down migration (the object stays)."""
    sites = []
    for index, raw in enumerate(stmts):
        if isinstance(raw.stmt, ast.DropStmt):
            kind = str(getattr(raw.stmt.removeType, "name", "")).removeprefix("OBJECT_")
            label = f"DROP {kind} {_object_names(raw.stmt)}"
            sites.append(Site(label, partial(remove, index)))
    return sites


def drop_column_removed(stmts: Sequence[Any]) -> list[Site]:
    """RBK_002: an ALTER TABLE ... DROP COLUMN is missing from the down migration."""
    return _alter_sites(stmts, {AT.AT_DropColumn: "DROP COLUMN"})


def constraint_revert_removed(stmts: Sequence[Any]) -> list[Site]:
    """RBK_004: a constraint/default revert (DROP CONSTRAINT, DROP NOT NULL...) is missing."""
    return _alter_sites(stmts, REVERTS)


def _alter_sites(stmts: Sequence[Any], kinds: dict[AT, str]) -> list[Site]:
    sites = []
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        if not isinstance(stmt, ast.AlterTableStmt):
            continue
        for cmd in stmt.cmds or ():
            if cmd.subtype in kinds:
                label = f"ALTER TABLE {relname(stmt.relation)} {kinds[cmd.subtype]} {cmd.name}"
                sites.append(Site(label, partial(drop_command, index, raw, cmd)))
    return sites


def order_reversed(stmts: Sequence[Any]) -> list[Site]:
    """RBK_003: the down migration's statements run in reverse order."""
    if len(stmts) < 2 or all(stmts[0].stmt == s.stmt for s in stmts):
        return []
    order = list(range(len(stmts)))[::-1]
    return [Site(f"{len(stmts)} statements in reverse order", partial(Edit, order=order))]


def data_revert_removed(stmts: Sequence[Any]) -> list[Site]:
    """RBK_005: a data-restoring INSERT/UPDATE/DELETE is missing from the down migration."""
    sites = []
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        if isinstance(stmt, ast.InsertStmt | ast.UpdateStmt | ast.DeleteStmt):
            verb = type(stmt).__name__.removesuffix("Stmt").upper()
            sites.append(Site(f"{verb} {relname(stmt.relation)}", partial(remove, index)))
    return sites
