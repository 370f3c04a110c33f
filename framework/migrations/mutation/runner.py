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
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pgtdd.migrations.mutation.catalogue import Mutation, MutationRegistry
from pgtdd.migrations.mutation.checks import (
    AppliedMutation,
    Check,
    PytestCheck,
    detector,
)
from pgtdd.migrations.mutation.coverage import CatalogueCoverage, OperatorCoverage
from pgtdd.migrations.mutation.mutants import Mutant, generate_mutants
from pgtdd.migrations.mutation.report import (
    KILLED,
    STILLBORN,
    SURVIVED,
    MutationReport,
    MutationResult,
)
from pgtdd.migrations.mutation.session import (
    MutationSession,
    MutationSetupError,
    judge,
    progress_line,
)
from pgtdd.migrations.mutation.workers import WorkerPool
from pgtdd.serverinfo import ServerInfo

__all__ = ["MutationRunner", "MutationSetupError", "MutationTestResult", "env_timeout"]

DEFAULT_TIMEOUT = 300.0
QUERY_CANCELED = "57014"


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
    coverage: OperatorCoverage = field(default_factory=OperatorCoverage)  # applied, skipped

    @property
    def killed(self) -> bool:
        """All judged mutants were killed (and there was at least one)."""
        judged = [r for r in self.results if r.status != STILLBORN]
        return bool(judged) and all(r.status == KILLED for r in judged)

    @property
    def survived(self) -> list[MutationResult]:
        """The sites whose mutant survived."""
        return [r for r in self.results if r.status == SURVIVED]


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
            project=str(self.migrations_dir),
            mutations_in_catalogue=len(registry),
            coverage=CatalogueCoverage.of(m.id for m in registry.get_all_mutations()),
        )
        workers = self._workers(check, max_mutations)
        started = time.perf_counter()
        with self._session() as session, _pool(session, check, timeout, workers) as pool:
            # the workers start (imports, pytest collection, baseline) while the mutants are made
            mutants = generate_mutants(session.migrations, registry, max_mutations, report.coverage)
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
            coverage = CatalogueCoverage.of([mutation.id])
            mutants = generate_mutants(
                session.migrations, MutationRegistry([mutation]), coverage=coverage
            )
            results = self._drive(session, mutants, check, timeout, pool)
        return MutationTestResult(mutation, results, coverage.operators[mutation.id])

    # --- helpers -------------------------------------------------------------------------

    def _drive(
        self,
        session: MutationSession,
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
    def _session(self) -> Iterator[MutationSession]:
        if self.migrations_dir is None or self.server is None:
            raise MutationSetupError(
                "MutationRunner needs migrations_dir= (a folder of NNN_name.up.sql files) and "
                "server= (a ServerInfo, e.g. the pgtdd_server fixture) to run mutants"
            )
        session = MutationSession(self.server, self.migrations_dir)
        try:
            yield session
        finally:
            session.close(keep_templates=self.keep_templates)


@contextmanager
def _pool(
    session: MutationSession, check: Check, timeout: float, workers: int
) -> Iterator[WorkerPool | None]:
    """Worker processes when ``workers`` > 1 (stopped on the way out), else ``None``."""
    if workers <= 1:
        yield None
        return
    assert isinstance(check, PytestCheck)
    with WorkerPool(session, check, timeout, workers) as pool:
        yield pool
