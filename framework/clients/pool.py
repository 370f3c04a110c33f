"""A ``psycopg_pool.ConnectionPool`` whose connection is the test's, for code that takes a pool.

Every ``getconn()`` (and so every ``with pool.connection() as conn:``) hands out the test's
one connection, inside a savepoint of its own: the connection's ``commit()`` keeps the work in
the test's transaction, and ``putconn()`` rolls back what was not committed, as the real pool
does with a connection returned in a transaction. Opening, closing and waiting do nothing:
the connection belongs to the test.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from psycopg_pool import ConnectionPool

from pgtdd.clients.connection import PgtddConnection


class PgtddConnectionPool(ConnectionPool[PgtddConnection]):
    """A psycopg pool for code under test; its connections are ``connection`` (see module)."""


    def __init__(self, connection: PgtddConnection, *, name: str = "pgtdd-test-pool") -> None:
        super().__init__(
            "", connection_class=type(connection), min_size=1, max_size=1, open=False, name=name
        )
        self._test_connection = connection
        self._levels: list[str | None] = []

    @property
    def closed(self) -> bool:
        """Never: the pool lives as long as the test."""
        return False

    def getconn(self, timeout: float | None = None) -> PgtddConnection:
        """The test's connection, in a savepoint that :meth:`putconn` ends."""
        conn = self._test_connection
        scope = conn.pgtdd_scope
        if scope is None:
            self._levels.append(None)
            return conn
        statement = scope.open_level(sticky=True)
        conn.execute(statement.encode(), prepare=False)
        scope.ran()
        self._levels.append(scope.levels[-1].name)
        return conn

    def putconn(self, conn: PgtddConnection) -> None:
        """Roll back what the checkout did not commit, and end its savepoint."""
        if conn is not self._test_connection:
            raise ValueError("this connection does not belong to the test's pool")
        name = self._levels.pop() if self._levels else None
        scope = conn.pgtdd_scope
        if name is None or scope is None or conn.closed:
            return
        statement = scope.close_level(name)
        if statement is not None:
            conn.execute(statement.encode(), prepare=False)
            scope.ran()

    def open(self, wait: bool = False, timeout: float = 30.0) -> None:
        """Nothing to open."""

    def close(self, timeout: float = 5.0) -> None:
        """Nothing to close: the connection belongs to the test."""

    def wait(self, timeout: float = 30.0) -> None:
        """Ready at once."""

    def check(self) -> None:
        """Nothing to check."""

    def __enter__(self) -> PgtddConnectionPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        return None

    def get_stats(self) -> dict[str, Any]:
        """The pool's (one connection) statistics."""
        return {"pool_min": 1, "pool_max": 1, "pool_size": 1, "pool_available": 1, **self._stats}
