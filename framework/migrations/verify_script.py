"""One file of a migration as ``verify`` runs it: its statements, with their lines in the file,
and whether they may run inside a transaction (the layout's rule, then PostgreSQL's parser:
:func:`pgtdd.migrations.execution.make_plan`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from pgtdd.migrations.execution import make_plan, split
from pgtdd.migrations.model import TRANSACTION, Migration
from pgtdd.migrations.verify_report import StepFailure
from pgtdd.redact import redact

# SQLSTATEs of statements that cannot run inside a transaction block: active_sql_transaction
# (CONCURRENTLY, VACUUM...), invalid_transaction_termination (COMMIT in a procedure),
# unsafe_new_enum_value_usage (an enum value used in the transaction that added it).
REFUSED_IN_TRANSACTION = frozenset({"25001", "2D000", "55P04"})
Connection = psycopg.Connection[Any]


@dataclass
class Script:
    """One direction of a migration: ``statements`` as (SQL, line in the file) pairs, run one by
    one; ``transactional``: whether they may run inside a transaction; ``note``: what pgtdd does
    differently from the tool, if anything."""

    file: str
    text: str
    statements: list[tuple[str, int]] = field(default_factory=list)
    transactional: bool = True
    note: str | None = None

    @classmethod
    def of(cls, migration: Migration, direction: str, folder: Path | None = None) -> Script | None:
        """The ``up`` or ``down`` script (``None``: the migration has no down SQL). ``folder``:
        the migrations folder, to name files relative to it."""
        if direction == "down" and not migration.has_down:
            return None
        section = migration.section(direction)
        plan = make_plan(migration, direction)
        script = cls(_relative(section.path, folder), section.sql, note=plan.note)
        script.transactional = plan.mode == TRANSACTION
        units = split(section) if script.transactional and plan.parsed else plan.units
        script.statements = [_located(u.sql, u.line) for u in units if u.sql.strip()]
        return script

    @property
    def empty(self) -> bool:
        """Only comments (or nothing): the file does nothing."""
        return not self.statements


def _relative(path: Path, folder: Path | None) -> str:
    try:
        return str(path.relative_to(folder)) if folder is not None else path.name
    except ValueError:
        return path.name


def _located(text: str, first_line: int) -> tuple[str, int]:
    """A statement's text without the comments before it, and the line it starts on."""
    skipped = 0
    while True:
        rest = text[skipped:]
        stripped = rest.lstrip()
        skipped += len(rest) - len(stripped)
        if stripped.startswith("--"):
            newline = stripped.find("\n")
            skipped += len(stripped) if newline < 0 else newline + 1
        elif stripped.startswith("/*") and "*/" in stripped:
            skipped += stripped.index("*/") + 2
        else:
            break
    return text[skipped:].strip(), first_line + text[:skipped].count("\n")


class ScriptFailed(Exception):
    """A step of a migration failed; ``refused``: only because it ran in a transaction."""

    def __init__(self, failure: StepFailure, refused: bool) -> None:
        super().__init__(failure.message)
        self.failure, self.refused = failure, refused


def run_script(conn: Connection, script: Script, step: str, *, in_transaction: bool) -> None:
    """Run a script's statements in order; a failure raises :class:`ScriptFailed` naming the file,
    the statement, its line and the server's error."""
    for statement, line in script.statements:
        try:
            conn.execute(statement.encode())
        except psycopg.Error as exc:
            state = exc.sqlstate
            line += _error_lines(statement, exc)
            message = redact(exc.diag.message_primary or str(exc))
            if exc.diag.context:
                message += f" ({exc.diag.context.strip().splitlines()[-1]})"
            failure = StepFailure(step, script.file, message, state, statement.strip(), line)
            raise ScriptFailed(failure, in_transaction and state in REFUSED_IN_TRANSACTION) from exc


def _error_lines(text: str, exc: psycopg.Error) -> int:
    """Lines from the start of ``text`` to where the server says the error is (0 when it does
    not say)."""
    position = exc.diag.statement_position
    return text[: int(position) - 1].count("\n") if position else 0
