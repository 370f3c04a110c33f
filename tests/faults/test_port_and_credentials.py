"""Port 5433 taken, wrong credentials, and awkward-but-valid credentials.

* 5433 held by someone else: the session uses another port and says so in the header.
* A wrong user, password or database: the error names which, and never shows the password.
* A password full of URL and shell metacharacters, a mixed-case user with a dash, a database
  name with a space: the container starts, tests connect, the password is printed nowhere.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml

from pgtdd.serverinfo import ServerInfo
from tests.faults.conftest import (
    INNER_TIMEOUT,
    inner_env,
    inner_project,
    remove_containers,
    run_inner,
    wait_no_containers,
)

DEFAULT_PORT = 5433
PRINT_SERVER = """
import psycopg

def test_db(pgtdd_server):
    print("SERVER-PORT", pgtdd_server.port)
    with psycopg.connect(pgtdd_server.url) as conn:
        row = conn.execute("SELECT current_user, current_database()").fetchone()
    print("SERVER-WHO", row[0], "|", row[1])
"""
AWKWARD_PASSWORD = "p@ss:w/rd?#&%20'\"\\ $HOME;`x`"


@pytest.fixture
def port_5433_taken() -> Iterator[None]:
    """Hold 5433 on all interfaces (when something else already holds it, it stays taken)."""
    sock = socket.socket()
    try:
        try:
            sock.bind(("0.0.0.0", DEFAULT_PORT))
            sock.listen()
        except OSError:
            pass  # already taken by another process: just as good
        yield
    finally:
        sock.close()


def test_port_5433_taken_falls_back_and_says_so(
    docker_engine: Any, port_5433_taken: None, tmp_path: Path
) -> None:
    project = inner_project(tmp_path / "p", {"test_db.py": PRINT_SERVER})
    run = None
    try:
        run = run_inner(project, inner_env(PGTDD_PROFILE="container"), "-s")
        assert run.returncode == 0, run.out[-3000:]
        assert f"pgtdd: note: port {DEFAULT_PORT} is taken: using an ephemeral port" in run.out
        port = int(run.out.split("SERVER-PORT ", 1)[1].split()[0])
        assert port != DEFAULT_PORT
        assert f":{port}/dataflow_test" in run.out  # the header shows the port really used
        assert not wait_no_containers(docker_engine, pid=run.pid)
    finally:
        if run is not None:
            remove_containers(docker_engine, pid=run.pid)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"password": "Wr0ng-S3cret"}, "The password for user 'dataflow_test' was rejected"),
        ({"database": "no_such_db"}, "Database 'no_such_db' does not exist"),
        ({"user": "no_such_role", "password": "Wr0ng-S3cret"}, "for user 'no_such_role'"),
    ],
    ids=["password", "database", "user"],
)
def test_wrong_credentials_are_named_without_the_password(
    pgtdd_server: ServerInfo, tmp_path: Path, change: dict[str, str], named: str
) -> None:
    user = change.get("user", pgtdd_server.user)
    password = change.get("password", pgtdd_server.password)
    database = change.get("database", pgtdd_server.database)
    url = (
        f"postgresql://{user}:{quote(password, safe='')}@{pgtdd_server.host}:"
        f"{pgtdd_server.port}/{database}"
    )
    project = inner_project(tmp_path / "p", {"test_db.py": PRINT_SERVER})
    run = run_inner(project, inner_env(PGTDD_PROFILE="local", TEST_DATABASE_URL=url))
    assert run.returncode == 3, run.out[-3000:]
    assert named in run.out
    assert "Wr0ng-S3cret" not in run.out
    assert "no tests ran" in run.out


def test_doctor_names_the_rejected_password(pgtdd_server: ServerInfo) -> None:
    url = pgtdd_server.url.replace(pgtdd_server.password, "Wr0ng-S3cret", 1)
    done = subprocess.run(
        [sys.executable, "-m", "pgtdd.cli.main", "doctor", "--json"],
        capture_output=True,
        text=True,
        env=inner_env(PGTDD_PROFILE="local", TEST_DATABASE_URL=url),
        timeout=INNER_TIMEOUT,
        check=False,
    )
    assert done.returncode == 1
    checks = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
    assert checks["server"]["status"] == "fail"
    assert "The password for user 'dataflow_test' was rejected" in checks["server"]["fix"]
    assert "Wr0ng-S3cret" not in done.stdout + done.stderr


def test_awkward_credentials_work_and_the_password_is_never_printed(
    docker_engine: Any, tmp_path: Path
) -> None:
    profile = {
        "extends": "container",
        "host_port": 0,
        "user": "Fault-User",
        "password": AWKWARD_PASSWORD,
        "database": "fault DB-1",
    }
    project = inner_project(
        tmp_path / "p",
        {"test_db.py": PRINT_SERVER, "awkward.yaml": yaml.safe_dump(profile)},
    )
    run = None
    try:
        run = run_inner(project, inner_env(), "-s", "-v", "--db-profile", "awkward.yaml")
        assert run.returncode == 0, run.out[-3000:]
        assert "SERVER-WHO Fault-User | fault DB-1" in run.out
        for shown in (AWKWARD_PASSWORD, quote(AWKWARD_PASSWORD, safe=""), "p@ss:w/rd"):
            assert shown not in run.out
        assert not wait_no_containers(docker_engine, pid=run.pid)
    finally:
        if run is not None:
            remove_containers(docker_engine, pid=run.pid)
