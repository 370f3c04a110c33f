"""Mutation sites inside PL/pgSQL bodies (``DO`` blocks, functions, procedures).

PL/pgSQL's own parser (through pglast) finds the SQL statements of a body; each is parsed as
SQL, and a mutation's finder runs on it as on a top-level statement. Applying a site rewrites
that statement inside the body (a removed statement becomes PL/pgSQL's ``NULL;``, which is
valid wherever a statement is), checks that the new body still parses as PL/pgSQL, and prints
the enclosing statement again. What cannot be mutated is counted with its reason: dynamic SQL
(``EXECUTE``), a body PL/pgSQL's parser refuses, a statement whose text the body does not hold
as is (``SELECT ... INTO``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import pglast
from pglast import ast

from pgtdd.migrations.sql_ast import (
    Edit,
    Site,
    SqlParseError,
    parse,
    plpgsql_body,
    rewrite,
    to_sql,
)

PROBE_TAG = "$pgtdd_body$"
DYNAMIC = "dynamic SQL (EXECUTE): its text is built when it runs"
UNPARSED = "a PL/pgSQL body its parser refuses"
NOT_VERBATIM = "a statement whose text the body does not hold as is (SELECT ... INTO)"
SQL_BODY = "a statement in a LANGUAGE sql function body (not mutated)"
Finder = Callable[[Sequence[ast.RawStmt]], list[Site]]


@dataclass(frozen=True)
class BodyStatement:
    """One SQL statement inside the body of top-level statement ``index``."""

    index: int
    raw: ast.RawStmt
    body: ast.String
    query: str
    occurrence: int  # how many identical texts come before it in the body

    def label(self, inner: str) -> str:
        """A site's label, saying where the body is."""
        kind = "DO block" if isinstance(self.raw.stmt, ast.DoStmt) else _function_name(self.raw)
        return f"{inner} (in {kind})"


def _function_name(raw: ast.RawStmt) -> str:
    names = getattr(raw.stmt, "funcname", None) or ()
    name = ".".join(str(getattr(n, "sval", "?")) for n in names)
    return f"function {name}" if name else "a function body"


def body_statements(stmts: Sequence[ast.RawStmt]) -> tuple[list[BodyStatement], Counter[str]]:
    """The statements inside PL/pgSQL bodies, and what could not be read (reason -> count)."""
    found: list[BodyStatement] = []
    unread: Counter[str] = Counter()
    for index, raw in enumerate(stmts):
        body = plpgsql_body(raw.stmt)
        if body is None:
            continue
        text = str(body.sval)
        tree = _plpgsql_tree(raw.stmt, body, text)
        if tree is None:
            unread[UNPARSED] += 1
            continue
        seen: Counter[str] = Counter()
        cursor = 0
        for kind, query in _statements(tree):
            if kind == "dynamic":
                unread[DYNAMIC] += 1
                continue
            position = text.find(query, cursor)
            if position < 0:
                unread[NOT_VERBATIM] += 1
                continue
            cursor = position + len(query)
            found.append(BodyStatement(index, raw, body, query, seen[query]))
            seen[query] += 1
    return found, unread


def _plpgsql_tree(stmt: ast.Node | None, body: ast.String, text: str) -> Any:
    """PL/pgSQL's parse tree of ``text`` as the body of ``stmt`` (a function keeps its own
    signature: its parameters are variables, its result type decides what RETURN may do)."""
    if isinstance(stmt, ast.DoStmt):
        if PROBE_TAG in text:
            return None
        probe = (
            f"CREATE FUNCTION pgtdd_probe() RETURNS void LANGUAGE plpgsql AS {PROBE_TAG}"
            f"{text}{PROBE_TAG}"
        )
    else:
        saved = body.sval
        body.sval = text
        try:
            probe = to_sql(stmt)
        finally:
            body.sval = saved
    try:
        return json.loads(pglast.parser.parse_plpgsql_json(probe))
    except pglast.parser.ParseError:
        return None


def _statements(node: Any) -> Iterator[tuple[str, str]]:
    """(``"sql"`` or ``"dynamic"``, text) of each statement, in the order of the source."""
    if isinstance(node, dict):
        execsql = node.get("PLpgSQL_stmt_execsql")
        if isinstance(execsql, dict):
            query = execsql.get("sqlstmt", {}).get("PLpgSQL_expr", {}).get("query")
            if isinstance(query, str):
                yield "sql", query
        if "PLpgSQL_stmt_dynexecute" in node:
            yield "dynamic", ""
        for value in node.values():
            yield from _statements(value)
    elif isinstance(node, list):
        for value in node:
            yield from _statements(value)


def sites_in_bodies(finder: Finder, stmts: Sequence[ast.RawStmt]) -> list[Site]:
    """``finder``'s sites in every statement of every PL/pgSQL body of ``stmts``."""
    sites = []
    for statement in body_statements(stmts)[0]:
        try:
            inner = parse(statement.query)
        except SqlParseError:
            continue
        if len(inner) != 1:
            continue
        for number, site in enumerate(finder(inner)):
            label = statement.label(site.label)
            sites.append(Site(label, partial(_apply, statement, finder, number)))
    return sites


def _apply(statement: BodyStatement, finder: Finder, number: int) -> Edit:
    """Apply the inner site to the statement's text in the body, then reprint the outer one."""
    inner = parse(statement.query)
    edit = finder(inner)[number].apply()
    if edit.order is not None or set(edit.replace) - {0}:
        raise SqlParseError("the mutation does not apply to one statement of a PL/pgSQL body")
    text = edit.replace.get(0, statement.query)
    body = str(statement.body.sval)
    position = _nth(body, statement.query, statement.occurrence)
    if position < 0:
        raise SqlParseError("the statement is no longer in the PL/pgSQL body")
    new_body = (
        body[:position]
        + ("NULL" if text is None else text)
        + body[position + len(statement.query) :]
    )
    if _plpgsql_tree(statement.raw.stmt, statement.body, new_body) is None:
        raise SqlParseError("the mutated PL/pgSQL body does not parse")
    statement.body.sval = new_body
    return rewrite(statement.index, statement.raw)


def _nth(text: str, needle: str, occurrence: int) -> int:
    position = -1
    for _ in range(occurrence + 1):
        position = text.find(needle, position + 1)
        if position < 0:
            return -1
    return position


def sql_body_statements(stmts: Sequence[ast.RawStmt]) -> list[ast.RawStmt]:
    """The statements of LANGUAGE sql function bodies (quoted or ``BEGIN ATOMIC``)."""
    found: list[ast.RawStmt] = []
    for raw in stmts:
        stmt = raw.stmt
        if not isinstance(stmt, ast.CreateFunctionStmt):
            continue
        if stmt.sql_body is not None:
            found += [ast.RawStmt(stmt=node) for node in _atomic(stmt.sql_body)]
            continue
        language, body = _language_and_body(stmt)
        if language == "sql" and body is not None:
            try:
                found += list(parse(body))
            except SqlParseError:
                continue
    return found


def _atomic(sql_body: Any) -> list[ast.Node]:
    items = sql_body if isinstance(sql_body, tuple | list) else (sql_body,)
    nodes: list[ast.Node] = []
    for item in items:
        if isinstance(item, tuple | list):
            nodes += [n for n in item if isinstance(n, ast.Node)]
        elif isinstance(item, ast.Node):
            nodes.append(item)
    return nodes


def _language_and_body(stmt: ast.CreateFunctionStmt) -> tuple[str, str | None]:
    language, body = "", None
    for option in stmt.options or ():
        arg = option.arg
        if option.defname == "language" and isinstance(arg, ast.String):
            language = str(arg.sval).lower()
        elif option.defname == "as":
            if isinstance(arg, tuple | list) and len(arg) == 1:
                arg = arg[0]
            if isinstance(arg, ast.String):
                body = str(arg.sval)
    return language, body
