"""Check that every migration's down undoes its up: ``pgtdd migrate verify DIR``.

For each migration in order: its up is applied and the schema snapshotted; then its down runs,
the schema must equal the one before the up, and the up runs again, the schema must equal the
one after the first up. The checks run in one database of their own (created empty with the
layout's history table, dropped at the end); the folder is read as ``pgtdd migrate`` reads it
(golang-migrate, Diesel, dbmate, goose, Flyway), each direction under its tool's transaction
rule where PostgreSQL allows it. The cheap path uses PostgreSQL's transactional DDL: the up runs
in a transaction that commits, the down and the second up in one that is rolled back, with a
catalog snapshot (one round trip) after each step. A migration that cannot run in a transaction
(``CREATE INDEX CONCURRENTLY``, ``COMMIT`` in a procedure, its own ``BEGIN``/``COMMIT``, its
tool's no-transaction mark...) runs outside one, as its tool would, on a copy of the database
(``CREATE DATABASE ... TEMPLATE``), so a failure never leaves the next migration a half-applied
state.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import psycopg

from pgtdd.databases.janitor import unique_name
from pgtdd.migrations.model import Migration, MigrationError
from pgtdd.migrations.runner import MigrationRunner
from pgtdd.migrations.snapshot import SchemaSnapshot, SchemaSnapshotter
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
from pgtdd.migrations.verify_script import Script, ScriptFailed, run_script
from pgtdd.serverinfo import ServerInfo

DATABASE_PREFIX = "pgtdd_verify"
Connection = psycopg.Connection[Any]


@dataclass(frozen=True)
class FolderOptions:
    """How to read the folder, as ``pgtdd migrate`` takes it: ``layout`` (detected when
    ``None``), the history ``tracking_table``, Flyway's ``placeholders`` and ``schemas``."""

    layout: str | None = None
    tracking_table: str | None = None
    placeholders: dict[str, str] = field(default_factory=dict)
    schemas: tuple[str, ...] = ()


class _Workspace:
    """The run's database (the state after the migrations applied so far) and its connection."""

    def __init__(self, server: ServerInfo, folder: Path, options: FolderOptions) -> None:
        self.janitor = QuickJanitor(server)
        self.prefix = unique_name(DATABASE_PREFIX)
        self.search_path: str | None = None
        self.current = self.janitor.create(f"{self.prefix}_0")
        self.copies = 0
        self.conn = self._connect(self.current)
        try:
            self.migrations, self.exclude, self.notes = self._prepare(folder, options)
        except BaseException:
            self.close()
            raise

    def _prepare(
        self, folder: Path, options: FolderOptions
    ) -> tuple[list[Migration], tuple[str, ...], list[str]]:
        """The folder's migrations, the history table to leave out of snapshots, and notes."""
        runner = MigrationRunner(
            self.conn,
            folder,
            layout=options.layout,
            tracking_table=options.tracking_table,
            placeholders=options.placeholders,
            schemas=options.schemas,
        )
        if options.schemas:  # Flyway's: created first, as they hold the history table
            from pgtdd.migrations.layouts.flyway_schemas import prepare

            prepare(self.conn, options.schemas, runner.history)
            row = self.conn.execute("SHOW search_path").fetchone()
            self.search_path = str(row[0]) if row else None
        runner.ensure_tracking_table()  # as the tool makes it (some migrations GRANT on it)
        migrations = runner.discover()
        notes = [f"not {runner.layout.name} migrations, ignored: {f}" for f in runner.ignored]
        return migrations, (runner.history.table.rsplit(".", 1)[-1],), notes

    def _connect(self, server: ServerInfo) -> Connection:
        conn = psycopg.connect(
            server.url, autocommit=True, options="-c client_min_messages=warning"
        )
        if self.search_path is not None:  # Flyway's default schema first, on every connection
            conn.execute("SELECT set_config('search_path', %s, false)", (self.search_path,))
        return conn

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
        layout: str | None = None,
        tracking_table: str | None = None,
        placeholders: dict[str, str] | None = None,
        schemas: Sequence[str] = (),
    ) -> None:
        self.server = server
        self.migrations_dir = Path(migrations_dir)
        self.rules = rules or VerifyRules()
        self.out = out
        self.options = FolderOptions(
            layout, tracking_table, dict(placeholders or {}), tuple(schemas)
        )

    def run(self) -> VerifyReport:
        """Check every migration in order and return the report."""
        if not self.migrations_dir.is_dir():
            raise MigrationError(f"migrations folder not found: {self.migrations_dir}")
        report = VerifyReport(str(self.migrations_dir), self.rules)
        started = time.perf_counter()
        workspace = _Workspace(self.server, self.migrations_dir, self.options)
        report.database_prefix = workspace.prefix
        report.notes = workspace.notes
        try:
            if not workspace.migrations:
                raise MigrationError(f"no migrations in {self.migrations_dir}")
            self._check_all(workspace, workspace.migrations, report)
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
        folder = self.migrations_dir
        up, down = Script.of(migration, "up", folder), Script.of(migration, "down", folder)
        assert up is not None
        check.notes += [script.note for script in (up, down) if script and script.note]
        after_up = self._up(workspace, up, check)
        if after_up is not None:
            if down is None or down.empty:
                if not (up.empty and down is not None):
                    why = "no down SQL" if down is None else "the down holds only comments"
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


def verify_migrations(
    server: ServerInfo,
    migrations_dir: Path | str,
    *,
    rules: VerifyRules | None = None,
    out: TextIO | None = None,
    layout: str | None = None,
    tracking_table: str | None = None,
    placeholders: dict[str, str] | None = None,
    schemas: Sequence[str] = (),
) -> VerifyReport:
    """Check every migration of ``migrations_dir`` (see :class:`MigrationVerifier`)."""
    return MigrationVerifier(
        server, migrations_dir, rules=rules, out=out, layout=layout,
        tracking_table=tracking_table, placeholders=placeholders, schemas=schemas,
    ).run()  # fmt: skip
