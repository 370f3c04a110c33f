"""Shared fixtures for the migration toolkit's tests: the sample project and its templates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pgtdd.databases.janitor import DatabaseJanitor, unique_name
from pgtdd.migrations import MutationRunner
from pgtdd.migrations.runner import discover
from pgtdd.migrations.templates import TemplateChain, ensure_chain
from pgtdd.serverinfo import ServerInfo

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "examples" / "migrations_project"
MIGRATIONS = PROJECT / "migrations"


def sample_runner(server: ServerInfo, check: Any, **options: Any) -> MutationRunner:
    """A quiet MutationRunner on the sample project that keeps its templates (content-addressed,
    shared with other tests and with worker processes); ``options`` as MutationRunner's."""
    return MutationRunner(
        verbose=False,
        migrations_dir=MIGRATIONS,
        server=server,
        check=check,
        keep_templates=True,
        **options,
    )


@pytest.fixture(scope="session")
def sample_chain(pgtdd_migrations_janitor: DatabaseJanitor) -> TemplateChain:
    """Templates of the sample project at every version (P_0 .. P_5)."""
    return ensure_chain(pgtdd_migrations_janitor, str(MIGRATIONS), discover(MIGRATIONS))


@pytest.fixture
def db_at(
    pgtdd_migrations_janitor: DatabaseJanitor, sample_chain: TemplateChain
) -> Iterator[Callable[[int], ServerInfo]]:
    """``db_at(k)``: a fresh database with the sample's first k migrations applied."""
    made: list[str] = []

    def make(version: int) -> ServerInfo:
        server = pgtdd_migrations_janitor.clone(
            sample_chain.names[version], unique_name("mig_test")
        )
        made.append(server.database)
        return server

    yield make
    for name in made:
        pgtdd_migrations_janitor.drop(name)


@pytest.fixture
def empty_db(db_at: Callable[[int], ServerInfo]) -> ServerInfo:
    """An empty database of its own (only the tracking table)."""
    return db_at(0)
