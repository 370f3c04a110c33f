"""The project's own test configuration."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from pgtdd.config.settings import current
from pgtdd.serverinfo import ServerInfo
from tests.tdd.conftest import CHILD_INI, ChildRun

pytest_plugins = ["pytester"]

_STATE_DIR_KEY = pytest.StashKey[str]()
_VERSION_SET_KEY = pytest.StashKey[bool]()


@pytest.hookimpl(trylast=True)  # after pgtdd's plugin has resolved the session's settings
def pytest_configure(config: pytest.Config) -> None:
    # Reuse records of the tests' containers (inner runs, CLI tests) go to a directory of
    # this run, not to the developer's ~/.cache/pgtdd/reuse. Inner processes inherit it.
    if "PGTDD_STATE_DIR" not in os.environ and not hasattr(config, "workerinput"):
        state = tempfile.mkdtemp(prefix="pgtdd-test-state-")
        os.environ["PGTDD_STATE_DIR"] = state
        config.stash[_STATE_DIR_KEY] = state
    # The inner pytest processes, subprocesses and servers the tests start run on the major
    # this session runs on (`pytest --db-version 15` covers them too).
    settings = current()
    if settings is not None and settings.profile.version and "PGTDD_PG_VERSION" not in os.environ:
        os.environ["PGTDD_PG_VERSION"] = str(settings.profile.version)
        config.stash[_VERSION_SET_KEY] = True


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_STATE_DIR_KEY, None)
    if state is not None:
        os.environ.pop("PGTDD_STATE_DIR", None)
        shutil.rmtree(state, ignore_errors=True)
    if config.stash.get(_VERSION_SET_KEY, False):
        os.environ.pop("PGTDD_PG_VERSION", None)


RunChild = Callable[..., ChildRun]


@pytest.fixture
def run_child(tmp_path: Path, pgtdd_server: ServerInfo) -> RunChild:
    """Write ``files`` ({name: source}) and run pytest there in a child process, on this
    session's server through the ``local`` profile."""

    def run(
        files: dict[str, str],
        *args: str,
        ini: str = CHILD_INI,
        env: dict[str, str] | None = None,
    ) -> ChildRun:
        (tmp_path / "pytest.ini").write_text(ini)
        for name, source in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(source))
        child = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        child.pop("DATAFLOW_TDD_MODE", None)
        child.update(PGTDD_PROFILE="local", TEST_DATABASE_URL=pgtdd_server.url)
        child.update(env or {})
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
            cwd=tmp_path,
            env=child,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return ChildRun(done.returncode, done.stdout + done.stderr)

    return run
