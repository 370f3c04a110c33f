"""Helpers for the TDD tests: a child pytest run against this session's server."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from pgtdd.serverinfo import ServerInfo

CHILD_INI = """\
[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
filterwarnings = error
"""


@dataclass
class ChildRun:
    """The outcome of a child pytest run."""

    returncode: int
    output: str

    def outcomes(self) -> str:
        """The last line of the summary (``2 passed, 1 error in 0.1s``)."""
        lines = [line for line in self.output.splitlines() if line.strip()]
        return lines[-1] if lines else ""


RunPytest = Callable[..., ChildRun]


@pytest.fixture
def run_pytest(tmp_path: Path, pgtdd_server: ServerInfo) -> RunPytest:
    """Write ``source`` as a test file and run pytest on it in a child process.

    The child uses the pgtdd plugin with the ``local`` profile pointed at this session's
    server and database; ``env`` entries override the environment (``None`` removes one).
    """

    def run(
        source: str, *args: str, env: dict[str, str | None] | None = None, name: str = "test_x.py"
    ) -> ChildRun:
        (tmp_path / "pytest.ini").write_text(CHILD_INI)
        (tmp_path / name).write_text(textwrap.dedent(source))
        child_env = dict(os.environ)
        child_env.pop("DATAFLOW_TDD_MODE", None)
        child_env.update(PGTDD_PROFILE="local", TEST_DATABASE_URL=pgtdd_server.url)
        for key, value in (env or {}).items():
            if value is None:
                child_env.pop(key, None)
            else:
                child_env[key] = value
        completed = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
            cwd=tmp_path,
            env=child_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return ChildRun(completed.returncode, completed.stdout + completed.stderr)

    return run


@pytest.fixture
def outside(pgtdd_server: ServerInfo) -> psycopg.Connection[tuple[object, ...]]:
    """An independent autocommit connection to the session database (sees only commits)."""
    with psycopg.connect(pgtdd_server.url, autocommit=True) as conn:
        yield conn
