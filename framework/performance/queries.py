"""Count the SQL statements each test phase actually sends.

The pytest hooks make one :class:`QueryCounter` current per test and switch its phase
(``setup``, ``call``, ``teardown``). Connections report to whatever counter is current:

* asyncpg: ``attach_query_counter(connection)`` registers a query logger
  (``Connection.add_query_logger``, asyncpg >= 0.29) that is called once per statement sent;
  a pool can do it for every connection with ``init=attach_query_counter``;
* psycopg 3: connect with ``cursor_factory=CountingCursor`` (or ``AsyncCountingCursor``), from
  :mod:`pgtdd.performance.cursors`;
* anything else: call :func:`count_statement` once per statement.

Statements sent while no test is running (collection, session start before the first test)
are not attributed to any test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

PHASES = ("setup", "call", "teardown")


class QueryCounter:
    """Statements sent per phase of one test."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = dict.fromkeys(PHASES, 0)
        self.phase = "setup"

    def record(self, statements: int = 1) -> None:
        """Count ``statements`` in the current phase."""
        self.counts[self.phase] = self.counts.get(self.phase, 0) + statements

    @property
    def total(self) -> int:
        """Statements counted in every phase."""
        return sum(self.counts.values())


_current: QueryCounter | None = None


@contextmanager
def counting(counter: QueryCounter) -> Iterator[QueryCounter]:
    """Make ``counter`` current for the ``with`` block (the hooks do this per test)."""
    global _current
    previous, _current = _current, counter
    try:
        yield counter
    finally:
        _current = previous


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Attribute statements sent in the block to phase ``name`` of the current counter."""
    counter = _current
    if counter is None:
        yield
        return
    previous, counter.phase = counter.phase, name
    try:
        yield
    finally:
        counter.phase = previous


def count_statement(statements: int = 1) -> None:
    """Report ``statements`` sent on any connection; a no-op outside a test."""
    if _current is not None:
        _current.record(statements)


def _asyncpg_logger(record: Any) -> None:
    count_statement()


def attach_query_counter(connection: Any) -> None:
    """Count every statement an asyncpg connection sends (idempotent).

    Awaitable-compatible: usable directly, or as a pool's ``init``/``setup`` hook through
    :func:`attach_query_counter_async`.
    """
    loggers = getattr(connection, "_query_loggers", None)
    if loggers is not None and _asyncpg_logger in loggers:
        return
    connection.add_query_logger(_asyncpg_logger)


async def attach_query_counter_async(connection: Any) -> None:
    """:func:`attach_query_counter` as a coroutine, for ``asyncpg.create_pool(init=...)``."""
    attach_query_counter(connection)

