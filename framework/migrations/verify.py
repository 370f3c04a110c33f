"""Check that every migration's down undoes its up: ``pgtdd migrate verify DIR``.

For each migration in order: its up is applied and the schema snapshotted; then its down runs,
the schema must equal the one before the up, and the up runs again, the schema must equal the
one after the first up. The checks run in one database of their own (created empty, dropped at
the end). The cheap path uses PostgreSQL's transactional DDL: the up runs in a transaction that
commits, the down and the second up in one that is rolled back, with a catalog snapshot (one
round trip) after each step. A migration PostgreSQL refuses to run inside a transaction block
(``CREATE INDEX CONCURRENTLY``, ``COMMIT`` in a procedure, its own ``BEGIN``/``COMMIT``...)
runs statement by statement in autocommit on a copy of the database (``CREATE DATABASE ...
TEMPLATE``) instead, so a failure never leaves the next migration a half-applied state.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import psycopg
from pglast import ast

from pgtdd.databases.janitor import unique_name
from pgtdd.migrations.runner import Migration, MigrationError, MigrationRunner, discover
from pgtdd.migrations.runner import needs_autocommit as _needs_autocommit
from pgtdd.migrations.snapshot import SchemaSnapshot, SchemaSnapshotter
from pgtdd.migrations.sql_ast import SqlParseError, parse, statement_span
from pgtdd.migrations.templates import QuickJanitor
from pgtdd.migrations.verify_report import (
    DOWN,
    REDO,
    Difference,
    MigrationCheck,
    StepFailure,
    VerifyReport,
    differences,
)
from pgtdd.migrations.verify_rules import VerifyRules
from pgtdd.redact import redact
from pgtdd.server import ServerInfo

# SQLSTATEs of statements that cannot run inside a transaction block: active_sql_transaction
# (CONCURRENTLY, VACUUM...), invalid_transaction_termination (COMMIT in a procedure),
# unsafe_new_enum_value_usage (an enum value used in the transaction that added it).
REFUSED_IN_TRANSACTION = frozenset({"25001", "2D000", "55P04"})
DATABASE_PREFIX = "pgtdd_verify"
Connection = psycopg.Connection[Any]


@dataclass
class Script:
    """One file of a migration, split into statements by the parser."""

    file: str
    text: str
    statements: list[tuple[str, int]] = field(default_factory=list)  # (SQL, line)
    transactional: bool = True

    @classmethod
    def of(cls, migration: Migration, direction: str) -> Script | None:
        """The ``up`` or ``down`` script (``None``: the migration has no down file)."""
        path = migration.up_path if direction == "up" else migration.down_path
        if path is None:
            return None
        text = migration.read(direction)
        script = cls(path.name, text)
        try:
            stmts = parse(text)
        except SqlParseError:  # the server will say what is wrong, with its own position
            script.statements = [(text, 1)]
            script.transactional = not _needs_autocommit(text)
            return script
        for stmt in stmts:
            start, end = statement_span(text, stmt)
            script.statements.append(_located(text, start, end))
        own_transactions = any(isinstance(s.stmt, ast.TransactionStmt) for s in stmts)
        script.transactional = not (own_transactions or _needs_autocommit(text))
        return script

    @property
    def empty(self) -> bool:
        """Only comments (or nothing): the file does nothing."""
        return not self.statements


def _located(sql: str, start: int, end: int) -> tuple[str, int]:
    """A statement's text without the comments before it, and the line it starts on."""
    text = sql[start:end]
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
    line = sql[:start].count("\n") + text[:skipped].count("\n") + 1
    return text[skipped:].strip(), line


class ScriptFailed(Exception):
    """A step of a migration failed; ``refused``: only because it ran in a transaction."""

    def __init__(self, failure: StepFailure, refused: bool) -> None:
        super().__init__(failure.message)
        self.failure, self.refused = failure, refused


class _Workspace:
    """The run's database (the state after the migrations applied so far) and its connection."""

    def __init__(self, server: ServerInfo, migrations_dir: Path) -> None:
        self.janitor = QuickJanitor(server)
        self.prefix = unique_name(DATABASE_PREFIX)
        self.current = self.janitor.create(f"{self.prefix}_0")
        self.copies = 0
        self.conn = self._connect(self.current)
        with MigrationRunner(self.conn, migrations_dir) as runner:
            runner.ensure_tracking_table()  # some migrations refer to it (GRANT...)
            self.exclude = (runner.tracking_table.rsplit(".", 1)[-1],)

    @staticmethod
    def _connect(server: ServerInfo) -> Connection:
        return psycopg.connect(
            server.url, autocommit=True, options="-c client_min_messages=warning"
        )

    def snapshot(self, conn: Connection | None = None) -> SchemaSnapshot:
        """The schema as ``conn`` (default: the current database's) sees it now."""
        return SchemaSnapshotter(conn or self.conn, exclude_tables=self.exclude).capture()

    def copy(self) -> tuple[ServerInfo, Connection]:
        """A copy of the current database, and a connection to it (the current one's is closed:
        a template cannot have other sessions)."""
        self.conn.close()
        self.copies += 1
        try:
            copy = self.janitor.clone(self.current.database, f"{self.prefix}_{self.copies}")
        finally:
            self.conn = self._connect(self.current)
        return copy, self._connect(copy)

    def discard(self, copy: ServerInfo, conn: Connection) -> None:
        """Drop a copy."""
        conn.close()
        self.janitor.drop(copy.database)

    def adopt(self, copy: ServerInfo, conn: Connection) -> None:
        """Make ``copy`` the current database (the old one is dropped)."""
        self.conn.close()
        self.janitor.drop(self.current.database)
        self.current, self.conn = copy, conn

    def close(self) -> None:
        """Close the connection and drop every database of the run."""
        try:
            self.conn.close()
            for name in self.janitor.list(self.prefix):
                self.janitor.drop(name)
        finally:
            self.janitor.close()


class MigrationVerifier:
    """Checks a folder's migrations on ``server`` (a :class:`ServerInfo`; only its server is
    used: the run creates and drops databases of its own).

    ``rules`` (:class:`VerifyRules`) says what not to count as a finding and whether to stop at
    the first failure; ``out`` gets one progress line per migration when given.
    """

    def __init__(
        self,
        server: ServerInfo,
        migrations_dir: Path | str,
        *,
        rules: VerifyRules | None = None,
        out: TextIO | None = None,
    ) -> None:
        self.server = server
        self.migrations_dir = Path(migrations_dir)
        self.rules = rules or VerifyRules()
        self.out = out

    def run(self) -> VerifyReport:
        """Check every migration in order and return the report."""
        migrations = discover(self.migrations_dir)
        if not migrations:
            raise MigrationError(f"no migrations in {self.migrations_dir}")
        report = VerifyReport(str(self.migrations_dir), self.rules)
        started = time.perf_counter()
        workspace = _Workspace(self.server, self.migrations_dir)
        report.database_prefix = workspace.prefix
        try:
            self._check_all(workspace, migrations, report)
        finally:
            workspace.close()
        report.duration_seconds = time.perf_counter() - started
        return report

    def _check_all(
        self, workspace: _Workspace, migrations: Sequence[Migration], report: VerifyReport
    ) -> None:
        before = workspace.snapshot()
        without: list[str] = []  # migrations whose up failed (continue mode)
        for number, migration in enumerate(migrations):
            check, after_up = self._check(workspace, migration, before)
            if without:
                shown = ", ".join(without[:3]) + (" ..." if len(without) > 3 else "")
                check.notes.append(f"checked without the failed up of {shown}")
            report.checks.append(check)
            self._say(f"[{number + 1}/{len(migrations)}] {check.status:<12} {check.label}")
            if after_up is None:
                without.append(check.label)
            else:
                before = after_up
            if check.failure is not None and self.rules.on_error == "stop":
                report.checks += [
                    MigrationCheck(m.label, str(m.version)) for m in migrations[number + 1 :]
                ]
                break

    def _check(
        self, workspace: _Workspace, migration: Migration, before: SchemaSnapshot
    ) -> tuple[MigrationCheck, SchemaSnapshot | None]:
        started = time.perf_counter()
        check = MigrationCheck(migration.label, str(migration.version))
        check.listed_by = self.rules.listed(
            (migration.label, str(migration.version), migration.name)
        )
        up, down = Script.of(migration, "up"), Script.of(migration, "down")
        assert up is not None
        after_up = self._up(workspace, up, check)
        if after_up is not None:
            if down is None or down.empty:
                if not (up.empty and down is not None):
                    why = "no down file" if down is None else "the down holds only comments"
                    check.notes.append(f"irreversible: {why}")
                    check.differences = differences(DOWN, before, after_up, self.rules)
            else:
                self._down_and_redo(workspace, up, down, check, before, after_up)
        check.seconds = time.perf_counter() - started
        check.decide()
        return check, after_up

    def _up(
        self, workspace: _Workspace, up: Script, check: MigrationCheck
    ) -> SchemaSnapshot | None:
        """Apply the up to the current database; its snapshot, or None (``check.failure``)."""
        if up.transactional:
            try:
                with workspace.conn.transaction():
                    run_script(workspace.conn, up, "up", in_transaction=True)
                    after = workspace.snapshot()
                check.path = "transaction"
                return after
            except ScriptFailed as failed:
                if not failed.refused:
                    check.failure = failed.failure
                    return None
        check.path = "clone"
        copy, conn = workspace.copy()
        try:
            run_script(conn, up, "up", in_transaction=False)
            after = workspace.snapshot(conn)
        except ScriptFailed as failed:
            workspace.discard(copy, conn)
            check.failure = failed.failure
            return None
        workspace.adopt(copy, conn)
        return after

    def _down_and_redo(
        self,
        workspace: _Workspace,
        up: Script,
        down: Script,
        check: MigrationCheck,
        before: SchemaSnapshot,
        after_up: SchemaSnapshot,
    ) -> None:
        if up.transactional and down.transactional:
            try:
                with workspace.conn.transaction(force_rollback=True):
                    found, failure = self._steps(
                        workspace.conn, workspace, up, down, before, after_up, True
                    )
                check.differences, check.failure = found, failure
                return
            except ScriptFailed:
                pass  # refused inside a transaction: on a copy instead
        check.path = "clone"
        copy, conn = workspace.copy()
        try:
            found, failure = self._steps(conn, workspace, up, down, before, after_up, False)
        finally:
            workspace.discard(copy, conn)
        check.differences, check.failure = found, failure

    def _steps(
        self,
        conn: Connection,
        workspace: _Workspace,
        up: Script,
        down: Script,
        before: SchemaSnapshot,
        after_up: SchemaSnapshot,
        in_transaction: bool,
    ) -> tuple[list[Difference], StepFailure | None]:
        """Down, snapshot, up again, snapshot: the differences found and the failure, if any.

        In a transaction, a step PostgreSQL refuses there raises :class:`ScriptFailed`."""
        found: list[Difference] = []
        for step, script, expected in ((DOWN, down, before), (REDO, up, after_up)):
            try:
                run_script(conn, script, step, in_transaction=in_transaction)
            except ScriptFailed as failed:
                if failed.refused and in_transaction:
                    raise
                return found, failed.failure
            found += differences(step, expected, workspace.snapshot(conn), self.rules)
        return found, None

    def _say(self, line: str) -> None:
        if self.out is not None:
            print(line, file=self.out, flush=True)


def run_script(conn: Connection, script: Script, step: str, *, in_transaction: bool) -> None:
    """Run a script's statements in order; a failure raises :class:`ScriptFailed` naming the file,
    the statement, its line and the server's error."""
    for statement, line in script.statements:
        try:
            conn.execute(statement.encode())
        except psycopg.Error as exc:
            state = exc.sqlstate
            if len(script.statements) == 1 and statement == script.text:
                line = _error_line(statement, exc) or line
            message = redact(exc.diag.message_primary or str(exc))
            if exc.diag.context:
                message += f" ({exc.diag.context.strip().splitlines()[-1]})"
            failure = StepFailure(step, script.file, message, state, statement.strip(), line)
            raise ScriptFailed(failure, in_transaction and state in REFUSED_IN_TRANSACTION) from exc


def _error_line(text: str, exc: psycopg.Error) -> int | None:
    position = exc.diag.statement_position
    if not position:
        return None
    return text[: int(position) - 1].count("\n") + 1


def verify_migrations(
    server: ServerInfo,
    migrations_dir: Path | str,
    *,
    rules: VerifyRules | None = None,
    out: TextIO | None = None,
) -> VerifyReport:
    """Check every migration of ``migrations_dir`` (see :class:`MigrationVerifier`)."""
    return MigrationVerifier(server, migrations_dir, rules=rules, out=out).run()
