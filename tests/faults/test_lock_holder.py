"""A test leaves a connection open inside its transaction, holding a row lock; the next test
waits for that row until its statement timeout: the failure names the holder (the test that
opened it, its pid and state) along with the timeout's key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.faults.conftest import (
    BOUNDED_CONFTEST,
    IMAGE,
    inner_env,
    inner_project,
    remove_containers,
    run_inner,
    wait_no_containers,
)

TESTS = """
import psycopg
import pytest

LEAKED = []


def test_a_leaves_a_lock(pgtdd_server):
    conn = psycopg.connect(pgtdd_server.url)
    conn.execute("CREATE TABLE IF NOT EXISTS accounts (id int PRIMARY KEY, balance int)")
    conn.execute("INSERT INTO accounts VALUES (1, 100) ON CONFLICT DO NOTHING")
    conn.commit()
    conn.execute("UPDATE accounts SET balance = 0 WHERE id = 1")  # and never commits
    LEAKED.append(conn)


@pytest.mark.asyncio
async def test_b_waits_for_it(fast_test_db):
    await fast_test_db.execute("UPDATE accounts SET balance = 1 WHERE id = 1")
"""


def test_a_lock_left_by_another_test_is_reported_with_its_holder(
    docker_engine: Any, tmp_path: Path
) -> None:
    project = inner_project(tmp_path, {"conftest.py": BOUNDED_CONFTEST, "test_lock.py": TESTS})
    env = inner_env(PGTDD_PROFILE="container", PGTDD_IMAGE=IMAGE, PGTDD_PORT="0")
    env["DATAFLOW_TDD_TIMEOUT"] = "3"  # the wait under the inner tests' 20 s alarm
    run = None
    try:
        run = run_inner(project, env)
        left = wait_no_containers(docker_engine, pid=run.pid)
        assert not left, f"containers left: {[c.short_id for c in left]}"
    finally:
        if run is not None:
            remove_containers(docker_engine, pid=run.pid)
    assert run.outcomes() == {"passed": 1, "failed": 1}, run.out[-3000:]
    failure = run.section("test_b_waits_for_it")
    assert "canceling statement due to statement timeout" in failure
    assert re.search(
        r"waited for a lock held by: pid \d+ 'pgtdd test test_lock.py::test_a_leaves_a_lock', "
        r"idle in transaction since [\d:]+, locks on accounts",
        failure,
    ), failure[-2500:]
    assert "timeouts.statement (env DATAFLOW_TDD_TIMEOUT)" in failure
    assert "HUNG" not in failure
