"""The checks a mutation run evaluates each mutant with: a callable, or a pytest selection.

A check gets a :class:`MutantContext` (the mutant's database, already migrated to head, and the
folder holding the mutated migrations). It *passes* when the tests pass on the mutant (the
mutant survived) and *fails* when they detect it (the mutant is killed).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import io
import os
import subprocess
import sys
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from _pytest.runner import runtestprotocol

from pgtdd.migrations.handover import ENV_MIGRATED_DATABASE, ENV_MIGRATIONS_DIR, ENV_MUTANT
from pgtdd.migrations.mutation.catalogue import Mutation
from pgtdd.serverinfo import ServerInfo

if TYPE_CHECKING:
    from pgtdd.migrations.mutation.mutants import Mutant

PASS, FAIL, ERROR = "pass", "fail", "error"
QUIET_PLUGINS = (
    "cacheprovider",
    "unraisableexception",
    "xdist",  # entry-point names: a verdict needs one process (no -n in the checks' addopts)
    "xdist.looponfail",
    "pgtdd.performance.pytest_plugin",
)


@dataclass
class MutantContext:
    """Where a check finds the mutant: ``server`` (its database), ``migrations_dir``."""

    server: ServerInfo
    migrations_dir: Path
    mutant: Mutant | None = None

    @property
    def mutation(self) -> Any:
        """The :class:`Mutation` applied (``None`` for the unmutated baseline run)."""
        return self.mutant.mutation if self.mutant is not None else None

    @property
    def database_url(self) -> str:
        """URL of the mutant's database (with the password, for connecting)."""
        return self.server.url

    def connect(self, **kwargs: Any) -> psycopg.Connection[Any]:
        """A new psycopg connection to the mutant's database."""
        return psycopg.connect(self.server.url, **kwargs)

    def env(self) -> dict[str, str]:
        """Variables pointing a pytest run at this mutant (profile ``local``, external server)."""
        label = self.mutant.label if self.mutant else "baseline"
        return {
            "TEST_DATABASE_URL": self.server.url,
            "PGTDD_PROFILE": "local",
            ENV_MIGRATIONS_DIR: str(self.migrations_dir),
            ENV_MIGRATED_DATABASE: self.server.database,
            ENV_MUTANT: label,
        }


@dataclass
class CheckOutcome:
    """``status`` is pass, fail or error; ``detail`` says which test failed or what broke."""

    status: str
    detail: str = ""


Check = Callable[[MutantContext], Any]


def run_callable(check: Check, context: MutantContext) -> CheckOutcome:
    """Call ``check``: returning normally (or ``True``/``None``) passes; returning ``False``,
    an ``AssertionError`` or a database error fails it; any other exception is an error."""
    try:
        verdict = check(context)
    except AssertionError as exc:
        return CheckOutcome(FAIL, f"AssertionError: {exc}".strip())
    except psycopg.Error as exc:
        return CheckOutcome(FAIL, f"{type(exc).__name__}: {exc}".strip())
    except Exception as exc:  # noqa: BLE001 - a crashing check is reported, not a kill
        return CheckOutcome(ERROR, f"check raised {type(exc).__name__}: {exc}")
    if isinstance(verdict, CheckOutcome):
        return verdict
    if verdict is False:
        return CheckOutcome(FAIL, "check returned False")
    return CheckOutcome(PASS)


@dataclasses.dataclass(frozen=True)
class AppliedMutation(Mutation):
    """The :class:`Mutation` a ``test_function`` receives: the catalogue entry itself (``id``,
    ``description``, ``apply_function``...) plus where to find its mutant: ``context`` (the
    :class:`MutantContext`), ``applied`` (``False`` for the run on the unmutated migrations
    that must not be "killed"), ``database_url`` and ``connect()``."""

    context: MutantContext | None = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def applied(self) -> bool:
        """Whether the database holds the mutated migrations (``False``: the baseline run)."""
        return self.context is not None and self.context.mutant is not None

    @property
    def database_url(self) -> str:
        """URL of the database migrated with this mutant (with the password, for connecting)."""
        return self._context().database_url

    def connect(self, **kwargs: Any) -> psycopg.Connection[Any]:
        """A new psycopg connection to that database."""
        return self._context().connect(**kwargs)

    def _context(self) -> MutantContext:
        if self.context is None:
            raise RuntimeError(f"mutation {self.id} is not being run: it has no database")
        return self.context


def applied_mutation(mutation: Mutation, context: MutantContext) -> AppliedMutation:
    """``mutation`` as handed to a ``test_function``, bound to ``context``."""
    values = {f.name: getattr(mutation, f.name) for f in dataclasses.fields(mutation) if f.init}
    values.pop("context", None)
    return AppliedMutation(**values, context=context)


def detector(test_function: Callable[[AppliedMutation], bool], mutation: Mutation) -> Check:
    """Adapt the spec's ``test_function(mutation) -> bool`` (True = mutation killed): it gets
    ``mutation`` as an :class:`AppliedMutation` (the richer context is ``mutation.context``)."""

    def check(context: MutantContext) -> None:
        if test_function(applied_mutation(mutation, context)):
            raise AssertionError("test_function reported the mutation killed")

    return check


@contextlib.contextmanager
def patched_env(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the block, then restore the previous values."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


class _Failures:
    """A pytest plugin collecting the ids and messages of failed tests."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed:
            message = report.longreprtext.strip().splitlines()
            self.failed.append(f"{report.nodeid} ({message[-1][:160] if message else report.when})")


class _MutantLoop:
    """A pytest plugin replacing the test loop: the collected tests run once per mutant.

    ``driver`` yields a :class:`MutantContext` and receives the outcome. Tests stop at the first
    failure (then every fixture is torn down, so the next mutant starts clean); after each
    mutant all fixtures, session-scoped ones included, are torn down. Tests that killed earlier
    mutants of the same mutation, then of the same category, run first (the verdict, "some test
    fails", does not depend on the order of independent tests; the time to reach it does).
    """

    def __init__(self, driver: Generator[MutantContext, CheckOutcome, None]) -> None:
        self.driver = driver
        self.error: BaseException | None = None
        self.killers: dict[str, list[str]] = {}

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        broken = session.testsfailed and not session.config.option.continue_on_collection_errors
        try:
            context = next(self.driver)
            while True:
                if broken:
                    outcome = CheckOutcome(ERROR, f"{session.testsfailed} collection error(s)")
                else:
                    outcome = self._judge(session.items, context)
                context = self.driver.send(outcome)
        except StopIteration:
            pass
        except BaseException as exc:  # noqa: BLE001 - re-raised by run_session after pytest
            self.error = exc
        return True

    def _judge(self, items: list[pytest.Item], context: MutantContext) -> CheckOutcome:
        if not items:
            return CheckOutcome(ERROR, "no tests collected")
        keys = self._keys(context)
        ordered = self._order(items, keys)
        with patched_env(context.env()):
            for number, item in enumerate(ordered):
                following = ordered[number + 1] if number + 1 < len(ordered) else None
                reports = runtestprotocol(item, log=False, nextitem=following)
                failed = [r for r in reports if r.failed]
                if failed:
                    if following is not None:  # stop here: tear down every fixture still set up
                        item.session._setupstate.teardown_exact(None)
                    for key in keys:
                        self.killers[key] = [item.nodeid] + [
                            n for n in self.killers.get(key, []) if n != item.nodeid
                        ]
                    lines = failed[0].longreprtext.strip().splitlines()
                    return CheckOutcome(FAIL, f"{item.nodeid} ({lines[-1][:160] if lines else ''})")
        return CheckOutcome(PASS)

    @staticmethod
    def _keys(context: MutantContext) -> list[str]:
        mutation = context.mutation
        return [mutation.id, mutation.category] if mutation is not None else []

    def _order(self, items: list[pytest.Item], keys: list[str]) -> list[pytest.Item]:
        rank: dict[str, int] = {}
        for key in keys:
            for nodeid in self.killers.get(key, []):
                rank.setdefault(nodeid, len(rank))
        return sorted(items, key=lambda item: rank.get(item.nodeid, len(rank)))


@dataclass
class PytestCheck:
    """Run a pytest selection against each mutant.

    ``mode``:

    - ``"inprocess"`` (default): ``pytest.main`` per mutant in this process (~50-100 ms of
      pytest start-up each); every fixture, ``pgtdd_server`` included, sees the mutant's
      database through ``TEST_DATABASE_URL``.
    - ``"session"``: one pytest session for the whole run; the collected tests run once per
      mutant (fastest). Session fixtures are set up again per mutant, but ``pgtdd_server`` stays
      the run's server: tests must reach the mutant through ``migrated_database_fixture`` (or
      ``PGTDD_MIGRATED_DATABASE`` / ``PGTDD_MIGRATIONS_DIR``).
    - ``"subprocess"``: ``python -m pytest`` per mutant (isolated, ~0.5 s more per mutant,
      killed on timeout).

    Per run: exit code 0 passes, 1 (tests failed) fails, anything else (usage error, no tests
    collected, internal error) is an error.
    """

    paths: Sequence[str | Path]
    args: Sequence[str] = ()
    mode: str = "inprocess"
    exitfirst: bool = True
    timeout_seconds: float | None = None
    last_output: str = field(default="", repr=False)

    def argv(self) -> list[str]:
        """Arguments given to pytest: quiet, stop at the first failure, and without the plugins
        a verdict does not need (cache, xdist, the timing report, unraisable-exception checks
        whose forced garbage collections cost ~50 ms a run)."""
        base = ["-q", "--no-header", "-o", "console_output_style=classic"]
        # In this process the project's modules are imported already; pytest's notice that it
        # cannot rewrite their asserts is expected (it would be an error under -W error).
        base += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
        for plugin in QUIET_PLUGINS:
            base += ["-p", f"no:{plugin}"]
        return [*base, *(["-x"] if self.exitfirst else []), *self.args, *map(str, self.paths)]

    def run_session(
        self, driver: Generator[MutantContext, CheckOutcome, None], server: ServerInfo
    ) -> None:
        """Session mode: one ``pytest.main`` judging every context ``driver`` yields."""
        loop = _MutantLoop(driver)
        argv = [a for a in self.argv() if a != "-x"]
        buffer = io.StringIO()
        gc.freeze()
        env = {"TEST_DATABASE_URL": server.url, "PGTDD_PROFILE": "local"}
        with patched_env(env), contextlib.redirect_stdout(buffer):
            code = pytest.main(argv, plugins=[loop])
        self.last_output = buffer.getvalue()
        if loop.error is not None:
            raise loop.error
        if int(code) not in (0, 1):
            tail = " | ".join(self.last_output.strip().splitlines()[-3:])
            raise RuntimeError(f"pytest exited with {code}: {tail[:300]}")

    def __call__(self, context: MutantContext) -> CheckOutcome:
        if self.mode == "subprocess":
            return self._subprocess(context)
        if self.mode != "inprocess":
            raise ValueError(
                f"PytestCheck mode {self.mode!r} runs through MutationRunner only; "
                "call it with 'inprocess' or 'subprocess'"
            )
        failures = _Failures()
        buffer = io.StringIO()
        gc.freeze()  # objects alive now are not rescanned by each run's collections
        with patched_env(context.env()), contextlib.redirect_stdout(buffer):
            code = pytest.main(self.argv(), plugins=[failures])
        self.last_output = buffer.getvalue()
        return self._outcome(int(code), failures.failed)

    def _subprocess(self, context: MutantContext) -> CheckOutcome:
        env = {**os.environ, **context.env()}
        try:
            done = subprocess.run(
                [sys.executable, "-m", "pytest", *self.argv(), "-rf"],
                env=env, capture_output=True, text=True, timeout=self.timeout_seconds, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return CheckOutcome(ERROR, f"pytest timed out after {self.timeout_seconds}s")
        self.last_output = done.stdout + done.stderr
        failed = [line[7:] for line in done.stdout.splitlines() if line.startswith("FAILED ")]
        return self._outcome(done.returncode, failed)

    def _outcome(self, code: int, failed: list[str]) -> CheckOutcome:
        if code == 0:
            return CheckOutcome(PASS)
        if code == 1:
            return CheckOutcome(FAIL, "; ".join(failed[:3]) or "tests failed")
        tail = " | ".join(self.last_output.strip().splitlines()[-3:])
        return CheckOutcome(ERROR, f"pytest exited with {code}: {tail[:300]}")
