"""Online-safety rules, checked on the parsed migrations (no database needed).

Tables created by an earlier migration hold data in production, so a migration touching them
must not block writers for long: indexes are built CONCURRENTLY, CHECK/FOREIGN KEY constraints
are added NOT VALID and validated afterwards, and a lock_timeout bounds every lock wait.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pglast import ast, enums

from pgtdd.migrations.runner import discover
from pgtdd.migrations.sql_ast import parse, relname

AT = enums.AlterTableType
CT = enums.ConstrType


@functools.lru_cache(maxsize=256)
def _statements(text: str) -> list[Any]:
    """Parsed statements of a file's text (cached: the rules below only read them)."""
    return [s.stmt for s in parse(text)]


def _migrations(folder: Path) -> Iterator[tuple[str, list[Any], set[str]]]:
    """(file name, statements, tables created by earlier migrations) for each up file."""
    existing: set[str] = set()
    for migration in discover(folder):
        stmts = _statements(migration.read("up"))
        yield migration.up_path.name, stmts, set(existing)
        existing |= {relname(s.relation) for s in stmts if isinstance(s, ast.CreateStmt)}


def test_indexes_on_existing_tables_are_built_concurrently(migrations_dir: Path) -> None:
    offenders = [
        f"{name}: {stmt.idxname}"
        for name, stmts, existing in _migrations(migrations_dir)
        for stmt in stmts
        if isinstance(stmt, ast.IndexStmt)
        and relname(stmt.relation) in existing
        and not stmt.concurrent
    ]
    assert not offenders, f"CREATE INDEX without CONCURRENTLY blocks writes: {offenders}"


def test_constraints_on_existing_tables_are_added_not_valid(migrations_dir: Path) -> None:
    offenders = []
    for name, stmts, existing in _migrations(migrations_dir):
        validated = {
            cmd.name
            for stmt in stmts
            if isinstance(stmt, ast.AlterTableStmt)
            for cmd in stmt.cmds
            if cmd.subtype == AT.AT_ValidateConstraint
        }
        for stmt in stmts:
            if not isinstance(stmt, ast.AlterTableStmt) or relname(stmt.relation) not in existing:
                continue
            for cmd in stmt.cmds:
                con = cmd.def_
                if cmd.subtype != AT.AT_AddConstraint or con.contype not in (
                    CT.CONSTR_CHECK,
                    CT.CONSTR_FOREIGN,
                ):
                    continue
                if not con.skip_validation or con.conname not in validated:
                    offenders.append(f"{name}: {con.conname}")
    assert not offenders, f"add constraints NOT VALID, then VALIDATE them: {offenders}"


def test_migrations_altering_existing_tables_set_lock_timeout(migrations_dir: Path) -> None:
    offenders = []
    for name, stmts, existing in _migrations(migrations_dir):
        guarded = False
        for stmt in stmts:
            if isinstance(stmt, ast.VariableSetStmt) and stmt.name == "lock_timeout":
                guarded = guarded or bool(stmt.args)
            if isinstance(stmt, ast.AlterTableStmt) and relname(stmt.relation) in existing:
                if not guarded:
                    offenders.append(name)
                break
    assert not offenders, f"SET lock_timeout before altering existing tables: {offenders}"
