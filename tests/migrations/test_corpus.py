"""``verify`` and the mutation catalogue on a real history nobody on pgtdd wrote."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pgtdd.migrations import MutationRunner, PytestCheck, verify_migrations
from pgtdd.migrations.mutation.catalogue import MutationRegistry
from pgtdd.migrations.runner import discover
from pgtdd.migrations.templates import QuickJanitor, chain_names, drop_templates
from pgtdd.migrations.verify_report import FAILED, IRREVERSIBLE, NOT_CHECKED, REVERSIBLE
from pgtdd.serverinfo import ServerInfo

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpora" / "reportportal" / "migrations"
CHECKS = ROOT / "tests" / "migrations" / "corpus_checks" / "check_history.py"


def first(count: int, into: Path) -> Path:
    """A folder with the corpus's first ``count`` migrations (copies of their files)."""
    into.mkdir()
    for migration in discover(CORPUS)[:count]:
        for path in (migration.up_path, migration.down_path):
            assert path is not None
            shutil.copy2(path, into / path.name)
    return into


def test_verify_runs_to_the_end_and_names_what_each_irreversible_down_leaves(
    pgtdd_server: ServerInfo, tmp_path: Path
) -> None:
    report = verify_migrations(pgtdd_server, first(20, tmp_path / "migrations"))
    checks = {c.label: c for c in report.checks}
    assert len(checks) == 20 and NOT_CHECKED not in {c.status for c in report.checks}
    assert checks["0_extensions"].status == REVERSIBLE
    assert checks["1_initialize_schema"].path == "clone"  # it ends with its own COMMIT
    size = checks["4_size_limitations"]
    assert size.status == IRREVERSIBLE
    assert [d.line() for d in size.differences] == [
        "column public.test_item.code_ref: type 'character varying(256)' before the up, "
        "'character varying' after the down"
    ]
    auth = checks["7_auth_integration"]
    assert auth.status == IRREVERSIBLE
    assert any(
        d.line().startswith("table public.auth_config: missing after the down")
        for d in auth.differences
    )
    seed = checks["3_default_data"]  # its down leaves rows the second up then duplicates
    assert seed.status == FAILED and seed.failure is not None
    assert (seed.failure.step, seed.failure.sqlstate) == ("redo", "23505")
    assert "3_default_data.up.sql" in seed.failure.text()
    assert report.exit_code == 1
    assert json.loads(report.to_json())["counts"]["failed"] == 1


def test_a_mutation_run_over_a_real_sample_finishes(
    pgtdd_server: ServerInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = first(8, tmp_path / "migrations")
    monkeypatch.setenv("PGTDD_CORPUS_DIR", str(folder))
    runner = MutationRunner(
        verbose=False,
        migrations_dir=folder,
        server=pgtdd_server,
        check=PytestCheck([str(CHECKS)], mode="session"),
        workers=1,
    )
    try:
        report = runner.run_mutation_suite(timeout_seconds=60, max_mutations=10)
    finally:
        with QuickJanitor(pgtdd_server) as janitor:
            drop_templates(janitor, chain_names(discover(folder)))
    assert report.total_mutations == 10 and report.killed_mutations >= 1
    assert set(report.coverage.operators) == {m.id for m in MutationRegistry().get_all_mutations()}
    applied = sum(row.applied for row in report.coverage.operators.values())
    assert applied == 10 and not report.coverage.unparsed
    assert "Catalogue on this project" in report.get_summary()
