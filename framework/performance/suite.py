"""A generated suite of small database tests, run as a separate ``pytest`` process and timed.

Used by ``pgtdd bench`` (the spec's "20-test suite < 5 s" target, cold start included) and by
the peer comparison in ``benchmarks/peers``. Every test does the same small body: create a
table, insert a row, count the rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PGTDD_SUITE = '''\
"""{count} small database tests on pgtdd's savepoint fixture (generated)."""

import pytest


@pytest.mark.asyncio
@pytest.mark.parametrize("i", range({count}))
async def test_item(tdd_test_context, i):
    connection = tdd_test_context.connection
    await connection.execute("CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)")
    await connection.execute("INSERT INTO items (name) VALUES ($1)", f"item {{i}}")
    assert await connection.fetchval("SELECT count(*) FROM items") == 1
'''

PGTDD_INI = """\
[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""


@dataclass(frozen=True)
class SuiteRun:
    """One whole ``pytest`` process: wall seconds from spawn to exit, exit code, output tail."""

    tests: int
    wall_s: float
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        """True when the suite's pytest exited with status 0."""
        return self.returncode == 0


def write_pgtdd_suite(folder: Path, count: int) -> Path:
    """Write the pgtdd suite of ``count`` tests into ``folder``; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pytest.ini").write_text(PGTDD_INI)
    (folder / f"test_pgtdd_{count}.py").write_text(PGTDD_SUITE.format(count=count))
    return folder


def run_suite(
    folder: Path,
    tests: int,
    env: Mapping[str, str] | None = None,
    args: tuple[str, ...] = (),
    base_env: Mapping[str, str] | None = None,
) -> SuiteRun:
    """Run ``pytest -q`` in ``folder`` as a new process and time it from spawn to exit.

    The process gets ``base_env`` (default: this process's environment) updated with ``env``.
    """
    environment = {**(os.environ if base_env is None else base_env), **(env or {})}
    environment.pop("PYTEST_ADDOPTS", None)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=folder, env=environment, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    output = (done.stdout + done.stderr)[-3000:]
    return SuiteRun(tests, wall, done.returncode, output)
