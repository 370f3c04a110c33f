"""The session's container is killed in the middle of a test.

That test fails with its own error plus pgtdd's one message naming the loss (killed by SIGKILL,
exit code 137, the server's last log lines, what to do); the later tests fail at setup with a
short reference to it, without connecting (each inner test is also bounded by an alarm that
would fail it as HUNG); the session ends without an internal error or a teardown traceback;
no container of the run is left.
"""

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
import threading
import time

import asyncpg
import docker
import psycopg
import pytest


def kill_when_sleeping(server):
    # Kill the container once the other connection is inside its statement.
    with psycopg.connect(server.url, autocommit=True) as watcher:
        for _ in range(500):
            row = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%'"
                " AND state = 'active' AND pid <> pg_backend_pid()"
            ).fetchone()
            if row[0]:
                break
            time.sleep(0.02)
    docker.from_env().containers.get(server.container_id).kill()


def test_a_server_dies_mid_statement(pgtdd_server):
    conn = psycopg.connect(pgtdd_server.url)
    conn.execute("CREATE TABLE survived (v text)")
    conn.execute("INSERT INTO survived VALUES ('uncommitted')")
    threading.Thread(target=kill_when_sleeping, args=(pgtdd_server,), daemon=True).start()
    conn.execute("SELECT pg_sleep(60)")


def test_b_later_psycopg(pgtdd_server):
    with psycopg.connect(pgtdd_server.url, connect_timeout=5) as conn:
        conn.execute("SELECT 1")


@pytest.mark.asyncio
async def test_c_later_asyncpg(pgtdd_server):
    conn = await asyncpg.connect(pgtdd_server.url, timeout=5)
    await conn.close()
"""

# What PostgreSQL and the drivers say when the server goes away under a connection.
WENT_AWAY = re.compile(
    r"server closed the connection unexpectedly|terminating connection due to administrator"
    r"|connection was closed in the middle of operation|the database system is shutting down"
)
LOSS = re.compile(
    r"pgtdd: the PostgreSQL server at \S+ is gone during \S+: container \w+ was killed by SIGKILL"
)
REFERENCE = "pgtdd: the PostgreSQL server is gone (container "


def failure_of(out: str, test: str) -> str:
    """The text of one test's failure section in ``-rA`` output."""
    match = re.search(rf"_{{3,}} {test} _{{3,}}\n(.*?)(?=\n_{{3,}} |\n={{3,}} )", out, re.S)
    assert match, f"no failure section for {test} in:\n{out[-3000:]}"
    return match.group(1)


def check_killed_run(out: str, returncode: int) -> None:
    assert returncode == 1, out[-3000:]  # tests failed; not an internal error, not interrupted
    first = failure_of(out, "test_a_server_dies_mid_statement")
    assert WENT_AWAY.search(first)
    assert LOSS.search(first), first[-2000:]
    assert len(LOSS.findall(out)) == 1  # named once
    for later in ("test_b_later_psycopg", "test_c_later_asyncpg"):
        text = failure_of(out, f"ERROR at setup of {later}")
        assert "HUNG" not in text
        assert REFERENCE in text and "test_a_server_dies_mid_statement" in text, text[-1500:]
        assert "Traceback" not in text and len(text.splitlines()) <= 2, text  # short
    assert "1 failed, 2 errors" in out
    assert "INTERNALERROR" not in out
    assert "Traceback (most recent call last)" not in out  # nothing raised in teardown


def run_killed_session(
    docker: Any, path: Path, extra: dict[str, str], ini: str = ""
) -> tuple[int, str]:
    inner_project(path, {"conftest.py": BOUNDED_CONFTEST, "test_inner.py": TESTS, **extra}, ini)
    env = inner_env(PGTDD_PROFILE="container", PGTDD_IMAGE=IMAGE, PGTDD_PORT="0")
    run = None
    try:
        run = run_inner(path, env)
        left = wait_no_containers(docker, pid=run.pid)
        assert not left, f"containers left: {[c.short_id for c in left]}"
        return run.returncode, run.out
    finally:
        if run is not None:
            remove_containers(docker, pid=run.pid)


def test_killed_container_fails_that_test_and_the_rest_fast(
    docker_engine: Any, tmp_path: Path
) -> None:
    returncode, out = run_killed_session(docker_engine, tmp_path, {})
    check_killed_run(out, returncode)


def test_killed_container_with_a_session_clone_ends_cleanly(
    docker_engine: Any, tmp_path: Path
) -> None:
    schema = {"schema.sql": "CREATE TABLE from_schema (id int);\n"}
    returncode, out = run_killed_session(
        docker_engine, tmp_path, schema, ini="pgtdd_schema = schema.sql\n"
    )
    check_killed_run(out, returncode)


TDD_TESTS = """
import asyncio

import docker
import pytest


@pytest.mark.asyncio
async def test_a_server_dies_mid_statement(tdd_test_context, pgtdd_server):
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE survived (v int)")

    async def kill_when_sleeping():
        while not await asyncio.to_thread(sleeping, pgtdd_server):
            await asyncio.sleep(0.02)
        await asyncio.to_thread(
            lambda: docker.from_env().containers.get(pgtdd_server.container_id).kill()
        )

    killer = asyncio.create_task(kill_when_sleeping())
    try:
        await conn.execute("SELECT pg_sleep(60)")
    finally:
        await killer


def sleeping(server):
    import psycopg

    with psycopg.connect(server.url, autocommit=True) as watcher:
        row = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'"
            " AND state = 'active'"
        ).fetchone()
    return bool(row[0])


@pytest.mark.asyncio
async def test_b_later(tdd_test_context):
    await tdd_test_context.connection.execute("SELECT 1")


@pytest.mark.asyncio
async def test_c_later(tdd_test_context):
    await tdd_test_context.connection.execute("SELECT 1")
"""


def test_killed_container_under_the_tdd_fixtures(docker_engine: Any, tmp_path: Path) -> None:
    inner_project(tmp_path, {"conftest.py": BOUNDED_CONFTEST, "test_inner.py": TDD_TESTS})
    env = inner_env(PGTDD_PROFILE="container", PGTDD_IMAGE=IMAGE, PGTDD_PORT="0")
    run = None
    try:
        run = run_inner(tmp_path, env)
        left = wait_no_containers(docker_engine, pid=run.pid)
        assert not left, f"containers left: {[c.short_id for c in left]}"
        assert run.returncode == 1, run.out[-3000:]
        first = run.section("test_a_server_dies_mid_statement")
        assert WENT_AWAY.search(first) and LOSS.search(first), first[-2000:]
        for later in ("test_b_later", "test_c_later"):
            text = run.section(f"ERROR at setup of {later}")
            assert "HUNG" not in text and REFERENCE in text, text[-1500:]
        assert "INTERNALERROR" not in run.out
        assert "released back to the pool" not in run.out
    finally:
        if run is not None:
            remove_containers(docker_engine, pid=run.pid)
