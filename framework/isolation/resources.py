"""Named resources that parallel tests claim so they do not step on each other.

``allocate(name)`` is a non-blocking claim in this process (``True`` if it was free); it never
waits, so two tests cannot deadlock on each other's claims. ``lock_in_database(name)`` also
claims the name across processes (xdist workers) with a transaction-level advisory lock on the
test's connection, released by the test's rollback. Everything a manager holds is released at
the end of its test.

:class:`ParallelTestManager` (the performance guide's) claims several names at once for a test,
across the processes of one run (xdist workers) with file locks.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import tempfile
import threading
from pathlib import Path
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


# --------------------------------------------------------------------------- across processes


def claims_dir() -> Path:
    """Where a run's cross-process claims live: one folder per run, shared by its xdist workers
    (``PYTEST_XDIST_TESTRUNUID``), else one per process."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid{os.getpid()}"
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", run)[:64]
    return Path(tempfile.gettempdir()) / f"pgtdd-claims-{os.getuid()}" / safe


class _FileClaim:
    """An exclusive ``flock`` on a file named after the resource; the lock (not the file)
    is the claim, so a crashed holder's claim ends with its process."""

    def __init__(self, folder: Path, name: str) -> None:
        digest = hashlib.sha256(name.encode()).hexdigest()[:32]
        self.path = folder / f"{digest}.claim"
        self.fd: int | None = None

    def take(self, holder: str) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:  # its holder removed it as we opened it: try again
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, f"{holder} (pid {os.getpid()})".encode())
                self.fd = fd
                return True
            os.close(fd)

    def holder(self) -> str | None:
        try:
            return self.path.read_text() or None
        except OSError:
            return None

    def drop(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # while still locked: nobody can take a file that is gone
        os.close(self.fd)
        self.fd = None


class ParallelTestManager:
    """The performance guide's resource manager for parallel tests, across xdist workers.

    ``await allocate_resources(test_id, ["table_users", ...])`` claims every name for
    ``test_id`` or none (``False`` at once if any is held by another test, in this process or
    another worker of the run, or when ``max_concurrent`` tests of this manager already hold
    resources); ``await release_resources(test_id)`` gives them back. A claim is an exclusive
    file lock, so a worker that dies releases its claims with it. ``resource_locks`` maps each
    name this manager holds to its test, ``active_tests`` the tests holding some.
    """

    def __init__(self, max_concurrent: int = 5, *, folder: Path | None = None) -> None:
        if max_concurrent < 1:
            raise ValueError(f"max_concurrent must be at least 1, got {max_concurrent}")
        self.max_concurrent = max_concurrent
        self.folder = folder or claims_dir()
        self.resource_locks: dict[str, str] = {}
        self.active_tests: set[str] = set()
        self._claims: dict[str, _FileClaim] = {}

    def allocate(self, test_id: str, resources: list[str]) -> bool:
        """:meth:`allocate_resources`, for synchronous code."""
        if test_id not in self.active_tests and len(self.active_tests) >= self.max_concurrent:
            return False
        taken: list[str] = []
        for name in resources:
            if self.resource_locks.get(name) == test_id:
                continue
            claim = _FileClaim(self.folder, name)
            if name in self.resource_locks or not claim.take(test_id):
                for done in taken:
                    self._drop(done)
                return False
            self._claims[name] = claim
            self.resource_locks[name] = test_id
            taken.append(name)
        self.active_tests.add(test_id)
        return True

    async def allocate_resources(self, test_id: str, resources: list[str]) -> bool:
        """Claim all of ``resources`` for ``test_id``, or none; never waits."""
        return self.allocate(test_id, resources)

    def release(self, test_id: str) -> None:
        """:meth:`release_resources`, for synchronous code."""
        for name, holder in list(self.resource_locks.items()):
            if holder == test_id:
                self._drop(name)
        self.active_tests.discard(test_id)

    async def release_resources(self, test_id: str) -> None:
        """Give back every resource ``test_id`` holds."""
        self.release(test_id)

    def holder_of(self, name: str) -> str | None:
        """Who holds ``name`` in this run (``"test_x (pid 123)"``), if anyone."""
        if name in self.resource_locks:
            return f"{self.resource_locks[name]} (pid {os.getpid()})"
        return _FileClaim(self.folder, name).holder()

    def _drop(self, name: str) -> None:
        self.resource_locks.pop(name, None)
        claim = self._claims.pop(name, None)
        if claim is not None:
            claim.drop()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at interpreter exit the process ends them anyway
            for claim in list(self._claims.values()):
                claim.drop()
