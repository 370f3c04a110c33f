"""MutationRunner on the sample project: its good tests kill >= 90 %, its weak tests name
their survivors; every mutant gets its own database; stillborn, errors, timeouts, limits."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from pgtdd.databases.janitor import DatabaseJanitor
from pgtdd.migrations import MutationRegistry, MutationReport, MutationRunner, PytestCheck
from pgtdd.migrations.mutation.catalogue import Mutation
from pgtdd.migrations.mutation.checks import MutantContext
from pgtdd.migrations.mutation.runner import MutationSetupError, env_timeout
from pgtdd.serverinfo import ServerInfo
from tests.migrations.conftest import MIGRATIONS, PROJECT
from tests.migrations.conftest import sample_runner as _runner

GOOD = str(PROJECT / "tests" / "good")
WEAK = str(PROJECT / "tests" / "weak")


@pytest.fixture(scope="module")
def good_report(pgtdd_server: ServerInfo) -> MutationReport:
    return _runner(pgtdd_server, PytestCheck([GOOD], mode="session")).run_mutation_suite()


@pytest.fixture(scope="module")
def weak_report(pgtdd_server: ServerInfo) -> MutationReport:
    return _runner(pgtdd_server, PytestCheck([WEAK], mode="session")).run_mutation_suite()


def test_good_tests_kill_at_least_90_percent(good_report: MutationReport) -> None:
    assert good_report.kill_rate >= 90, good_report.get_summary()
    categories = good_report.by_category()
    assert all(categories[c]["total"] for c in categories), "every category produced mutants"


def test_kill_rate_is_over_distinct_judged_mutants(good_report: MutationReport) -> None:
    report = good_report
    judged = report.killed_mutations + report.survived_mutations + report.error_mutations
    assert report.stillborn_mutations > 0  # e.g. a PRIMARY KEY another table references
    assert judged + report.stillborn_mutations == report.total_mutations
    assert report.kill_rate == round(100 * report.killed_mutations / judged, 2)
    keys = {(r.file, r.diff) for r in report.results}
    assert len(keys) == report.total_mutations  # no mutant counted twice
    for result in report.get_stillborn_results():
        assert "do not apply" in result.detail or "parse" in result.detail


def test_weak_tests_name_their_survivors(weak_report: MutationReport) -> None:
    assert weak_report.kill_rate < 50, weak_report.get_summary()
    survivors = {m.id for m in weak_report.get_survived_mutations()}
    assert {"DAT_001", "DAT_004", "RBK_001", "RBK_005", "PRF_002", "PRF_003"} <= survivors
    summary = weak_report.get_summary()
    assert "Survived:" in summary
    assert "DAT_004 Outer join turned into an inner join: unmatched rows lost" in summary
    assert "005_user_stats.up.sql: LEFT JOIN posts" in summary


def test_report_json_and_breakdowns(good_report: MutationReport) -> None:
    data = json.loads(good_report.to_json())
    stats = data["statistics"]
    assert stats["kill_rate"] == good_report.kill_rate
    assert set(stats["by_category"]) == {"SCHEMA", "DATA", "ROLLBACK", "PERFORMANCE"}
    assert set(stats["by_severity"]) == {"CRITICAL", "HIGH", "MEDIUM", "LOW"}
    assert len(data["results"]) == good_report.total_mutations
    assert all(r["status"] in ("killed", "survived", "error", "stillborn") for r in data["results"])
    assert good_report.duration_seconds > 0 and good_report.baseline_seconds > 0


def test_each_mutant_runs_in_its_own_database(pgtdd_server: ServerInfo) -> None:
    seen: list[tuple[str, int]] = []

    def check(context: MutantContext) -> None:
        with context.connect() as conn:
            row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        seen.append((context.server.database, int(row[0]) if row else 0))

    registry = MutationRegistry().select(["SCH_003", "RBK_001"])
    report = _runner(pgtdd_server, check).run_mutation_suite(registry, max_mutations=6)
    assert report.total_mutations == 6
    names = [name for name, _ in seen]
    assert len(set(names)) == len(names) == 7  # baseline + 6 mutants
    assert all(version == 5 for _, version in seen)  # each one migrated to head
    with DatabaseJanitor(pgtdd_server) as janitor:
        assert not any(janitor.exists(name) for name in names)  # all dropped


def test_callable_verdicts(pgtdd_server: ServerInfo) -> None:
    registry = MutationRegistry().select(["SCH_006"])

    def run(check: Callable[[MutantContext], object]) -> set[str]:
        runner = _runner(pgtdd_server, check)
        report = runner.run_mutation_suite(registry, max_mutations=2)
        return {r.status for r in report.results}

    def by_context(verdict: Callable[[], object]) -> Callable[[MutantContext], object]:
        return lambda context: True if context.mutant is None else verdict()

    def assertion() -> None:
        raise AssertionError("caught")

    def crash() -> None:
        raise KeyError("bug in the check")

    assert run(by_context(lambda: None)) == {"survived"}
    assert run(by_context(lambda: False)) == {"killed"}
    assert run(by_context(assertion)) == {"killed"}
    assert run(by_context(crash)) == {"error"}


def test_timeout_ends_a_hanging_check(pgtdd_server: ServerInfo) -> None:
    def check(context: MutantContext) -> None:
        if context.mutant is not None:
            with context.connect() as conn:
                conn.execute("SELECT pg_sleep(60)")

    runner = _runner(pgtdd_server, check, timeout_seconds=1.0)
    report = runner.run_mutation_suite(MutationRegistry().select(["SCH_004"]), max_mutations=1)
    [result] = report.results
    assert result.status == "error" and "timed out" in result.detail


def test_baseline_must_pass(pgtdd_server: ServerInfo) -> None:
    def check(context: MutantContext) -> None:
        raise AssertionError("always failing")

    with pytest.raises(MutationSetupError, match="do not pass on the unmutated migrations"):
        _runner(pgtdd_server, check).run_mutation_suite(max_mutations=1)


def test_configuration_errors_name_the_fix() -> None:
    with pytest.raises(MutationSetupError, match="needs migrations_dir"):
        MutationRunner(check=lambda c: None, verbose=False).run_mutation_suite()
    with pytest.raises(MutationSetupError, match="no check"):
        MutationRunner(verbose=False).run_mutation_suite()


def test_environment_variables_are_read(
    pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MUTATION_TIMEOUT", "42")
    assert env_timeout() == 42.0
    monkeypatch.setenv("MUTATION_VERBOSE", "false")
    assert MutationRunner().verbose is False
    monkeypatch.setenv("MUTATION_VERBOSE", "true")
    out = io.StringIO()
    runner = MutationRunner(
        migrations_dir=MIGRATIONS, server=pgtdd_server, check=lambda c: None, keep_templates=True
    )
    runner.out = out
    runner.run_mutation_suite(MutationRegistry().select(["PRF_001"]), max_mutations=1)
    assert "[  1/1] survived  PRF_001" in out.getvalue() and "Kill rate" in out.getvalue()
    monkeypatch.setenv("MUTATION_TIMEOUT", "soon")
    with pytest.raises(MutationSetupError, match="MUTATION_TIMEOUT"):
        env_timeout()


def test_inprocess_pytest_points_every_fixture_at_the_mutant(pgtdd_server: ServerInfo) -> None:
    registry = MutationRegistry().select(["DAT_004", "RBK_005", "PRF_002"])
    report = _runner(pgtdd_server, PytestCheck([GOOD], mode="inprocess")).run_mutation_suite(
        registry
    )
    assert {r.status for r in report.results} == {"killed"}
    assert report.total_mutations == 4


def test_subprocess_pytest_judges_a_mutant(pgtdd_server: ServerInfo) -> None:
    registry = MutationRegistry().select(["DAT_005"])
    check = PytestCheck([GOOD], mode="subprocess", timeout_seconds=120)
    report = _runner(pgtdd_server, check).run_mutation_suite(registry, max_mutations=1)
    [result] = report.results
    assert result.status == "killed" and "tests/good/test_mp_" in result.detail


def test_run_mutation_with_the_spec_test_function(pgtdd_server: ServerInfo) -> None:
    mutation = MutationRegistry().get_mutation_by_id("SCH_004")
    assert mutation is not None

    seen: list[Any] = []

    def detects_lost_uniqueness(mutation: Mutation) -> bool:
        """The spec's test_function(mutation) -> bool: True when the mutation is detected."""
        seen.append(mutation)
        assert isinstance(mutation, Mutation) and mutation.id == "SCH_004"
        if not mutation.applied:  # the run on the unmutated migrations
            return False
        with mutation.connect() as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_indexes WHERE indexname IN"
                " ('users_email_key', 'posts_slug_key') AND indexdef LIKE 'CREATE UNIQUE%%'"
            ).fetchone()
        return row != (2,)

    result = _runner(pgtdd_server, None).run_mutation(mutation, detects_lost_uniqueness)
    assert result.killed and len(result.results) == 2 and not result.survived
    assert [m.applied for m in seen] == [False, True, True]  # baseline, then each mutant
    assert seen[1].context is not None and seen[1].context.mutant is not None  # the richer view
    assert seen[1].description == mutation.description


def test_stillborn_mutants_are_reported_apart(pgtdd_server: ServerInfo) -> None:
    report = _runner(pgtdd_server, lambda c: None).run_mutation_suite(
        MutationRegistry().select(["SCH_001"])
    )
    stillborn = report.get_stillborn_results()
    assert {r.site for r in stillborn} >= {"roles.name PRIMARY KEY", "users.id PRIMARY KEY"}
    assert all("no unique constraint matching given keys" in r.detail for r in stillborn)
    assert report.kill_rate == 0.0 and report.survived_mutations == 2
    assert "Stillborn:" in report.get_summary()
    with psycopg.connect(pgtdd_server.url) as conn:  # nothing left behind on the server
        left = conn.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'pgtdd_mr_%'")
        assert left.fetchone() == (0,)
