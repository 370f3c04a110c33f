"""The session's server is killed in the third of 200 tests: one message, then fail fast or
restart (``on_server_loss``), and nothing left running.

The time from the kill to the end of the run is asserted against a bound taken from the
profile (one statement timeout), not as a performance figure: the old behaviour (each later
test retrying its connection) took 73 s for this run.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from pgtdd.config.profile import load_profile
from tests.faults.conftest import (
    IMAGE,
    inner_env,
    inner_project,
    remove_containers,
    run_inner,
    wait_no_containers,
)

TESTS = """
import time
from pathlib import Path

import docker
import pytest


@pytest.mark.asyncio
@pytest.mark.parametrize("n", range(200))
async def test_many(fast_test_db, pgtdd_server, n):
    if n == 2:
        docker.from_env().containers.get(pgtdd_server.container_id).kill()
        Path("KILLED").write_text(repr(time.time()))
    assert await fast_test_db.fetchval("SELECT count(*) FROM from_schema") == 0
"""
SCHEMA = "CREATE TABLE from_schema (id int);\n"
FULL_MESSAGE = re.compile(r"pgtdd: the PostgreSQL server at \S+ is gone during \S+\[2\]")


def run_with_a_kill(docker: Any, path: Path, profile: str) -> tuple[Any, float]:
    files = {"test_many.py": TESTS, "schema.sql": SCHEMA, "loss.yaml": profile}
    inner_project(path, files, ini="pgtdd_schema = schema.sql\n")
    env = inner_env(PGTDD_IMAGE=IMAGE, PGTDD_PORT="0")
    run = None
    try:
        run = run_inner(path, env, "--db-profile", "loss.yaml", "-q")
        ended = time.time()
        left = wait_no_containers(docker, pid=run.pid)
        assert not left, f"containers left: {[c.short_id for c in left]}"
        killed = float((path / "KILLED").read_text())
        return run, ended - killed
    finally:
        if run is not None:
            remove_containers(docker, pid=run.pid)


def test_a_killed_server_is_named_once_and_the_rest_fail_at_once(
    docker_engine: Any, tmp_path: Path
) -> None:
    run, seconds = run_with_a_kill(docker_engine, tmp_path, "extends: container\n")
    bound = load_profile("container").timeouts.statement
    print(f"kill to end of run: {seconds:.2f} s (bound: timeouts.statement {bound:g} s)")
    assert seconds < bound, run.out[-3000:]
    assert run.returncode == 1, run.out[-3000:]
    assert run.outcomes() == {"passed": 2, "failed": 1, "errors": 197}, run.out[-3000:]
    assert len(FULL_MESSAGE.findall(run.out)) == 1, run.out[-5000:]
    assert "was killed by SIGKILL" in run.out
    assert "197 later test(s) failed at once without connecting" in run.out
    assert "Connection refused" not in run.out and "Connect call failed" not in run.out
    assert "INTERNALERROR" not in run.out


def test_on_server_loss_restart_provisions_again_and_the_rest_pass(
    docker_engine: Any, tmp_path: Path
) -> None:
    profile = "extends: container\non_server_loss: restart\n"
    run, seconds = run_with_a_kill(docker_engine, tmp_path, profile)
    print(f"kill to end of run with a restart: {seconds:.2f} s")
    assert run.returncode == 1, run.out[-3000:]  # the test that saw the kill fails
    assert run.outcomes() == {"passed": 199, "failed": 1}, run.out[-3000:]
    assert "restart 1: the server was lost (container" in run.out
    assert "was killed by SIGKILL" in run.out
    assert "pgtdd provisions a new server before the next test" in run.out
    assert "Connection refused" not in run.out and "Connect call failed" not in run.out
    bound = load_profile("container").timeouts.startup
    assert seconds < bound, run.out[-3000:]
