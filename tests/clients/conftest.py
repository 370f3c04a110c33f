"""Helpers for the client tests: a database of their own with the escape log, and child runs."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgtdd.clients.slots import ConnectionSlot, install_escape_log
from pgtdd.server import ServerInfo
from tests.tdd.conftest import CHILD_INI, ChildRun

Outside = psycopg.Connection[tuple[Any, ...]]


@pytest.fixture
def fresh(pgtdd_fresh_database: ServerInfo) -> ServerInfo:
    """A database of this test's own (commits are safe there) carrying the escape log."""
    assert install_escape_log(pgtdd_fresh_database).on
    return pgtdd_fresh_database


@pytest.fixture
def slot(fresh: ServerInfo) -> Iterator[ConnectionSlot]:
    """Client connections to :func:`fresh`."""
    slot = ConnectionSlot(fresh)
    yield slot
    slot.close()


@pytest.fixture
def outside(fresh: ServerInfo) -> Iterator[Outside]:
    """An autocommit connection of its own to :func:`fresh` (it sees only what is committed)."""
    with psycopg.connect(fresh.url, autocommit=True) as conn:
        yield conn


def count(conn: Outside, table: str) -> int:
    """Rows of ``table`` as another connection sees them (committed only)."""
    row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else -1


RunChild = Callable[..., ChildRun]


@pytest.fixture
def run_child(tmp_path: Path, pgtdd_server: ServerInfo) -> RunChild:
    """Write ``files`` ({name: source}) and run pytest there in a child process, on this
    session's server through the ``local`` profile."""

    def run(files: dict[str, str], *args: str, ini: str = CHILD_INI) -> ChildRun:
        (tmp_path / "pytest.ini").write_text(ini)
        for name, source in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(source))
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        env.pop("DATAFLOW_TDD_MODE", None)
        env.update(PGTDD_PROFILE="local", TEST_DATABASE_URL=pgtdd_server.url)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return ChildRun(done.returncode, done.stdout + done.stderr)

    return run
