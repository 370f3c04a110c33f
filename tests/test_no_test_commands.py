"""Commands that run no test start nothing and say nothing about servers (issue 16 C).

The inner runs ask for an image that does not exist: anything that tried to start a server
would fail the run with pgtdd's "could not provision" message (the first test shows it does).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SUITE = """
def test_uses_the_server(pgtdd_server):
    assert pgtdd_server.url
"""
MISSING_IMAGE = "pgtdd/postgres:pgtdd-no-such-image"
# The header's lines: what was asked for, then the server found ("PostgreSQL 18.1 ... at ...").
SERVER_LINE = re.compile(r"^pgtdd: (profile |PostgreSQL \d)")


def run(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PGTDD_PROFILE": "container",
        "PGTDD_PORT": "0",
        "PGTDD_IMAGE": MISSING_IMAGE,
        "PGTDD_PG_IMAGES": MISSING_IMAGE,
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    (tmp_path / "test_suite.py").write_text(SUITE)
    return tmp_path


def test_a_run_of_the_test_tries_the_missing_image(suite: Path) -> None:
    done = run(suite)
    assert done.returncode != 0, done.stdout
    assert "could not provision" in done.stdout + done.stderr
    assert MISSING_IMAGE in done.stdout + done.stderr
    assert any(SERVER_LINE.match(line) for line in done.stdout.splitlines()), done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("--collect-only",),
        ("--fixtures",),
        ("--fixtures-per-test",),
        ("--setup-plan",),
        ("--markers",),
        ("--help",),
        ("-n", "2", "--fixtures"),
    ],
    ids=lambda args: " ".join(args),
)
def test_a_command_that_runs_no_test_starts_nothing(suite: Path, args: tuple[str, ...]) -> None:
    done = run(suite, *args)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    for line in output.splitlines():
        assert not SERVER_LINE.match(line), line
    assert "could not provision" not in output


NO_DB_SUITE = """
import sys

def test_no_database_here():
    names = ("psycopg", "asyncpg", "docker", "testcontainers", "pglast")
    heavy = [m for m in names if m in sys.modules]
    assert heavy == [], heavy
"""


def test_a_run_of_tests_without_a_database_loads_no_client_layer(tmp_path: Path) -> None:
    """pgtdd on, but no test asks for a server: nothing starts and no driver is imported
    (pytest-postgresql, installed here for the peer benchmark, imports psycopg itself: off)."""
    (tmp_path / "test_plain.py").write_text(NO_DB_SUITE)
    done = run(tmp_path, "-p", "no:pytest_postgresql")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert "could not provision" not in done.stdout + done.stderr
