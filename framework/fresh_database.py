"""A database of its own for a test that must really commit.

Savepoint isolation cannot serve code under test that opens its own connections, LISTEN /
NOTIFY (delivered only on commit), or a migration that cannot run inside a transaction. For
those, ``pgtdd_fresh_database`` yields the server seen through a new database cloned from the
session's schema template (an empty database when no schema is configured); commits there are
real, and the database is dropped ``WITH (FORCE)`` after the test, whatever connections are
still open to it. Declare variants with the factory::

    reporting_db = fresh_database_fixture(name="reporting_db")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from framework.janitor import DatabaseJanitor, unique_name
from framework.server import ServerInfo

EMPTY_TEMPLATE = "template0"  # never connectable, so always free to clone
FRESH_PREFIX = "pgtdd_fresh"
FixtureFunction = Callable[..., Any]


@pytest.fixture(scope="session")
def pgtdd_janitor(
    request: pytest.FixtureRequest, pgtdd_server: ServerInfo
) -> Iterator[DatabaseJanitor]:
    """The session's database janitor: one maintenance connection for creating and dropping."""
    from framework.plugin import MANAGER_KEY

    manager = request.config.stash[MANAGER_KEY]
    with DatabaseJanitor(manager.provision()) as janitor:
        yield janitor


def fresh_database_fixture(*, name: str | None = None) -> FixtureFunction:
    """A function-scoped fixture yielding a :class:`ServerInfo` for a fresh database per test."""

    @pytest.fixture(name=name)
    def fixture(
        request: pytest.FixtureRequest, pgtdd_janitor: DatabaseJanitor
    ) -> Iterator[ServerInfo]:
        from framework.plugin import MANAGER_KEY

        databases = request.config.stash[MANAGER_KEY].databases
        template = databases.template if databases is not None else None
        janitor = pgtdd_janitor
        server = janitor.clone(template or EMPTY_TEMPLATE, unique_name(FRESH_PREFIX))
        try:
            yield server
        finally:
            janitor.drop(server.database)

    return fixture


pgtdd_fresh_database = fresh_database_fixture(name="pgtdd_fresh_database")
