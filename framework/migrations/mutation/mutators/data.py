"""DATA mutations: the data-moving statements of a migration changed on the parse tree.

DAT_004 and DAT_005 also change the statements of PL/pgSQL bodies; the others change top-level
statements only (a DO block's loop rewritten by them would often never end): see ``plpgsql`` in
the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

from pglast import ast, enums

from pgtdd.migrations.sql_ast import Edit, Site, relname, remove, rewrite, to_sql, walk

FLIPPED = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "=": "<>", "<>": "=", "!=": "="}


def _short(node: Any, limit: int = 60) -> str:
    text = to_sql(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _dml(stmts: Sequence[Any]) -> Iterator[tuple[int, Any, str]]:
    """(index, statement, target table) of each top-level INSERT/UPDATE/DELETE."""
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        if isinstance(stmt, ast.InsertStmt | ast.UpdateStmt | ast.DeleteStmt):
            yield index, raw, relname(stmt.relation)


def _where_holders(
    stmts: Sequence[Any],
) -> Iterator[tuple[int, Any, str, Any]]:
    """Nodes owning a WHERE clause that decides which rows a DML statement touches."""
    for index, raw, table in _dml(stmts):
        stmt = raw.stmt
        if isinstance(stmt, ast.InsertStmt):
            select = stmt.selectStmt
            if isinstance(select, ast.SelectStmt) and select.whereClause is not None:
                yield index, raw, table, select
        elif stmt.whereClause is not None:
            yield index, raw, table, stmt


def update_where_removed(stmts: Sequence[Any]) -> list[Site]:
    """DAT_001: an UPDATE loses its WHERE clause and changes every row."""
    return _where_removed(stmts, ast.UpdateStmt, "UPDATE")


def delete_where_removed(stmts: Sequence[Any]) -> list[Site]:
    """DAT_002: a DELETE loses its WHERE clause and removes every row."""
    return _where_removed(stmts, ast.DeleteStmt, "DELETE")


def _where_removed(stmts: Sequence[Any], kind: Any, verb: str) -> list[Site]:
    sites = []
    for index, raw, table in _dml(stmts):
        stmt: Any = raw.stmt
        if isinstance(stmt, kind) and stmt.whereClause is not None:
            label = f"{verb} {table} WHERE {_short(stmt.whereClause)}"
            sites.append(Site(label, partial(_set_where, index, raw, stmt, None)))
    return sites


def _set_where(index: int, raw: Any, holder: Any, where: Any) -> Edit:
    holder.whereClause = where
    return rewrite(index, raw)


def where_negated(stmts: Sequence[Any]) -> list[Site]:
    """DAT_003: the WHERE of an UPDATE, DELETE or INSERT ... SELECT is negated."""
    sites = []
    for index, raw, table, holder in _where_holders(stmts):
        where = holder.whereClause
        negated = ast.BoolExpr(boolop=enums.BoolExprType.NOT_EXPR, args=(where,))
        label = f"{type(raw.stmt).__name__[:-4].upper()} {table} WHERE NOT ({_short(where)})"
        sites.append(Site(label, partial(_set_where, index, raw, holder, negated)))
    return sites


def left_join_to_inner(stmts: Sequence[Any]) -> list[Site]:
    """DAT_004: an outer join in a data-moving statement becomes an inner join."""
    sites = []
    for index, raw in enumerate(stmts):
        if not isinstance(
            raw.stmt, ast.InsertStmt | ast.UpdateStmt | ast.DeleteStmt | ast.CreateTableAsStmt
        ):
            continue
        for node in walk(raw.stmt):
            if isinstance(node, ast.JoinExpr) and node.jointype in (
                enums.JoinType.JOIN_LEFT,
                enums.JoinType.JOIN_RIGHT,
            ):
                side = "LEFT" if node.jointype == enums.JoinType.JOIN_LEFT else "RIGHT"
                label = f"{side} JOIN {_short(node.rarg, 30)} ON {_short(node.quals, 40)} -> INNER"
                sites.append(Site(label, partial(_inner, index, raw, node)))
    return sites


def _inner(index: int, raw: Any, join: ast.JoinExpr) -> Edit:
    join.jointype = enums.JoinType.JOIN_INNER
    return rewrite(index, raw)


def values_row_removed(stmts: Sequence[Any]) -> list[Site]:
    """DAT_005: one row of an INSERT ... VALUES is lost (the INSERT itself when it has one)."""
    sites = []
    for index, raw, table in _dml(stmts):
        select = getattr(raw.stmt, "selectStmt", None)
        if not isinstance(raw.stmt, ast.InsertStmt) or not isinstance(select, ast.SelectStmt):
            continue
        rows = select.valuesLists or ()
        if len(rows) == 1:
            sites.append(Site(f"INSERT INTO {table} (its only row)", partial(remove, index)))
        for row in rows if len(rows) > 1 else ():
            values = ", ".join(to_sql(v) for v in row)
            label = f"INSERT INTO {table} row ({values[:50]})"
            sites.append(Site(label, partial(_drop_row, index, raw, select, row)))
    return sites


def _drop_row(index: int, raw: Any, select: Any, row: object) -> Edit:
    select.valuesLists = tuple(r for r in select.valuesLists if r is not row)
    if not select.valuesLists:  # every row gone (all sites applied at once)
        return remove(index)
    return rewrite(index, raw)


def assignment_to_self(stmts: Sequence[Any]) -> list[Site]:
    """DAT_006: an UPDATE assignment becomes ``SET col = col``: the fix silently does nothing."""
    sites = []
    for index, raw, table in _dml(stmts):
        if not isinstance(raw.stmt, ast.UpdateStmt):
            continue
        for target in raw.stmt.targetList or ():
            if isinstance(target.val, ast.MultiAssignRef) or target.indirection:
                continue
            itself = ast.ColumnRef(fields=(ast.String(sval=target.name),))
            if target.val == itself:
                continue
            label = f"UPDATE {table} SET {target.name} = {target.name}"
            sites.append(Site(label, partial(_assign, index, raw, target, itself)))
    return sites


def _assign(index: int, raw: Any, target: ast.ResTarget, value: ast.Node) -> Edit:
    target.val = value
    return rewrite(index, raw)


def comparison_flipped(stmts: Sequence[Any]) -> list[Site]:
    """DAT_007: a comparison in a DML WHERE moves its boundary (< <=, > >=, = <>)."""
    sites = []
    for index, raw, table, holder in _where_holders(stmts):
        for node in walk(holder.whereClause):
            if not isinstance(node, ast.A_Expr) or node.kind != enums.A_Expr_Kind.AEXPR_OP:
                continue
            op = str(node.name[-1].sval) if node.name else ""
            if op not in FLIPPED:
                continue
            label = f"{table}: {_short(node, 50)} ({op} -> {FLIPPED[op]})"
            sites.append(Site(label, partial(_flip, index, raw, node, op)))
    return sites


def _flip(index: int, raw: Any, node: ast.A_Expr, op: str) -> Edit:
    node.name = (ast.String(sval=FLIPPED[op]),)
    return rewrite(index, raw)
