"""The Docker daemon is unreachable: hung (accepts, never answers) or refusing connections.

The run stops before any test with an error naming Docker and the ways out, bounded by the
client's timeout (the message names it); ``pgtdd doctor`` says the same on its docker line.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.conftest import INNER_TIMEOUT, inner_env, inner_project, run_inner

DB_TEST = {"test_db.py": "def test_db(pgtdd_server):\n    assert pgtdd_server.url\n"}


class HungDaemon:
    """A Unix socket that accepts connections and never answers (a wedged dockerd)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(str(path))
        self.sock.listen(64)
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()
        self.thread.join(timeout=5)


@pytest.fixture
def hung_daemon(tmp_path: Path) -> Iterator[HungDaemon]:
    daemon = HungDaemon(tmp_path / "docker.sock")
    try:
        yield daemon
    finally:
        daemon.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def check_no_docker_error(out: str) -> None:
    assert "pgtdd: could not provision PostgreSQL: Docker is not reachable" in out
    assert "start Docker" in out
    assert "--db-profile local" in out and "--db-profile native" in out


def test_hung_daemon_stops_the_run_with_the_timeout_named(
    hung_daemon: HungDaemon, tmp_path: Path
) -> None:
    project = inner_project(tmp_path / "p", DB_TEST)
    env = inner_env(PGTDD_PROFILE="container", DOCKER_HOST=f"unix://{hung_daemon.path}")
    run = run_inner(project, env)
    assert run.returncode == 3, run.out[-2000:]
    check_no_docker_error(run.out)
    assert "Read timed out" in run.out and "read timeout=5.0" in run.out
    assert hung_daemon.accepted  # the client did reach the socket and then gave up
    assert "no tests ran" in run.out


def test_refused_tcp_daemon_stops_the_run(closed_port: int, tmp_path: Path) -> None:
    project = inner_project(tmp_path / "p", DB_TEST)
    env = inner_env(PGTDD_PROFILE="container", DOCKER_HOST=f"tcp://127.0.0.1:{closed_port}")
    run = run_inner(project, env)
    assert run.returncode == 3, run.out[-2000:]
    check_no_docker_error(run.out)
    assert "Connection refused" in run.out


def test_doctor_reports_the_hung_daemon_with_the_fix(hung_daemon: HungDaemon) -> None:
    env = inner_env(PGTDD_PROFILE="container", DOCKER_HOST=f"unix://{hung_daemon.path}")
    done = subprocess.run(
        [sys.executable, "-m", "pgtdd.cli.main", "doctor", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=INNER_TIMEOUT,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    checks = {check["name"]: check for check in report["checks"]}
    assert report["ok"] is False
    assert checks["docker"]["status"] == "fail"
    assert "Read timed out" in checks["docker"]["detail"]
    assert "start Docker" in checks["docker"]["fix"]
    assert checks["server"]["status"] == "skip" and checks["leaks"]["status"] == "skip"
