"""``pgtdd doctor`` against real servers: every check passes on a healthy setup, and each
injected fault turns exactly its line into a failure (or warning) with the fix."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgtdd.cli import doctor_checks
from pgtdd.cli.doctor import Doctor, Report
from pgtdd.serverinfo import ServerInfo
from tests.faults.conftest import (
    INNER_TIMEOUT,
    inner_env,
    remove_containers,
    wait_no_containers,
)

CHECKS = [
    "tdd-mode",
    "profile",
    "guard",
    "docker",
    "image",
    "server",
    "connectivity",
    "settings",
    "savepoint",
    "pool",
    "leaks",
]


@dataclass
class DoctorRun:
    """A finished ``pgtdd doctor`` process."""

    pid: int
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_doctor(*args: str, **env: str) -> DoctorRun:
    """``pgtdd doctor ARGS`` in a subprocess."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pgtdd.cli.main", "doctor", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=inner_env(**env),
    )
    try:
        out, err = proc.communicate(timeout=INNER_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"pgtdd doctor hung:\n{out}{err}")
    return DoctorRun(proc.pid, proc.returncode, out, err)


def statuses(report: Report) -> dict[str, str]:
    return {check.name: check.status for check in report.checks}


def test_healthy_container_setup_passes_every_check_and_leaves_nothing(
    docker_engine: Any,
) -> None:
    run = run_doctor("--json", PGTDD_PROFILE="container", PGTDD_PORT="0")
    try:
        assert run.returncode == 0, run.stdout + run.stderr
        report = run.json()
        assert [c["name"] for c in report["checks"]] == CHECKS
        assert {c["name"]: c["status"] for c in report["checks"]} == dict.fromkeys(CHECKS, "ok")
        assert report["ok"] is True
        details = {c["name"]: c["detail"] for c in report["checks"]}
        assert "chosen by env PGTDD_PROFILE" in details["profile"]
        assert "verified with SHOW" in details["settings"]
        assert "nothing left" in details["savepoint"]
        assert "connection(s) doctor opened are closed" in details["leaks"]
        assert "dataflow_test_password" not in run.stdout + run.stderr
        assert wait_no_containers(docker_engine, pid=run.pid) == []
    finally:
        remove_containers(docker_engine, pid=run.pid)


def test_text_output_is_one_line_per_check_with_fixes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("provider: container\nimage: x\nhost_prot: 1\n")
    run = run_doctor("--profile", str(bad))
    assert run.returncode == 1
    lines = run.stdout.strip().splitlines()
    assert len(lines) == len(CHECKS) + 1
    assert [line.split("]", 1)[1].split(":", 1)[0].strip() for line in lines[:-1]] == CHECKS
    profile_line = lines[1]
    assert profile_line.startswith("[FAIL] profile:") and "bad.yaml:3: unknown key" in profile_line
    assert "-> fix:" in profile_line
    assert all(line.startswith("[skip]") for line in lines[2:-1])
    assert lines[-1] == "doctor: 1 check(s) failed"


def test_tdd_mode_switched_off_fails_with_the_fix(pgtdd_server: ServerInfo) -> None:
    run = run_doctor(
        "--json", PGTDD_PROFILE="local", TEST_DATABASE_URL=pgtdd_server.url, DATAFLOW_TDD_MODE="0"
    )
    assert run.returncode == 1
    report = run.json()
    tdd = report["checks"][0]
    assert tdd["status"] == "fail" and "fixtures is skipped" in tdd["detail"]
    assert "DATAFLOW_TDD_MODE=true" in tdd["fix"]
    assert [c["status"] for c in report["checks"][1:]].count("fail") == 0


def test_setting_the_server_does_not_have_is_named(
    pgtdd_server: ServerInfo, tmp_path: Path
) -> None:
    profile = tmp_path / "tuned.yaml"
    profile.write_text("extends: local\nserver_settings:\n  work_mem: 77MB\n  fsync: 'off'\n")
    report = Doctor(profile=str(profile), environ={"TEST_DATABASE_URL": pgtdd_server.url}).run()
    assert not report.ok
    found = statuses(report)
    assert found["settings"] == "fail"
    assert [name for name, status in found.items() if status == "fail"] == ["settings"]
    settings = next(c for c in report.checks if c.name == "settings")
    assert "work_mem = '4MB' (profile says '77MB')" in settings.detail
    assert "fsync" not in settings.detail  # the setting that is right is not blamed
    assert "postgresql.conf" in settings.fix


def test_guard_refusal_skips_every_connection(tmp_path: Path) -> None:
    url = "postgresql://app:S3cret@db.example.invalid:5432/app"
    profile = tmp_path / "unmarked.yaml"
    profile.write_text(f"provider: external\nurl: {url}\n")
    report = Doctor(profile=str(profile), environ={}).run()
    found = statuses(report)
    assert found["guard"] == "fail"
    assert all(found[name] == "skip" for name in CHECKS[CHECKS.index("guard") + 1 :])
    guard = next(c for c in report.checks if c.name == "guard")
    assert "PGTDD_ALLOW_DATABASE=db.example.invalid:5432/app" in guard.fix
    assert "S3cret" not in guard.detail + guard.fix


def test_connection_idle_in_a_transaction_is_reported_as_a_probable_leak(
    fault_db: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doctor_checks, "STALE_TRANSACTION_SECONDS", 0)
    with psycopg.connect(fault_db.url) as stuck:
        stuck.execute("SELECT 1")  # psycopg opened a transaction: now idle in it
        pid = stuck.info.backend_pid
        report = Doctor(profile="local", environ={"TEST_DATABASE_URL": fault_db.url}).run()
        stuck.rollback()
    leaks = next(c for c in report.checks if c.name == "leaks")
    assert leaks.status == "warn"
    assert f"pid {pid} " in leaks.detail
    assert "pg_terminate_backend" in leaks.fix
    assert report.ok  # a warning does not fail the run
