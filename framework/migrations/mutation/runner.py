"""Run every mutant of a migration project against its checks, each in its own database.

For an up-file mutant of migration k the runner clones the template holding migrations 1..k-1,
applies the mutated file and the migrations after it (a failure there makes the mutant
*stillborn*), then runs the check against that database. A down-file mutant gets a clone of the
head template: its down file is only ever run by the checks. Each mutant has a deadline: the
migrations run with ``statement_timeout`` and, when the deadline passes, the sessions of the
mutant's databases are terminated so the check stops.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import psycopg

from pgtdd.databases.janitor import JanitorError
from pgtdd.migrations.mutation.catalogue import Mutation, MutationRegistry
from pgtdd.migrations.mutation.checks import (
    FAIL,
    PASS,
    AppliedMutation,
    Check,
    CheckOutcome,
    MutantContext,
    PytestCheck,
    detector,
    run_callable,
)
from pgtdd.migrations.mutation.mutants import Mutant, generate_mutants
from pgtdd.migrations.mutation.report import (
    ERROR,
    KILLED,
    STILLBORN,
    SURVIVED,
    MutationReport,
    MutationResult,
)
from pgtdd.migrations.runner import (
    MigrationError,
    MigrationRunner,
    discover,
)
from pgtdd.migrations.templates import (
    QuickJanitor,
    TemplateChain,
    drop_templates,
    ensure_chain,
)
from pgtdd.redact import redact
from pgtdd.server import ServerInfo

if TYPE_CHECKING:
    from pgtdd.migrations.mutation.workers import WorkerPool

DEFAULT_TIMEOUT = 300.0
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


def env_timeout() -> float:
    """``MUTATION_TIMEOUT`` (seconds per mutant), default 300."""
    raw = os.environ.get("MUTATION_TIMEOUT")
    if raw is None:
        return DEFAULT_TIMEOUT
    try:
        return float(raw)
    except ValueError:
        raise MutationSetupError(f"MUTATION_TIMEOUT={raw!r} is not a number of seconds") from None


def env_workers() -> int:
    """``MUTATION_WORKERS`` (processes judging mutants at once), default 1."""
    raw = os.environ.get("MUTATION_WORKERS")
    if raw is None or not raw.strip():
        return 1
    try:
        workers = int(raw)
    except ValueError:
        workers = 0
    if workers < 1:
        raise MutationSetupError(f"MUTATION_WORKERS={raw!r} is not a number of processes (>= 1)")
    return workers


def env_verbose(default: bool = True) -> bool:
    """``MUTATION_VERBOSE`` (true/false, 1/0, yes/no)."""
    raw = os.environ.get("MUTATION_VERBOSE")
    if raw is None:
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


@dataclass
class MutationTestResult:
    """Every mutant one mutation produced for the project (spec ``run_mutation``)."""

    mutation: Mutation
    results: list[MutationResult]

    @property
    def killed(self) -> bool:
        """All judged mutants were killed (and there was at least one)."""
        judged = [r for r in self.results if r.status != STILLBORN]
        return bool(judged) and all(r.status == KILLED for r in judged)

    @property
    def survived(self) -> list[MutationResult]:
        """The sites whose mutant survived."""
        return [r for r in self.results if r.status == SURVIVED]


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


class MutationRunner:
    """Runs the catalogue's mutants of ``migrations_dir`` against ``check`` on ``server``.

    ``check`` is a callable taking a :class:`MutantContext` (see
    :func:`pgtdd.migrations.mutation.checks.run_callable` for how its outcome is read) or a
    :class:`~pgtdd.migrations.mutation.checks.PytestCheck`. ``verbose`` defaults to
    ``MUTATION_VERBOSE`` (else True); ``timeout_seconds`` per mutant to ``MUTATION_TIMEOUT``
    (else 300). ``workers`` (default ``MUTATION_WORKERS``, else 1) judges mutants in that many
    processes at once, each with its own pytest session and databases; it needs a
    :class:`~pgtdd.migrations.mutation.checks.PytestCheck` and mutations of the catalogue.
    """

    def __init__(
        self,
        registry: MutationRegistry | None = None,
        verbose: bool | None = None,
        *,
        migrations_dir: Path | str | None = None,
        server: ServerInfo | None = None,
        check: Check | None = None,
        timeout_seconds: float | None = None,
        keep_templates: bool = False,
        out: TextIO | None = None,
        workers: int | None = None,
    ) -> None:
        self.registry = registry or MutationRegistry()
        self.verbose = env_verbose() if verbose is None else verbose
        self.migrations_dir = Path(migrations_dir) if migrations_dir is not None else None
        self.server = server
        self.check = check
        self.timeout_seconds = timeout_seconds
        self.keep_templates = keep_templates
        self.out = out or sys.stderr
        self.workers = workers

    # --- public API ----------------------------------------------------------------------

    def run_mutation_suite(
        self,
        registry: MutationRegistry | None = None,
        timeout_seconds: float | None = None,
        max_mutations: int | None = None,
    ) -> MutationReport:
        """Run every distinct mutant (at most ``max_mutations``), each within
        ``timeout_seconds``; the checks must pass on the unmutated project first."""
        registry = registry or self.registry
        timeout = self._timeout(timeout_seconds)
        check = self._require_check()
        report = MutationReport(
            project=str(self.migrations_dir), mutations_in_catalogue=len(registry)
        )
        workers = self._workers(check, max_mutations)
        started = time.perf_counter()
        with self._session() as session, _pool(session, check, timeout, workers) as pool:
            # the workers start (imports, pytest collection, baseline) while the mutants are made
            mutants = generate_mutants(session.migrations, registry, max_mutations)
            report.results = self._drive(session, mutants, check, timeout, pool)
            report.baseline_seconds = session.baseline_seconds
        report.duration_seconds = time.perf_counter() - started
        if self.verbose:
            self._say(report.get_summary())
        return report

    def run_mutation(
        self,
        mutation: Mutation,
        test_function: Callable[[AppliedMutation], bool] | None = None,
        timeout_seconds: float | None = None,
    ) -> MutationTestResult:
        """Run one mutation's mutants. ``test_function(mutation) -> bool`` (True = killed, as in
        the spec) replaces the runner's check when given (and runs in this process); it gets
        the :class:`Mutation` as an ``AppliedMutation`` (``mutation.context``: the mutant's
        database; ``mutation.applied`` is ``False`` on the unmutated baseline run)."""
        check = (
            detector(test_function, mutation)
            if test_function is not None
            else self._require_check()
        )
        workers = self._workers(check, None) if test_function is None else 1
        timeout = self._timeout(timeout_seconds)
        with self._session() as session, _pool(session, check, timeout, workers) as pool:
            mutants = generate_mutants(session.migrations, MutationRegistry([mutation]))
            results = self._drive(session, mutants, check, timeout, pool)
        return MutationTestResult(mutation, results)

    # --- helpers -------------------------------------------------------------------------

    def _drive(
        self,
        session: _Session,
        mutants: list[Mutant],
        check: Check,
        timeout: float,
        pool: WorkerPool | None,
    ) -> list[MutationResult]:
        if pool is not None:
            return pool.judge(mutants, self._say)
        results: list[MutationResult] = []

        def record(mutant: Mutant, result: MutationResult) -> None:
            results.append(result)
            self._say(progress_line(mutant, result, len(mutants)))

        judge(session.drive(mutants, timeout, record), check, session.server)
        return results

    def _workers(self, check: Check, max_mutations: int | None) -> int:
        """Processes to judge mutants in: ``workers=`` or ``MUTATION_WORKERS`` (pytest checks),
        no more than ``max_mutations``."""
        workers = self.workers
        if workers is None:
            workers = env_workers() if isinstance(check, PytestCheck) else 1
        if workers < 1:
            raise MutationSetupError(f"workers={workers}: give 1 or more processes")
        if workers > 1 and not isinstance(check, PytestCheck):
            raise MutationSetupError(
                f"workers={workers} needs a PytestCheck: a callable check cannot be sent to "
                "another process (use workers=1, or check=PytestCheck([...tests...]))"
            )
        return workers if max_mutations is None else max(min(workers, max_mutations), 1)

    def _timeout(self, given: float | None) -> float:
        if given is not None:
            return given
        return self.timeout_seconds if self.timeout_seconds is not None else env_timeout()

    def _require_check(self) -> Check:
        if self.check is None:
            raise MutationSetupError(
                "no check to judge mutants with: MutationRunner(check=callable or PytestCheck)"
            )
        return self.check

    def _say(self, line: str) -> None:
        if self.verbose:
            print(line, file=self.out, flush=True)

    @contextmanager
    def _session(self) -> Iterator[_Session]:
        if self.migrations_dir is None or self.server is None:
            raise MutationSetupError(
                "MutationRunner needs migrations_dir= (a folder of NNN_name.up.sql files) and "
                "server= (a ServerInfo, e.g. the pgtdd_server fixture) to run mutants"
            )
        session = _Session(self.server, self.migrations_dir)
        try:
            yield session
        finally:
            session.close(keep_templates=self.keep_templates)


class _Session:
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
        self.migrations = discover(migrations_dir)
        if not self.migrations:
            self.janitor.close()
            raise MutationSetupError(f"no migrations in {migrations_dir}")
        self.workdir = Path(tempfile.mkdtemp(prefix="pgtdd-mutants-", dir=tmp or _fast_tmp()))
        for path in Path(migrations_dir).glob("*.sql"):
            shutil.copy2(path, self.workdir / path.name)
        self.prefix = prefix or f"pgtdd_mr_{uuid.uuid4().hex[:8]}"
        try:
            self.chain: TemplateChain = ensure_chain(
                self.janitor, str(self.workdir), discover(self.workdir)
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
        if mutant.error is not None:
            result.status, result.detail = STILLBORN, mutant.error
        else:
            path = self.workdir / mutant.file_name
            path.write_text(mutant.sql, encoding="utf-8")
            try:
                result.status, result.detail = yield from self._evaluate(mutant, timeout)
            except (JanitorError, psycopg.Error) as exc:
                result.status, result.detail = ERROR, f"{type(exc).__name__}: {exc}"
            finally:
                path.write_text(mutant.original, encoding="utf-8")
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


@contextmanager
def _pool(
    session: _Session, check: Check, timeout: float, workers: int
) -> Iterator[WorkerPool | None]:
    """Worker processes when ``workers`` > 1 (stopped on the way out), else ``None``."""
    if workers <= 1:
        yield None
        return
    from pgtdd.migrations.mutation.workers import WorkerPool

    assert isinstance(check, PytestCheck)
    with WorkerPool(session, check, timeout, workers) as pool:
        yield pool


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
