"""The project's own test configuration."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

pytest_plugins = ["pytester"]

_STATE_DIR_KEY = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    # Reuse records of the tests' containers (inner runs, CLI tests) go to a directory of
    # this run, not to the developer's ~/.cache/pgtdd/reuse. Inner processes inherit it.
    if "PGTDD_STATE_DIR" not in os.environ and not hasattr(config, "workerinput"):
        state = tempfile.mkdtemp(prefix="pgtdd-test-state-")
        os.environ["PGTDD_STATE_DIR"] = state
        config.stash[_STATE_DIR_KEY] = state


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_STATE_DIR_KEY, None)
    if state is not None:
        os.environ.pop("PGTDD_STATE_DIR", None)
        shutil.rmtree(state, ignore_errors=True)
