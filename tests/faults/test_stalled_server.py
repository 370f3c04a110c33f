"""The session's container is paused (``docker pause``) in the middle of a test.

Under the ``ci`` profile the test fails within the client's limit (``timeouts.statement`` plus
the margin) with a message naming the key; the next test that needs the server fails at once
while it stays paused, and the tests go on once it is unpaused. Ctrl-C during the stalled
statement ends the run within seconds with pytest's interrupt code and no traceback from pgtdd.
Every case unpauses and removes what it started, also when it fails.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from pgtdd.config.profile import load_profile
from pgtdd.isolation.context import CLIENT_TIMEOUT_MARGIN
from tests.faults.conftest import (
    IMAGE,
    finish,
    inner_env,
    inner_project,
    owned_containers,
    remove_containers,
    start_inner,
    wait_no_containers,
)

PAUSING = """
import time
from pathlib import Path

import docker
import pytest


def pause(server):
    Path("CONTAINER").write_text(server.container_id)
    docker.from_env().containers.get(server.container_id).pause()
    Path("PAUSED").write_text(repr(time.time()))
    print("PAUSED", flush=True)


@pytest.mark.asyncio
async def test_a_paused_mid_test(tdd_test_context, pgtdd_server):
    await tdd_test_context.connection.execute("CREATE TABLE t (v int)")
    pause(pgtdd_server)
    await tdd_test_context.connection.execute("SELECT 1")
"""
LATER = """

@pytest.mark.asyncio
async def test_b_while_paused(tdd_test_context):
    await tdd_test_context.connection.execute("SELECT 1")


def test_c_unpause():
    docker.from_env().containers.get(Path("CONTAINER").read_text()).unpause()


@pytest.mark.asyncio
async def test_d_after_unpause(tdd_test_context):
    assert await tdd_test_context.connection.fetchval("SELECT 1") == 1
"""
# The time the failing report was made, for the bound on the time to the error.
TIMING_CONFTEST = """
import time
from pathlib import Path


def pytest_runtest_logreport(report):
    if report.when == "call" and report.failed and not Path("FAILED_AT").exists():
        Path("FAILED_AT").write_text(repr(time.time()))
"""


def unpause_and_remove(docker: Any, pid: int) -> None:
    """Unpause what the inner run left paused, then remove it (``finally`` of every case)."""
    from docker.errors import DockerException

    for container in owned_containers(docker, pid=pid):
        try:
            container.reload()
            if container.status == "paused":
                container.unpause()
        except DockerException:
            continue
    remove_containers(docker, pid=pid)


def test_a_paused_server_fails_the_test_within_the_statement_limit_naming_the_key(
    docker_engine: Any, tmp_path: Path
) -> None:
    project = inner_project(
        tmp_path, {"conftest.py": TIMING_CONFTEST, "test_pause.py": PAUSING + LATER}
    )
    proc = start_inner(project, inner_env(PGTDD_PROFILE="ci", PGTDD_IMAGE=IMAGE, PGTDD_PORT="0"))
    try:
        run = finish(proc)
        left = wait_no_containers(docker_engine, pid=run.pid)
        assert not left, f"containers left: {[c.short_id for c in left]}"
    finally:
        unpause_and_remove(docker_engine, proc.pid)
    ci = load_profile("ci")
    seconds = float((project / "FAILED_AT").read_text()) - float((project / "PAUSED").read_text())
    limit = ci.timeouts.statement + CLIENT_TIMEOUT_MARGIN
    print(f"pause to failure: {seconds:.2f} s (client limit {limit:g} s)")
    assert limit <= seconds < limit + ci.timeouts.connect, run.out[-3000:]
    first = run.section("test_a_paused_mid_test")
    assert "TimeoutError" in first
    assert re.search(r"timeouts.statement \(\S*profiles/ci.yaml:\d+\)", first), first[-2000:]
    assert "is paused (`docker pause`)" in first
    paused = run.section("ERROR at setup of test_b_while_paused")
    assert "pgtdd: the PostgreSQL server is not answering (container" in paused
    assert "is paused" in paused and len(paused.splitlines()) <= 2, paused
    assert run.outcomes() == {"failed": 1, "passed": 2, "errors": 1}, run.out[-3000:]
    assert "INTERNALERROR" not in run.out and "InterfaceError" not in run.out


def test_one_ctrl_c_during_a_stalled_statement_ends_the_run_quickly(
    docker_engine: Any, tmp_path: Path
) -> None:
    project = inner_project(tmp_path, {"test_pause.py": PAUSING})
    env = inner_env(PGTDD_PROFILE="ci", PGTDD_IMAGE=IMAGE, PGTDD_PORT="0")
    proc = start_inner(project, env, "-s")
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if "PAUSED" in line:
                break
        time.sleep(0.5)  # inside the stalled statement
        interrupted = time.monotonic()
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            out = proc.communicate()[0]
        seconds = time.monotonic() - interrupted
        left = wait_no_containers(docker_engine, pid=proc.pid)
    finally:
        unpause_and_remove(docker_engine, proc.pid)
    print(f"Ctrl-C to the end of the run: {seconds:.2f} s")
    assert proc.returncode == 2, out[-3000:]  # pytest's "interrupted"
    assert seconds < 10, out[-3000:]
    assert "KeyboardInterrupt" in out
    assert "InterfaceError" not in out and "site-packages/pgtdd" not in out, out[-3000:]
    assert "/framework/" not in out.split("KeyboardInterrupt", 1)[-1], out[-3000:]
    assert not left, f"containers left: {[c.short_id for c in left]}"
