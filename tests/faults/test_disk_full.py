"""A test writes past the data directory's bounded tmpfs (``tmpfs_size``).

It fails with PostgreSQL's "could not extend file ... No space left on device" plus pgtdd's
note naming the key and where it was set; the server stays up, and the next test passes.
"""

from __future__ import annotations

import re
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

PROFILE = """\
extends: container
tmpfs_size: 300m
server_settings:
  max_wal_size: "64MB"
"""
TESTS = """
import time

import pytest


@pytest.mark.asyncio
async def test_a_fills_the_tmpfs(tdd_test_context):
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE big (v text)")
    started = time.monotonic()
    try:
        for _ in range(100):  # 100 x 30 MB: far past 300 MB
            await conn.execute(
                "INSERT INTO big SELECT repeat(md5(i::text), 30) FROM generate_series(1, 30000) i"
            )
    finally:
        print(f"FILLED after {time.monotonic() - started:.2f} s")


@pytest.mark.asyncio
async def test_b_next_test_passes(tdd_test_context):
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE small (v text)")
    await conn.execute("INSERT INTO small SELECT md5(i::text) FROM generate_series(1, 1000) i")
    assert await conn.fetchval("SELECT count(*) FROM small") == 1000
"""


def test_writing_past_tmpfs_size_fails_that_test_naming_the_key(
    docker_engine: Any, tmp_path: Path
) -> None:
    project = inner_project(tmp_path, {"test_fill.py": TESTS, "small.yaml": PROFILE})
    run = None
    try:
        run = run_inner(
            project, inner_env(PGTDD_IMAGE=IMAGE, PGTDD_PORT="0"), "--db-profile", "small.yaml"
        )
        left = wait_no_containers(docker_engine, pid=run.pid)
        assert not left, f"containers left: {[c.short_id for c in left]}"
    finally:
        if run is not None:
            remove_containers(docker_engine, pid=run.pid)
    assert run.outcomes() == {"failed": 1, "passed": 1}, run.out[-3000:]
    failure = run.section("test_a_fills_the_tmpfs")
    assert "could not extend file" in failure, failure[-3000:]
    assert "DiskFullError" in failure
    assert re.search(r"profile key tmpfs_size \(\S*small.yaml:2\)", failure), failure[-2000:]
    seconds = float(re.search(r"FILLED after ([\d.]+) s", run.out).group(1))
    bound = load_profile("container").timeouts.statement
    print(f"time to the disk-full error: {seconds:.2f} s (bound: timeouts.statement {bound:g} s)")
    assert seconds < bound
    assert "PANIC" not in run.out and "server lost" not in run.out
