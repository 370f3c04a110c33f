"""What a mutation run and its worker processes share: the run's session, the watchdog, results.

:class:`MutationSession` holds one run's working copy of the migrations, its template chain and
its database name prefix; :meth:`MutationSession.drive` yields a context per mutant and receives
the check's verdict. Both :mod:`pgtdd.migrations.mutation.runner` (one process) and
:mod:`pgtdd.migrations.mutation.workers` (one per worker process) use it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Generator, Iterable
from pathlib import Path

import psycopg

from pgtdd.databases.janitor import JanitorError
from pgtdd.migrations.mutation.checks import (
    FAIL,
    PASS,
    Check,
    CheckOutcome,
    MutantContext,
    PytestCheck,
    run_callable,
)
from pgtdd.migrations.mutation.mutants import Mutant
from pgtdd.migrations.mutation.report import (
    ERROR,
    KILLED,
    STILLBORN,
    SURVIVED,
    MutationResult,
)
from pgtdd.migrations.runner import MigrationError, MigrationRunner, discover
from pgtdd.migrations.templates import QuickJanitor, TemplateChain, drop_templates, ensure_chain
from pgtdd.redact import redact
from pgtdd.serverinfo import ServerInfo

QUERY_CANCELED = "57014"


class MutationSetupError(RuntimeError):
    """The run cannot start: missing configuration, or the checks fail without any mutation."""


def judge(
    driver: Generator[MutantContext, CheckOutcome, None], check: Check, server: ServerInfo
) -> None:
    """Answer every context ``driver`` yields with ``check``'s outcome, until it is done."""
    if isinstance(check, PytestCheck) and check.mode == "session":
        check.run_session(driver, server)
        return
    try:
        context = next(driver)
        while True:
            context = driver.send(run_callable(check, context))
    except StopIteration:
        pass


class _Watchdog:
    """At the deadline, terminate every session on databases whose name starts with ``prefix``."""

    def __init__(self, server: ServerInfo, prefix: str, seconds: float) -> None:
        self.server, self.prefix, self.fired = server, prefix, False
        self.timer = threading.Timer(max(seconds, 0.001), self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        with psycopg.connect(self.server.url_for("postgres"), autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE starts_with(datname, %s) AND pid <> pg_backend_pid()",
                (self.prefix,),
            )

    def __enter__(self) -> _Watchdog:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()


class MutationSession:
    """One run: a working copy of the folder, the template chain, a database name prefix."""

    def __init__(
        self,
        server: ServerInfo,
        migrations_dir: Path,
        *,
        prefix: str | None = None,
        tmp: str | None = None,
    ) -> None:
        self.server = server
        self.janitor = QuickJanitor(server)
        self.baseline_seconds = 0.0
        # A working copy of the whole folder (any layout): mutants are written into it, never
        # into the project's own files.
        self.workdir = Path(tempfile.mkdtemp(prefix="pgtdd-mutants-", dir=tmp or _fast_tmp()))
        self.prefix = prefix or f"pgtdd_mr_{uuid.uuid4().hex[:8]}"
        try:
            shutil.copytree(migrations_dir, self.workdir, dirs_exist_ok=True)
            self.migrations = discover(self.workdir)
            if not self.migrations:
                raise MutationSetupError(f"no migrations in {migrations_dir}")
            self.chain: TemplateChain = ensure_chain(
                self.janitor, str(self.workdir), self.migrations
            )
        except BaseException:
            self.janitor.close()
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise

    def close(self, keep_templates: bool) -> None:
        try:
            for name in self.janitor.list(self.prefix):
                self.janitor.drop(name)
            if not keep_templates:
                drop_templates(self.janitor, self.chain.built)
        finally:
            self.janitor.close()
            shutil.rmtree(self.workdir, ignore_errors=True)

    def drive(
        self,
        mutants: Iterable[Mutant],
        timeout: float,
        on_result: Callable[[Mutant, MutationResult], None],
    ) -> Generator[MutantContext, CheckOutcome, None]:
        """Yield a context per mutant (the baseline first) and receive the check's outcome;
        ``on_result`` gets each mutant's result.

        The unmutated head must pass, or :class:`MutationSetupError` is raised.
        """
        started = time.perf_counter()
        database = self.janitor.clone(self.chain.head, f"{self.prefix}_base")
        try:
            with _Watchdog(self.server, database.database, timeout) as watchdog:
                outcome = yield MutantContext(database, self.workdir)
        finally:
            self.janitor.drop(database.database)
        if watchdog.fired or outcome.status != PASS:
            detail = "timed out" if watchdog.fired else f"{outcome.status}: {outcome.detail}"
            raise MutationSetupError(
                "the checks do not pass on the unmutated migrations, so no mutant can be judged: "
                + redact(detail, self.server.password)
            )
        self.baseline_seconds = time.perf_counter() - started
        for mutant in mutants:
            result = yield from self._one(mutant, timeout)
            on_result(mutant, result)

    def _one(
        self, mutant: Mutant, timeout: float
    ) -> Generator[MutantContext, CheckOutcome, MutationResult]:
        started = time.perf_counter()
        result = new_result(mutant)
        path, original = mutant.write()
        try:
            result.status, result.detail = yield from self._evaluate(mutant, timeout)
        except (JanitorError, psycopg.Error) as exc:
            result.status, result.detail = ERROR, f"{type(exc).__name__}: {exc}"
        finally:
            path.write_text(original, encoding="utf-8")
        result.detail = redact(result.detail, self.server.password)
        result.duration_seconds = time.perf_counter() - started
        return result

    def _evaluate(
        self, mutant: Mutant, timeout: float
    ) -> Generator[MutantContext, CheckOutcome, tuple[str, str]]:
        deadline = time.monotonic() + timeout
        position = [m.version for m in self.migrations].index(mutant.migration.version)
        base = self.chain.before(position) if mutant.direction == "up" else self.chain.head
        database = self.janitor.clone(base, f"{self.prefix}_{mutant.number:04d}")
        try:
            if mutant.direction == "up":
                failure = self._apply(database, deadline)
                if failure is not None:
                    return failure
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return ERROR, "timed out before the check started"
            with _Watchdog(self.server, database.database, remaining) as watchdog:
                outcome = yield MutantContext(database, self.workdir, mutant)
        finally:
            self.janitor.drop(database.database)
        if watchdog.fired:
            return ERROR, f"timed out after {timeout:g}s (sessions terminated)"
        if outcome.status == PASS:
            return SURVIVED, ""
        if outcome.status == FAIL:
            return KILLED, outcome.detail
        return ERROR, outcome.detail

    def _apply(self, database: ServerInfo, deadline: float) -> tuple[str, str] | None:
        """Migrate the clone to head with the mutated file; a failure makes it stillborn."""
        remaining_ms = max(int((deadline - time.monotonic()) * 1000), 1)
        options = f"-c statement_timeout={remaining_ms}"
        with psycopg.connect(database.url, autocommit=True, options=options) as conn:
            try:
                MigrationRunner(conn, self.workdir).up()
            except MigrationError as exc:
                if exc.sqlstate == QUERY_CANCELED:
                    return ERROR, f"timed out applying the migrations: {exc}"
                return STILLBORN, f"migrations do not apply: {exc}"
        return None


def new_result(mutant: Mutant, status: str = ERROR) -> MutationResult:
    """A result for ``mutant`` (status to be filled in)."""
    return MutationResult(
        mutant.mutation, mutant.file_name, mutant.direction, mutant.site, status,
        number=mutant.number, also_generated_by=list(mutant.also_generated_by),
        diff=mutant.diff(),
    )  # fmt: skip


def progress_line(mutant: Mutant, result: MutationResult, total: int) -> str:
    """The verbose line for one judged mutant."""
    return (
        f"[{mutant.number:3d}/{total}] {result.status:<9} {mutant.mutation.id} "
        f"{mutant.file_name}: {mutant.site} ({result.duration_seconds * 1000:.0f} ms)"
    )


def _fast_tmp() -> str | None:
    """``/dev/shm`` when writable (creating files there avoids the disk), else the default."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
