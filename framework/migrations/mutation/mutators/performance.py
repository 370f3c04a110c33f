"""PERFORMANCE mutations: the migration still works but is slower or holds heavier locks."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from pglast import ast, enums

from pgtdd.migrations.sql_ast import Edit, Site, relname, remove, rewrite, walk

GUARDS = ("lock_timeout", "statement_timeout")


def index_removed(stmts: Sequence[Any]) -> list[Site]:
    """PRF_001: a (non-unique) index the queries need is never created."""
    sites = []
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        if isinstance(stmt, ast.IndexStmt) and not stmt.unique and not stmt.primary:
            label = f"CREATE INDEX {stmt.idxname or '?'} ON {relname(stmt.relation)}"
            sites.append(Site(label, partial(remove, index)))
    return sites


def concurrently_removed(stmts: Sequence[Any]) -> list[Site]:
    """PRF_002: CONCURRENTLY is dropped: the index build blocks writes to the table."""
    sites = []
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        if isinstance(stmt, ast.IndexStmt | ast.DropStmt) and stmt.concurrent:
            what = stmt.idxname if isinstance(stmt, ast.IndexStmt) else "DROP INDEX"
            sites.append(Site(f"{what} without CONCURRENTLY", partial(_serial, index, raw)))
        elif isinstance(stmt, ast.ReindexStmt) and any(
            p.defname == "concurrently" for p in stmt.params or ()
        ):
            sites.append(Site("REINDEX without CONCURRENTLY", partial(_serial, index, raw)))
    return sites


def _serial(index: int, raw: Any) -> Edit:
    stmt = raw.stmt
    if isinstance(stmt, ast.ReindexStmt):
        params = tuple(p for p in stmt.params or () if p.defname != "concurrently")
        stmt.params = params or None
    else:
        stmt.concurrent = False
    return rewrite(index, raw)


def _batches(stmt: Any) -> list[ast.SelectStmt]:
    """The LIMIT-ed selects choosing an UPDATE's or DELETE's rows: the batch. They sit in a
    sub-select of its WHERE (``id IN (SELECT ... LIMIT n)``, ``ctid = ANY(ARRAY(...))``), in a
    CTE it joins (``WITH batch AS (SELECT ... LIMIT n) UPDATE ... FROM batch``), or in its
    ``FROM`` / ``USING`` (``FROM (SELECT ... LIMIT n) b``)."""
    if not isinstance(stmt, ast.UpdateStmt | ast.DeleteStmt):
        return []
    found: list[Any] = [
        node.subselect
        for node in walk(stmt.whereClause)
        if isinstance(node, ast.SubLink) and isinstance(node.subselect, ast.SelectStmt)
    ]
    if stmt.withClause is not None:
        found += [cte.ctequery for cte in stmt.withClause.ctes or ()]
    sources = stmt.fromClause if isinstance(stmt, ast.UpdateStmt) else stmt.usingClause
    found += [item.subquery for item in sources or () if isinstance(item, ast.RangeSubselect)]
    return [s for s in found if isinstance(s, ast.SelectStmt) and s.limitCount is not None]


def batch_removed(stmts: Sequence[Any]) -> list[Site]:
    """PRF_003: a batched UPDATE/DELETE (its rows chosen by a LIMIT-ed select) runs over all
    rows at once. Inside PL/pgSQL bodies too (DO blocks, functions), where batch loops live."""
    sites = []
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        if _batches(stmt):
            verb = type(stmt).__name__[:-4].upper()
            label = (
                f"{verb} {relname(stmt.relation)}: batch LIMIT removed (one statement for all rows)"
            )
            sites.append(Site(label, partial(_unbatch, index, raw)))
    return sites


def _unbatch(index: int, raw: Any) -> Edit:
    for select in _batches(raw.stmt):
        select.limitCount = None
        select.limitOffset = None
        select.limitOption = enums.LimitOption.LIMIT_OPTION_DEFAULT  # as a select without LIMIT
    return rewrite(index, raw)


def not_valid_removed(stmts: Sequence[Any]) -> list[Site]:
    """PRF_004: a constraint added NOT VALID is validated at once, scanning under a heavy lock."""
    sites = []
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        if not isinstance(stmt, ast.AlterTableStmt):
            continue
        for cmd in stmt.cmds or ():
            con = cmd.def_
            if isinstance(con, ast.Constraint) and con.skip_validation:
                label = f"{relname(stmt.relation)} {con.conname or 'constraint'} validated at once"
                sites.append(Site(label, partial(_validated, index, raw, con)))
    return sites


def _validated(index: int, raw: Any, con: ast.Constraint) -> Edit:
    con.skip_validation = False
    con.initially_valid = True
    return rewrite(index, raw)


def timeout_guard_removed(stmts: Sequence[Any]) -> list[Site]:
    """PRF_005: ``SET [LOCAL] lock_timeout/statement_timeout`` is gone: waits are unbounded."""
    sites = []
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        if isinstance(stmt, ast.VariableSetStmt) and stmt.name in GUARDS and stmt.args:
            local = "LOCAL " if stmt.is_local else ""
            sites.append(Site(f"SET {local}{stmt.name} removed", partial(remove, index)))
    return sites


def index_columns_reversed(stmts: Sequence[Any]) -> list[Site]:
    """PRF_006: a composite index lists its columns in reverse order (leading column lost)."""
    sites = []
    for index, raw in enumerate(stmts):
        stmt = raw.stmt
        if isinstance(stmt, ast.IndexStmt) and len(stmt.indexParams or ()) >= 2:
            params: Any = stmt.indexParams
            if all(p == params[0] for p in params):
                continue
            label = f"index {stmt.idxname or '?'} on {relname(stmt.relation)}: columns reversed"
            sites.append(Site(label, partial(_reverse, index, raw)))
    return sites


def _reverse(index: int, raw: Any) -> Edit:
    raw.stmt.indexParams = tuple(reversed(raw.stmt.indexParams))
    return rewrite(index, raw)
