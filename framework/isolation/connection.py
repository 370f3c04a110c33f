"""The connection class of the TDD pool: ``transaction()`` nests inside the test transaction.

asyncpg refuses ``connection.transaction()`` inside a transaction it did not start itself
("cannot use Connection.transaction() in a manually started transaction"). The test transaction
is started with one combined statement (to save round trips), so on TDD connections
``transaction()`` returns a :class:`NestedTransaction` (a savepoint) while that transaction is
open, and asyncpg's own transaction otherwise.
"""

from __future__ import annotations

import itertools
from types import TracebackType
from typing import Any

import asyncpg
from asyncpg.transaction import Transaction

_COUNTER = itertools.count(1)
_LEVELS = {
    "read_committed": "read committed",
    "read_uncommitted": "read uncommitted",
    "repeatable_read": "repeatable read",
    "serializable": "serializable",
}


class NestedTransaction:
    """A savepoint with asyncpg's transaction interface: released on success, undone on error."""

    def __init__(self, connection: Any, isolation: str | None) -> None:
        self._connection = connection
        self._isolation = isolation
        self._name = f"pgtdd_nested_{next(_COUNTER)}"
        self._state = "new"
        self._managed = False

    @property
    def name(self) -> str:
        """The savepoint's name."""
        return self._name

    async def __aenter__(self) -> NestedTransaction:
        if self._managed:
            raise asyncpg.InterfaceError("cannot enter context: already in an `async with` block")
        self._managed = True
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is not None:
                await self.rollback()
            else:
                await self.commit()
        finally:
            self._managed = False

    async def start(self) -> None:
        """``SAVEPOINT``; an isolation level other than the test's raises InterfaceError."""
        if self._state != "new":
            raise asyncpg.InterfaceError(f"cannot start; the savepoint is {self._state}")
        if self._isolation is not None:
            current = await self._connection.fetchval("SHOW transaction_isolation")
            if _LEVELS.get(self._isolation, self._isolation) != current:
                raise asyncpg.InterfaceError(
                    f"nested transaction has a different isolation level: current "
                    f"{self._isolation!r} != outer {current!r} (the test transaction's)"
                )
        await self._connection.execute(f"SAVEPOINT {self._name}")
        self._state = "started"

    async def commit(self) -> None:
        """``RELEASE SAVEPOINT``: keep the changes in the enclosing transaction."""
        self._require_started("commit")
        self._state = "committed"
        await self._connection.execute(f"RELEASE SAVEPOINT {self._name}")

    async def rollback(self) -> None:
        """Undo everything since the savepoint and release it."""
        self._require_started("rollback")
        self._state = "rolledback"
        if self._connection.is_in_transaction():
            await self._connection.execute(
                f"ROLLBACK TO SAVEPOINT {self._name}; RELEASE SAVEPOINT {self._name}"
            )

    def _require_started(self, action: str) -> None:
        if self._state != "started":
            raise asyncpg.InterfaceError(f"cannot {action}; the savepoint is {self._state}")


class TDDConnection(asyncpg.Connection):  # type: ignore[misc]
    """asyncpg connection whose ``transaction()`` nests inside a manually begun transaction."""

    def transaction(
        self,
        *,
        isolation: str | None = None,
        readonly: bool = False,
        deferrable: bool = False,
    ) -> Transaction | NestedTransaction:
        """asyncpg's ``transaction()``; inside the test transaction, a nested savepoint."""
        if getattr(self, "_top_xact", None) is None and self.is_in_transaction():
            return NestedTransaction(self, isolation)
        return super().transaction(isolation=isolation, readonly=readonly, deferrable=deferrable)
