"""The server is slow to accept connections: readiness retries, then times out with the log.

Two servers that never become ready: a TCP listener on 127.0.0.1 that accepts connections and
never answers (an external server), and a container whose entrypoint sleeps before PostgreSQL
starts. Profiles of our own give both a short retry deadline.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pgtdd.databases.guard import ALLOW_ENV
from tests.faults.conftest import (
    SLOW_LINE,
    inner_env,
    inner_project,
    remove_containers,
    run_inner,
    wait_no_containers,
)

DB_TEST = {"test_db.py": "def test_db(pgtdd_server):\n    assert pgtdd_server.url\n"}


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never sends a byte (counts the attempts)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = int(self.sock.getsockname()[1])
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()
        self.thread.join(timeout=5)


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    try:
        yield server
    finally:
        server.close()


def test_silent_server_is_retried_then_times_out(
    silent_server: SilentServer, tmp_path: Path
) -> None:
    url = f"postgresql://app:pw@127.0.0.1:{silent_server.port}/app_test"
    profile = f"provider: external\nurl: {url}\ntimeouts:\n  connect: 2\nretry:\n  deadline: 3\n"
    project = inner_project(tmp_path / "p", {**DB_TEST, "slow.yaml": profile})
    env = inner_env(**{ALLOW_ENV: f"127.0.0.1:{silent_server.port}/app_test"})
    run = run_inner(project, env, "--db-profile", "slow.yaml")
    assert run.returncode == 3, run.out[-2000:]
    assert "is not usable" in run.out and "timeout expired" in run.out
    assert "retried transient faults for up to 3s: retry.deadline" in run.out
    assert len(silent_server.held) >= 2  # more than one attempt: it retried
    assert "no tests ran" in run.out


def test_slow_container_times_out_with_the_server_log(
    docker_engine: Any, slow_image: str, tmp_path: Path
) -> None:
    profile = (
        "extends: container\n"
        f"image: {slow_image}\n"
        "host_port: 0\n"
        "timeouts:\n  connect: 2\n"
        "retry:\n  deadline: 3\n"
    )
    project = inner_project(tmp_path / "p", {**DB_TEST, "slow.yaml": profile})
    run = None
    try:
        run = run_inner(project, inner_env(), "--db-profile", "slow.yaml")
        assert run.returncode == 3, run.out[-2000:]
        assert "is not usable" in run.out
        assert "retried transient faults for up to 3s" in run.out
        assert "--- server log (last lines) ---" in run.out
        assert SLOW_LINE in run.out  # the container's own output, as the log tail
        left = wait_no_containers(docker_engine, pid=run.pid)
        assert not left, f"containers left: {[c.short_id for c in left]}"
    finally:
        if run is not None:
            remove_containers(docker_engine, pid=run.pid)
