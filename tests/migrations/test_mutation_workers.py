"""MutationRunner(workers=N): the same verdicts as one process, a dying worker costs only its
mutant, setup errors name the fix, and nothing is left behind (processes, databases)."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psutil
import psycopg
import pytest

from pgtdd.migrations import MutationRegistry, MutationRunner, PytestCheck
from pgtdd.migrations.mutation.mutants import generate_mutants
from pgtdd.migrations.mutation.session import MutationSetupError
from pgtdd.migrations.mutation.workers import _config
from pgtdd.migrations.runner import discover
from pgtdd.migrations.templates import QuickJanitor
from pgtdd.serverinfo import ServerInfo
from tests.migrations.conftest import MIGRATIONS, PROJECT, sample_runner

GOOD = str(PROJECT / "tests" / "good")


def _runner(server: ServerInfo, check: Any, workers: int | None) -> MutationRunner:
    return sample_runner(server, check, workers=workers)


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
            if "pgtdd.migrations.mutation.workers" in child.cmdline():
                workers.append(child.pid)
        except psutil.NoSuchProcess:
            continue
    return [r[0] for r in rows], workers


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


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
        import os, sys
        from urllib.parse import unquote, urlsplit

        def test_probe():
            label = os.environ["PGTDD_MUTANT"]
            if label == os.environ["PGTDD_TEST_DIE_ON"]:
                url = os.environ["TEST_DATABASE_URL"]
                print(f"dying at {url} ({unquote(urlsplit(url).password)})", file=sys.stderr)
                os._exit(7)  # the worker process dies with this mutant in hand
            assert not label.startswith("PRF_001"), "this test notices PRF_001"
        """,
    )
    check = PytestCheck([probe], args=["-s"], mode="session")  # -s: the print reaches the log
    report = _runner(pgtdd_server, check, 2).run_mutation_suite(registry)
    by_number = {r.number: r for r in report.results}
    assert len(by_number) == len(mutants)
    died = by_number[doomed.number]
    assert died.status == "error" and "exited with code 7" in died.detail
    assert "dying at postgresql://" in died.detail and pgtdd_server.password not in died.detail
    others = [r for r in report.results if r.number != doomed.number]
    assert {r.status for r in others if r.mutation.id == "PRF_001"} == {"killed"}
    assert {r.status for r in others if r.mutation.id == "SCH_003"} == {"survived"}
    assert _left_behind(pgtdd_server) == ([], [])


@pytest.mark.parametrize("mode", ["session", "subprocess"])
def test_a_check_stuck_outside_the_database_is_killed_with_what_it_started(
    pgtdd_server: ServerInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    registry = MutationRegistry().select(["SCH_003"])
    mutants = generate_mutants(discover(MIGRATIONS), registry)
    doomed = mutants[0]
    monkeypatch.setenv("PGTDD_TEST_HANG_ON", doomed.label)
    monkeypatch.setenv("PGTDD_TEST_PID_FILE", str(tmp_path / "stuck.pid"))
    probe = _probe_project(
        tmp_path,
        """
        import os, time

        def test_probe():
            if os.environ["PGTDD_MUTANT"] == os.environ["PGTDD_TEST_HANG_ON"]:
                with open(os.environ["PGTDD_TEST_PID_FILE"], "w") as f:
                    f.write(str(os.getpid()))
                time.sleep(600)  # no database session to end: only killing the worker helps
        """,
    )
    runner = _runner(pgtdd_server, PytestCheck([probe], mode=mode), 2)
    report = runner.run_mutation_suite(registry, timeout_seconds=3, max_mutations=4)
    by_number = {r.number: r for r in report.results}
    stuck = by_number[doomed.number]
    assert stuck.status == "error" and "no verdict within 9.5s (this mutant)" in stuck.detail
    assert stuck.duration_seconds >= 9.5  # the time it held the worker, not a placeholder
    assert {r.status for n, r in by_number.items() if n != doomed.number} == {"survived"}
    sleeper = int((tmp_path / "stuck.pid").read_text())  # the worker, or its pytest subprocess
    assert not _running(sleeper), "the stuck check's process outlived the run"
    assert _left_behind(pgtdd_server) == ([], [])


def test_a_baseline_failing_in_the_workers_stops_the_run(
    pgtdd_server: ServerInfo, tmp_path: Path
) -> None:
    probe = _probe_project(tmp_path, "def test_probe():\n    assert False, 'always'\n")
    runner = _runner(pgtdd_server, PytestCheck([probe], mode="session"), 2)
    with pytest.raises(MutationSetupError, match="do not pass on the unmutated migrations"):
        runner.run_mutation_suite(MutationRegistry().select(["SCH_003"]))
    assert _left_behind(pgtdd_server) == ([], [])


def test_a_worker_that_cannot_start_stops_the_run_naming_why(
    pgtdd_server: ServerInfo, tmp_path: Path
) -> None:
    (tmp_path / "conftest.py").write_text(
        "import os, sys\nprint('conftest gives up', file=sys.stderr)\nos._exit(5)\n"
    )
    probe = _probe_project(tmp_path, "def test_probe():\n    pass\n")
    runner = _runner(pgtdd_server, PytestCheck([probe], args=["-s"], mode="session"), 2)
    with pytest.raises(MutationSetupError, match=r"exit code 5.*before its baseline passed") as err:
        runner.run_mutation_suite(MutationRegistry().select(["SCH_003"]))
    assert "conftest gives up" in str(err.value)
    assert _left_behind(pgtdd_server) == ([], [])


INTERRUPTED_PARENT = """
import json, sys
from pgtdd.migrations import MutationRegistry, MutationRunner, PytestCheck
from pgtdd.serverinfo import ServerInfo

data = json.loads(sys.stdin.readline())
server = ServerInfo(**{**data, "notes": tuple(data["notes"])})
runner = MutationRunner(
    verbose=True, migrations_dir=sys.argv[1], server=server, keep_templates=True,
    check=PytestCheck([sys.argv[2]], mode="session"), workers=2,
)
runner.run_mutation_suite(MutationRegistry().select(sys.argv[3].split(",")))
"""


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_an_interrupted_or_killed_run_leaves_no_worker(
    pgtdd_server: ServerInfo, tmp_path: Path, how: signal.Signals
) -> None:
    marker = f"interrupted-{tmp_path.name}"
    env = {**os.environ, "PGTDD_TEST_MARKER": marker}
    probe = _probe_project(
        tmp_path,
        """
        import os, time

        def test_probe():
            if os.environ["PGTDD_MUTANT"].startswith("PRF_001"):
                time.sleep(600)  # a worker busy when the run is interrupted
        """,
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_PARENT, str(MIGRATIONS), probe, "SCH_003,PRF_001"],
        stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert parent.stdin is not None and parent.stderr is not None
        parent.stdin.write(json.dumps(dataclasses.asdict(pgtdd_server)) + "\n")
        parent.stdin.close()
        seen = []
        for line in parent.stderr:  # verbose: one line per judged mutant
            seen.append(line)
            if line.startswith("[  3/"):  # mutant 2 (PRF_001) holds the other worker
                break
        assert seen and seen[-1].startswith("[  3/"), "".join(seen)[-2000:]
        parent.send_signal(how)
        parent.wait(timeout=60)  # what it prints after the signal is a traceback: no pipe fills
        rest = parent.stderr.read()
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if parent.stderr is not None:
            parent.stderr.close()
    if how == signal.SIGINT:  # cleaned up by the run itself, databases included
        assert parent.returncode != 0 and "KeyboardInterrupt" in rest
        assert _with_marker(marker) == []
        assert _left_behind(pgtdd_server) == ([], [])
        return
    # SIGKILL: the workers learn it from the kernel (PR_SET_PDEATHSIG), asynchronously
    deadline = time.monotonic() + 10
    while _with_marker(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _with_marker(marker) == []
    # As after a killed single-process run. A killed worker's CREATE DATABASE goes on in its
    # server process: let it finish first, or the database it makes outlives the cleanup.
    with QuickJanitor(pgtdd_server) as janitor:
        assert janitor.wait_quiet("pgtdd_mr_", timeout=30)
        for name in janitor.list("pgtdd_mr_"):
            janitor.drop(name)


def _with_marker(marker: str) -> list[int]:
    """Processes still running whose environment carries ``marker``."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get("PGTDD_TEST_MARKER") == marker and _running(proc.pid):
                found.append(proc.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def test_no_worker_database_prefix_starts_another_workers() -> None:
    session = SimpleNamespace(
        server=ServerInfo("h", 1, "u", "p", "d", "external", "local"),
        workdir=Path("/w"),
        prefix="pgtdd_mr_0123abcd",
    )
    prefixes = [_config(session, PytestCheck([GOOD]), 1.0, i)["prefix"] for i in range(120)]  # type: ignore[arg-type]
    clashes = [(a, b) for a in prefixes for b in prefixes if a != b and b.startswith(a)]
    assert clashes == []


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
