"""Shared pieces of the fault-injection suite: Docker, inner pytest runs, leak checks.

Every case that starts containers or pytest processes cleans up in ``finally`` and then asserts
that nothing of its own is left: containers found by the pgtdd owner label plus the pid label of
the process that started them, server backends found in ``pg_stat_activity`` by database.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from pgtdd.providers.ownership import (
    OWNER,
    OWNER_LABEL,
    PID_LABEL,
    SESSION_LABEL,
    STARTED_LABEL,
    process_started,
)
from pgtdd.serverinfo import ServerInfo
from tests.majors import tuned_image


def __getattr__(name: str) -> str:
    # IMAGE is the session's major's image, asked for when a test module imports it (this
    # conftest itself may be imported before the session's settings exist).
    if name == "IMAGE":
        return tuned_image()
    raise AttributeError(name)


# Bounded waits for events (a process to end, a backend or container to go away). They only
# turn a hang into a failure; no test asserts how long anything took.
INNER_TIMEOUT = 180.0
GONE_WAIT = 30.0
PGTDD_ENV = (
    "PGTDD_PROFILE",
    "PGTDD_PORT",
    "PGTDD_IMAGE",
    "PGTDD_REUSE",
    "PGTDD_ALLOW_DATABASE",
    "TEST_DATABASE_URL",
    "PYTEST_XDIST_TESTRUNUID",
    "PYTEST_ADDOPTS",
)
# An inner conftest that turns a test running for more than 20 s into a failure saying HUNG.
BOUNDED_CONFTEST = """
import signal
import pytest

@pytest.fixture(autouse=True)
def bounded():
    def hung(signum, frame):
        raise RuntimeError("HUNG: this test did not fail fast")
    signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
"""
INNER_INI = """\
[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""


def needs(what: str, exc: BaseException) -> None:
    """A missing prerequisite fails the test in CI (``CI=true``) and skips it elsewhere."""
    message = f"needs {what}: run `bash scripts/bootstrap.sh` ({exc})"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(message)
    pytest.skip(message)


def require_docker() -> Any:
    """A Docker client with the pgtdd image present (fails in CI, skips elsewhere)."""
    from pgtdd.providers.engine import docker_client

    try:
        client = docker_client()
        client.images.get(tuned_image())
    except Exception as exc:  # noqa: BLE001 - any reason means the prerequisite is missing
        needs(f"Docker and {tuned_image()}", exc)
    return client


@pytest.fixture(scope="session")
def docker_engine() -> Iterator[Any]:
    """A Docker client with the pgtdd image present."""
    client = require_docker()
    yield client
    client.close()


def owned_containers(docker: Any, *, pid: int | None = None, session: str | None = None) -> list:
    """pgtdd containers started by process ``pid`` or session ``session`` (any state)."""
    labels = [f"{OWNER_LABEL}={OWNER}"]
    if pid is not None:
        labels.append(f"{PID_LABEL}={pid}")
        if pid in _STARTED:  # pids are reused: an earlier process's container is not ours
            labels.append(f"{STARTED_LABEL}={_STARTED[pid]}")
    if session is not None:
        labels.append(f"{SESSION_LABEL}={session}")
    return list(docker.containers.list(all=True, filters={"label": labels}, ignore_removed=True))


def container_logs(container: Any) -> str:
    """The container's output so far; empty when it was removed meanwhile."""
    from docker.errors import NotFound

    try:
        return str(container.logs().decode(errors="replace"))
    except NotFound:
        return ""


def wait_no_containers(docker: Any, *, pid: int | None = None, session: str | None = None) -> list:
    """Containers of ``pid``/``session`` still present after a bounded wait (empty = clean)."""
    deadline = time.monotonic() + GONE_WAIT
    left = owned_containers(docker, pid=pid, session=session)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = owned_containers(docker, pid=pid, session=session)
    return left


def remove_containers(docker: Any, *, pid: int | None = None, session: str | None = None) -> None:
    """Last-resort cleanup in ``finally`` blocks (the assertion about leftovers comes first)."""
    from docker.errors import DockerException

    for container in owned_containers(docker, pid=pid, session=session):
        try:
            container.remove(force=True, v=True)
        except DockerException:
            continue


SLOW_LINE = "pgtdd-fault: slow start, sleeping before postgres"
SLOW_SCRIPT = f"echo '{SLOW_LINE}'; sleep 600; exec pgtdd-entrypoint.sh \"$@\""
SLOW_ENTRYPOINT = json.dumps(["/bin/sh", "-c", SLOW_SCRIPT, "slow"])


@pytest.fixture(scope="session")
def slow_image(docker_engine: Any) -> Iterator[str]:
    """An image whose entrypoint sleeps 10 minutes before starting PostgreSQL (built locally)."""
    tag = f"pgtdd-fault/slow-start:{uuid.uuid4().hex[:8]}"
    dockerfile = f"FROM {tuned_image()}\nENTRYPOINT {SLOW_ENTRYPOINT}\n"
    docker_engine.images.build(fileobj=io.BytesIO(dockerfile.encode()), tag=tag, rm=True)
    try:
        yield tag
    finally:
        docker_engine.images.remove(tag, force=True)


@dataclass
class InnerRun:
    """A finished inner pytest process."""

    pid: int
    returncode: int
    out: str

    def outcomes(self) -> dict[str, int]:
        """Counts from pytest's last summary line (``failed``, ``passed``, ``errors``...)."""
        line = self.out.strip().splitlines()[-1] if self.out.strip() else ""
        found = {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", line)}
        if "error" in found:
            found["errors"] = found.pop("error")
        return found

    def section(self, title: str) -> str:
        """The text of one report section of ``-rA`` output (``test_a``, ``ERROR at ...``)."""
        pattern = rf"_{{3,}} {re.escape(title)} _{{3,}}\n(.*?)(?=\n_{{3,}} |\n={{3,}} )"
        match = re.search(pattern, self.out, re.S)
        assert match, f"no section {title!r} in:\n{self.out[-3000:]}"
        return match.group(1)


def inner_project(path: Path, files: dict[str, str], ini: str = "") -> Path:
    """Write an inner pytest project (``pytest.ini`` plus ``ini`` lines, and ``files``)."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "pytest.ini").write_text(INNER_INI + ini)
    for name, text in files.items():
        (path / name).write_text(textwrap.dedent(text))
    return path


def inner_env(**values: str) -> dict[str, str]:
    """This process's environment without pgtdd's variables, plus ``values``."""
    env = {k: v for k, v in os.environ.items() if k not in PGTDD_ENV}
    env.update(values)
    return env


# pid -> start time of the inner processes started here, to tell their containers apart
_STARTED: dict[int, str] = {}


def start_inner(path: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """Start ``python -m pytest`` in ``path`` (stdout and stderr merged, text)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
        cwd=path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    if started := process_started(proc.pid):
        _STARTED[proc.pid] = started
    return proc


def finish(proc: subprocess.Popen[str]) -> InnerRun:
    """Wait for an inner pytest; a process that does not end in time is killed and fails."""
    try:
        out, _ = proc.communicate(timeout=INNER_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        pytest.fail(f"inner pytest hung (killed after {INNER_TIMEOUT:g}s):\n{out[-4000:]}")
    return InnerRun(proc.pid, proc.returncode, out)


def run_inner(path: Path, env: dict[str, str], *args: str) -> InnerRun:
    """Run an inner pytest to completion."""
    return finish(start_inner(path, env, *args))


def backends(server: ServerInfo, database: str) -> list[tuple[Any, ...]]:
    """Client backends connected to ``database`` (pid, application, state, query)."""
    with psycopg.connect(server.url_for("postgres"), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid, application_name, state, left(query, 80) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return list(rows)


def wait_no_backends(server: ServerInfo, database: str) -> list[tuple[Any, ...]]:
    """Backends on ``database`` still there after a bounded wait (empty = no leak)."""
    deadline = time.monotonic() + GONE_WAIT
    left = backends(server, database)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = backends(server, database)
    return left


@pytest.fixture
def fault_db(pgtdd_server: ServerInfo) -> Iterator[ServerInfo]:
    """A fresh database for one fault case on the session server; dropped afterwards.

    The case asserts (via :func:`wait_no_backends`) that nothing is left connected to it.
    """
    name = f"pgtdd_fault_{uuid.uuid4().hex[:10]}"
    admin = pgtdd_server.url_for("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield pgtdd_server.with_database(name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
