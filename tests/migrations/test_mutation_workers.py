"""MutationRunner(workers=N): the same verdicts as one process, a dying worker costs only its
mutant, setup errors name the fix, and nothing is left behind (processes, databases)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import psutil
import psycopg
import pytest

from framework.migrations import MutationRegistry, MutationRunner, PytestCheck
from framework.migrations.migration_runner import discover
from framework.migrations.mutants import generate_mutants
from framework.migrations.mutation_runner import MutationSetupError
from framework.server import ServerInfo
from tests.migrations.conftest import MIGRATIONS, PROJECT

GOOD = str(PROJECT / "tests" / "good")


def _runner(server: ServerInfo, check: Any, workers: int | None) -> MutationRunner:
    return MutationRunner(
        verbose=False,
        migrations_dir=MIGRATIONS,
        server=server,
        check=check,
        keep_templates=True,
        workers=workers,
    )


def _verdicts(report: Any) -> list[tuple[int, str, str, str, str]]:
    return [(r.number, r.mutation.id, r.file, r.site, r.status) for r in report.results]


def _left_behind(server: ServerInfo) -> tuple[list[str], list[int]]:
    """Mutant databases still on the server, and mutation workers of this process still running."""
    with psycopg.connect(server.url) as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'pgtdd\\_mr\\_%'"
        ).fetchall()
    workers = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "framework.migrations.mutation_workers" in child.cmdline():
                workers.append(child.pid)
        except psutil.NoSuchProcess:
            continue
    return [r[0] for r in rows], workers


def _probe_project(tmp_path: Path, body: str) -> str:
    """A one-test project whose test reads the mutant's label (``PGTDD_MUTANT``)."""
    (tmp_path / "test_probe.py").write_text(textwrap.dedent(body))
    return str(tmp_path / "test_probe.py")


def test_two_workers_reach_the_verdicts_of_one_process(pgtdd_server: ServerInfo) -> None:
    check = PytestCheck([GOOD], mode="session")
    serial = _runner(pgtdd_server, check, 1).run_mutation_suite(max_mutations=14)
    parallel = _runner(pgtdd_server, check, 2).run_mutation_suite(max_mutations=14)
    assert _verdicts(parallel) == _verdicts(serial)
    assert {"killed", "stillborn"} <= {r.status for r in parallel.results}
    assert parallel.kill_rate == serial.kill_rate
    assert parallel.baseline_seconds > 0
    assert all(r.duration_seconds > 0 for r in parallel.results)
    assert _left_behind(pgtdd_server) == ([], [])


def test_a_worker_that_dies_costs_only_the_mutant_it_held(
    pgtdd_server: ServerInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = MutationRegistry().select(["SCH_003", "PRF_001"])
    mutants = generate_mutants(discover(MIGRATIONS), registry)
    doomed = mutants[2]
    monkeypatch.setenv("PGTDD_TEST_DIE_ON", doomed.label)
    probe = _probe_project(
        tmp_path,
        """
        import os

        def test_probe():
            label = os.environ["PGTDD_MUTANT"]
            if label == os.environ["PGTDD_TEST_DIE_ON"]:
                os._exit(7)  # the worker process dies with this mutant in hand
            assert not label.startswith("PRF_001"), "this test notices PRF_001"
        """,
    )
    report = _runner(pgtdd_server, PytestCheck([probe], mode="session"), 2).run_mutation_suite(
        registry
    )
    by_number = {r.number: r for r in report.results}
    assert len(by_number) == len(mutants)
    died = by_number[doomed.number]
    assert died.status == "error" and "exited with code 7" in died.detail
    others = [r for r in report.results if r.number != doomed.number]
    assert {r.status for r in others if r.mutation.id == "PRF_001"} == {"killed"}
    assert {r.status for r in others if r.mutation.id == "SCH_003"} == {"survived"}
    assert _left_behind(pgtdd_server) == ([], [])


def test_a_check_stuck_outside_the_database_is_killed_and_the_run_goes_on(
    pgtdd_server: ServerInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = MutationRegistry().select(["SCH_003"])
    mutants = generate_mutants(discover(MIGRATIONS), registry)
    doomed = mutants[0]
    monkeypatch.setenv("PGTDD_TEST_HANG_ON", doomed.label)
    probe = _probe_project(
        tmp_path,
        """
        import os, time

        def test_probe():
            if os.environ["PGTDD_MUTANT"] == os.environ["PGTDD_TEST_HANG_ON"]:
                time.sleep(600)  # no database session to end: only killing the worker helps
        """,
    )
    runner = _runner(pgtdd_server, PytestCheck([probe], mode="session"), 2)
    report = runner.run_mutation_suite(registry, timeout_seconds=1, max_mutations=4)
    by_number = {r.number: r for r in report.results}
    stuck = by_number[doomed.number]
    assert stuck.status == "error" and "no verdict within 6.5s" in stuck.detail
    assert {r.status for n, r in by_number.items() if n != doomed.number} == {"survived"}
    assert _left_behind(pgtdd_server) == ([], [])


def test_a_baseline_failing_in_the_workers_stops_the_run(
    pgtdd_server: ServerInfo, tmp_path: Path
) -> None:
    probe = _probe_project(tmp_path, "def test_probe():\n    assert False, 'always'\n")
    runner = _runner(pgtdd_server, PytestCheck([probe], mode="session"), 2)
    with pytest.raises(MutationSetupError, match="do not pass on the unmutated migrations"):
        runner.run_mutation_suite(MutationRegistry().select(["SCH_003"]))
    assert _left_behind(pgtdd_server) == ([], [])


def test_worker_settings_errors_name_the_fix(
    pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = MutationRegistry().select(["PRF_001"])
    with pytest.raises(MutationSetupError, match="needs a PytestCheck"):
        _runner(pgtdd_server, lambda c: None, 2).run_mutation_suite(registry)
    with pytest.raises(MutationSetupError, match="workers=0"):
        _runner(pgtdd_server, PytestCheck([GOOD]), 0).run_mutation_suite(registry)
    monkeypatch.setenv("MUTATION_WORKERS", "two")
    with pytest.raises(MutationSetupError, match="MUTATION_WORKERS='two'"):
        _runner(pgtdd_server, PytestCheck([GOOD]), None).run_mutation_suite(registry)
    assert _left_behind(pgtdd_server) == ([], [])
