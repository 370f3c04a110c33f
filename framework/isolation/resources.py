"""Named resources that parallel tests claim so they do not step on each other.

``allocate(name)`` is a non-blocking claim in this process (``True`` if it was free); it never
waits, so two tests cannot deadlock on each other's claims. ``lock_in_database(name)`` also
claims the name across processes (xdist workers) with a transaction-level advisory lock on the
test's connection, released by the test's rollback. Everything a manager holds is released at
the end of its test.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar


class ResourceManager:
    """One test's claims on shared, named resources."""

    _claims: ClassVar[dict[str, str]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, owner: str, connection: Any | None = None) -> None:
        self.owner = owner
        self.connection = connection
        self._held: set[str] = set()

    @property
    def allocated(self) -> frozenset[str]:
        """The names this manager holds."""
        return frozenset(self._held)

    @classmethod
    def holder_of(cls, name: str) -> str | None:
        """Who holds ``name`` in this process, if anyone."""
        with cls._lock:
            return cls._claims.get(name)

    def allocate(self, name: str) -> bool:
        """Claim ``name`` for this test; ``False`` (immediately) if another test holds it."""
        with self._lock:
            holder = self._claims.get(name)
            if holder is not None and holder != self.owner:
                return False
            self._claims[name] = self.owner
            self._held.add(name)
            return True

    def release(self, name: str) -> None:
        """Give ``name`` back (no-op if this manager does not hold it)."""
        with self._lock:
            if name in self._held and self._claims.get(name) == self.owner:
                del self._claims[name]
            self._held.discard(name)

    def release_all(self) -> None:
        """Give back everything this manager holds."""
        for name in list(self._held):
            self.release(name)

    async def lock_in_database(self, name: str) -> bool:
        """Claim ``name`` across processes too (advisory lock held until the test's rollback)."""
        if self.connection is None:
            raise RuntimeError("this resource manager has no connection for database locks")
        if not self.allocate(name):
            return False
        got = bool(
            await self.connection.fetchval(
                "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))", name
            )
        )
        if not got:
            self.release(name)
        return got
