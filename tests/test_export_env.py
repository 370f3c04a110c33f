"""``export_env``: DATABASE_URL and PG* for code under test that reads its settings from the
environment, each xdist worker pointed at its own database (issue 15, part 4)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.majors import session_version, tuned_image
from tests.test_parallel import docker_or_fail

SUITE = """\
import os
import psycopg
import pytest

@pytest.mark.parametrize("n", range(4))
def test_the_app_reads_the_environment(pgtdd_server, n):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    # what an app reading its settings from the environment connects to
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        database = conn.execute("SELECT current_database()").fetchone()[0]
    with psycopg.connect("") as conn:  # libpq reads PGHOST, PGPORT, PGUSER, PGPASSWORD...
        assert conn.execute("SELECT current_database()").fetchone()[0] == database
    assert database == pgtdd_server.database
    print("EXPORTED", worker, database, flush=True)
"""
UNSET = """\
import os

def test_nothing_exported(pgtdd_server):
    assert "DATABASE_URL" not in os.environ and "PGDATABASE" not in os.environ
"""


def _project(tmp_path: Path, suite: str, export_key: str) -> Path:
    (tmp_path / "test_app.py").write_text(suite)
    (tmp_path / "own.yaml").write_text(
        f"extends: container\nversion: {session_version()}\nimage: [{tuned_image()}]\n"
        f"host_port: 0\n{export_key}server_settings:\n  work_mem: 14MB\n"
    )
    return tmp_path


def _pytest(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PGTDD_"))}
    for name in ("DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"):
        clean.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rP", *args],
        cwd=folder, env={**clean, "PGTDD_PROFILE": "own.yaml", **env},
        capture_output=True, text=True, timeout=300,
    )


def _exported(output: str) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for line in output.splitlines():
        if line.startswith("EXPORTED "):
            _, worker, database = line.split()
            seen.setdefault(worker, set()).add(database)
    return seen


def test_export_env_in_the_profile_gives_each_worker_its_database(tmp_path: Path) -> None:
    docker_or_fail().close()
    folder = _project(tmp_path, SUITE, "export_env: true\n")
    done = _pytest(folder, "-n", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    seen = _exported(done.stdout)
    assert set(seen) == {"gw0", "gw1"}, done.stdout
    assert all(len(databases) == 1 for databases in seen.values())
    assert seen["gw0"] != seen["gw1"]  # each worker its own database


def test_the_option_and_the_variable_turn_it_on(tmp_path: Path) -> None:
    docker_or_fail().close()
    folder = _project(tmp_path, SUITE, "")
    by_option = _pytest(folder, "--db-export-env")
    assert by_option.returncode == 0, by_option.stdout
    assert set(_exported(by_option.stdout)) == {"main"}
    by_variable = _pytest(folder, PGTDD_EXPORT_ENV="1")
    assert by_variable.returncode == 0, by_variable.stdout
    assert "export_env=env PGTDD_EXPORT_ENV" in by_variable.stdout  # the header says why


def test_off_by_default(tmp_path: Path) -> None:
    docker_or_fail().close()
    folder = _project(tmp_path, UNSET, "")
    done = _pytest(folder)
    assert done.returncode == 0, done.stdout + done.stderr


AFTER = """\
import json, os
import pytest

NAMES = ("DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE")

@pytest.hookimpl(trylast=True)  # after pgtdd's own pytest_unconfigure
def pytest_unconfigure(config):
    with open("after.json", "w") as out:
        json.dump({name: os.environ.get(name) for name in NAMES}, out)
"""


def test_the_previous_values_are_restored_at_the_end(tmp_path: Path) -> None:
    docker_or_fail().close()
    folder = _project(tmp_path, SUITE, "export_env: true\n")
    (folder / "conftest.py").write_text(AFTER)
    done = _pytest(
        folder, DATABASE_URL="postgresql://app@elsewhere/before", PGPASSWORD="kept-value"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(_exported(done.stdout)) == {"main"}  # the tests saw the session's database
    after = json.loads((folder / "after.json").read_text())
    assert after == {
        "DATABASE_URL": "postgresql://app@elsewhere/before",
        "PGPASSWORD": "kept-value",
        "PGHOST": None, "PGPORT": None, "PGUSER": None, "PGDATABASE": None,
    }
