"""Helpers for the client tests: a database of their own with the escape log, and child runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from pgtdd.clients.slots import ConnectionSlot, install_escape_log
from pgtdd.serverinfo import ServerInfo

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
