"""The project's own test configuration."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from pgtdd.config.settings import current

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
