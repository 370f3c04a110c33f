"""Parse SQL with PostgreSQL's own parser (pglast), edit statements, print SQL back.

A migration is parsed into its statements; an :class:`Edit` replaces, removes or reorders
statements; :func:`render` splices the printed statements into the original text, so untouched
statements keep their exact text and comments. Offsets from the parser (pglast) are in characters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pglast
from pglast import ast
from pglast.stream import IndentedStream, RawStream


class SqlParseError(ValueError):
    """The SQL does not parse (the message carries PostgreSQL's parser error)."""


def parse(sql: str) -> tuple[Any, ...]:
    """The statements of ``sql`` (empty for a file of comments), or :class:`SqlParseError`."""
    try:
        return tuple(pglast.parse_sql(sql))
    except pglast.parser.ParseError as exc:
        raise SqlParseError(f"SQL does not parse: {exc}") from exc


def to_sql(node: Any) -> str:
    """Print one statement (or expression) back to SQL."""
    return str(RawStream()(node))


def to_pretty_sql(node: Any) -> str:
    """Print one statement back to SQL over several indented lines (for readable mutants)."""
    return str(IndentedStream(comma_at_eoln=True)(node))


def same_statements(a: Sequence[ast.RawStmt], b: Sequence[ast.RawStmt]) -> bool:
    """Whether two parsed scripts are the same tree (positions and formatting ignored)."""
    return len(a) == len(b) and all(x.stmt == y.stmt for x, y in zip(a, b, strict=True))


def statement_span(sql: str, stmt: ast.RawStmt) -> tuple[int, int]:
    """Character span of a statement's text, without its terminating semicolon (pglast gives
    character offsets: a file with non-ASCII text before a statement would be cut wrong in
    bytes)."""
    start = stmt.stmt_location or 0
    end = start + stmt.stmt_len if stmt.stmt_len else len(sql)
    return start, end


def statement_text(sql: str, stmt: ast.RawStmt) -> str:
    """The original text of one statement."""
    start, end = statement_span(sql, stmt)
    return sql[start:end].strip()


@dataclass
class Edit:
    """Changes to a script: statement index -> new SQL (``None`` removes it), or a new order."""

    replace: dict[int, str | None] = field(default_factory=dict)
    order: list[int] | None = None

    def merge(self, other: Edit) -> None:
        """Fold ``other`` into this edit (a removal wins over a rewrite of the same statement)."""
        for index, text in other.replace.items():
            if index in self.replace and self.replace[index] is None:
                continue
            self.replace[index] = text
        if other.order is not None:
            self.order = other.order


def render(sql: str, stmts: Sequence[ast.RawStmt], edit: Edit) -> str:
    """The script with ``edit`` applied; untouched statements keep their text and comments."""
    if edit.order is not None:
        parts = [edit.replace.get(i, statement_text(sql, stmts[i])) for i in edit.order]
        header = sql[: statement_span(sql, stmts[0])[0]] if stmts else ""
        return header + "".join(f"{p};\n" for p in parts if p is not None)
    text = sql
    for index in sorted(edit.replace, reverse=True):
        start, end = statement_span(sql, stmts[index])
        new = edit.replace[index]
        if new is None:
            if text[end : end + 1] == ";":
                end += 1
            text = text[:start] + text[end:]
        else:
            text = text[:start] + new + text[end:]
    return text


def walk(node: Any) -> Iterator[ast.Node]:
    """Every node under ``node`` (itself included), depth first."""
    if isinstance(node, ast.Node):
        yield node
        for name in node:
            yield from walk(getattr(node, name))
    elif isinstance(node, tuple | list):
        for item in node:
            yield from walk(item)


def without(items: tuple[Any, ...] | None, target: object) -> tuple[Any, ...] | None:
    """``items`` without ``target`` (by identity); ``None`` when nothing is left."""
    kept = tuple(x for x in items or () if x is not target)
    return kept or None


def relname(node: ast.RangeVar | None) -> str:
    """``schema.table`` or ``table`` of a RangeVar."""
    if node is None:
        return "?"
    return f"{node.schemaname}.{node.relname}" if node.schemaname else str(node.relname)


def dotted(names: Sequence[ast.Node] | None) -> str:
    """``a.b`` from a tuple of String nodes."""
    return ".".join(str(getattr(n, "sval", "*")) for n in names or ())


# --- PL/pgSQL bodies (DO blocks and functions) -------------------------------------------


def plpgsql_body(stmt: ast.Node | None) -> ast.String | None:
    """The String node holding the PL/pgSQL body of a ``DO`` block or a function/procedure."""
    if isinstance(stmt, ast.DoStmt):
        options = stmt.args or ()
    elif isinstance(stmt, ast.CreateFunctionStmt):
        options = stmt.options or ()
    else:
        return None
    language = "plpgsql"
    body: ast.String | None = None
    for option in options:
        arg = option.arg
        if option.defname == "language" and isinstance(arg, ast.String):
            language = str(arg.sval).lower()
        elif option.defname == "as":
            if isinstance(arg, tuple | list) and len(arg) == 1:
                arg = arg[0]
            body = arg if isinstance(arg, ast.String) else None
    return body if language == "plpgsql" else None


# --- mutation sites --------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """One place a mutation can change: ``apply()`` edits the parsed tree and says how."""

    label: str
    apply: Callable[[], Edit]


def rewrite(index: int, stmt: ast.RawStmt) -> Edit:
    """An edit printing statement ``index`` again, after its tree was changed in place.

    The printed text must parse back to the same tree, so a printer quirk can never turn a
    mutation into a different one; otherwise (or when the printer cannot print the changed
    tree) :class:`SqlParseError` is raised: the caller skips that change.
    """
    shown = ""
    for printer in (to_pretty_sql, to_sql):
        try:
            text = printer(stmt.stmt)
        except Exception as exc:  # noqa: BLE001 - any printer failure means: skip this change
            shown = shown or f"the printer failed: {type(exc).__name__}: {exc}"
            continue
        shown = text
        try:
            reparsed = parse(text)
        except SqlParseError:
            continue
        if len(reparsed) == 1 and reparsed[0].stmt == stmt.stmt:
            return Edit({index: text})
    raise SqlParseError(f"printed statement does not parse back to the same tree: {shown}")


def remove(index: int) -> Edit:
    """An edit removing statement ``index``."""
    return Edit({index: None})
