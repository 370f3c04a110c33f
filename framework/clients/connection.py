"""psycopg connections whose ``commit()`` and ``rollback()`` stay inside the test's transaction.

While a test runs (``connection.pgtdd_scope`` is set) the code under test may commit as it
does in production: ``commit()`` releases the test's savepoint and sets it again (the work is
kept for the rest of the test, and rolled back with it at the end), ``rollback()`` goes back
to that savepoint (the work since the last ``commit()`` is undone), ``with conn:`` does one or
the other and ``close()`` keeps the connection open for the test (as a pooled connection's
does). ``conn.transaction()`` blocks nest as savepoints, as psycopg does inside a transaction.
Outside a test the connection behaves as psycopg's own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import psycopg
from psycopg import AsyncTransaction, Transaction
from psycopg.abc import PQGen
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row

from pgtdd.isolation.context import validate_savepoint_name

INERROR = TransactionStatus.INERROR
INTRANS = TransactionStatus.INTRANS


@dataclass
class Level:
    """A savepoint some code opened inside the test: a psycopg_pool checkout (``sticky``: a
    commit keeps the level open) or a SQLAlchemy connection's transaction (a commit ends it)."""

    name: str
    sticky: bool


@dataclass
class CommitScope:
    """The test's savepoint, the levels opened inside it, and what the code under test did."""

    savepoint: str
    levels: list[Level] = field(default_factory=list)
    commits: int = 0
    rollbacks: int = 0
    closes: int = 0
    # A statement ran since the last commit point: psycopg's connection would be in a
    # transaction, so transaction() nests (else it commits at its end, as on an idle one).
    dirty: bool = False
    dirty_after: bool = False  # what ``dirty`` is once the statement of a step has run
    _opened: int = 0

    @property
    def idle(self) -> bool:
        """Nothing to commit or roll back at this level: as on an idle psycopg connection,
        commit() is a no-op and transaction() begins (and commits) a transaction."""
        return not self.dirty and (not self.levels or self.levels[-1].sticky)

    def open_level(self, *, sticky: bool) -> str:
        """A new level's ``SAVEPOINT`` statement (the caller runs it)."""
        self._opened += 1
        level = Level(f"{self.savepoint}_{self._opened}", sticky)
        self.levels.append(level)
        self.dirty_after = False
        return f"SAVEPOINT {_quote(level.name)}"

    def close_level(self, name: str) -> str | None:
        """Roll back and release level ``name`` if it is still open (a connection returned
        without commit); the statement, or ``None`` when a commit already ended it."""
        names = [level.name for level in self.levels]
        if name not in names:
            return None
        del self.levels[names.index(name) :]
        self.dirty_after = True
        quoted = _quote(name)
        return f"ROLLBACK TO SAVEPOINT {quoted}; RELEASE SAVEPOINT {quoted}"

    def commit_sql(self, status: TransactionStatus) -> str:
        """A commit inside the test: keep the work (a failed transaction rolls back, as
        PostgreSQL's COMMIT of a failed transaction does)."""
        self.commits += 1
        if status == INERROR:
            return self._undo()
        self.dirty_after = False
        if not self.levels:
            quoted = _quote(self.savepoint)
            return f"RELEASE SAVEPOINT {quoted}; SAVEPOINT {quoted}"
        level = self.levels[-1]
        quoted = _quote(level.name)
        if level.sticky:
            return f"RELEASE SAVEPOINT {quoted}; SAVEPOINT {quoted}"
        self.levels.pop()
        self.dirty_after = True  # the work is now the enclosing level's
        return f"RELEASE SAVEPOINT {quoted}"

    def rollback_sql(self) -> str:
        """A rollback inside the test: back to the last commit of the innermost level."""
        self.rollbacks += 1
        return self._undo()

    def _undo(self) -> str:
        self.dirty_after = False
        if not self.levels:
            return f"ROLLBACK TO SAVEPOINT {_quote(self.savepoint)}"
        level = self.levels[-1]
        quoted = _quote(level.name)
        if level.sticky:
            return f"ROLLBACK TO SAVEPOINT {quoted}"
        self.levels.pop()
        self.dirty_after = True  # the enclosing level may hold work of its own
        return f"ROLLBACK TO SAVEPOINT {quoted}; RELEASE SAVEPOINT {quoted}"

    def ran(self) -> None:
        """A step's statement ran: ``dirty`` is what the step left."""
        self.dirty = self.dirty_after


def _quote(name: str) -> str:
    return '"' + validate_savepoint_name(name) + '"'


class SavepointCommitError(psycopg.ProgrammingError):
    """commit()/rollback() inside a test found the test's transaction already ended."""


def _ended_error(action: str, exc: psycopg.Error) -> SavepointCommitError:
    return SavepointCommitError(
        f"pgtdd: {action}() inside the test could not use the test's savepoint ({exc}). The "
        "test's transaction was ended before (a raw COMMIT, ROLLBACK or END); leave "
        "transaction control to commit()/rollback()/transaction() of the connection"
    )


def _forbidden(conn: Any, action: str) -> None:
    if getattr(conn, "_num_transactions", 0):
        raise psycopg.ProgrammingError(
            f"Explicit {action}() forbidden within a Transaction context."
        )


class PgtddConnection(psycopg.Connection[Any]):
    """A sync psycopg connection for per-test rollback (see the module's docstring)."""

    pgtdd_scope: CommitScope | None = None

    def _in_test(self) -> CommitScope | None:
        scope = self.pgtdd_scope
        if scope is None or self.closed:
            return None
        if self.info.transaction_status not in (INTRANS, INERROR):
            return None
        return scope

    def _start_query(self) -> PQGen[None]:
        if self.pgtdd_scope is not None:
            self.pgtdd_scope.dirty = True
        return super()._start_query()

    def commit(self) -> None:
        """Inside a test: keep the work in the test's transaction; else psycopg's commit."""
        scope = self._in_test()
        if scope is None:
            super().commit()
            return
        _forbidden(self, "commit")
        if scope.idle:
            scope.commits += 1
            return
        self._savepoint_step(scope.commit_sql(self.info.transaction_status), "commit", scope)

    def rollback(self) -> None:
        """Inside a test: undo the work since the last commit; else psycopg's rollback."""
        scope = self._in_test()
        if scope is None:
            super().rollback()
            return
        _forbidden(self, "rollback")
        if scope.idle and self.info.transaction_status != INERROR:
            scope.rollbacks += 1
            return
        self._savepoint_step(scope.rollback_sql(), "rollback", scope)

    def _savepoint_step(self, statement: str, action: str, scope: CommitScope) -> None:
        try:
            with self.cursor(row_factory=tuple_row) as cursor:
                cursor.execute(statement.encode(), prepare=False)
        except psycopg.errors.InvalidSavepointSpecification as exc:
            raise _ended_error(action, exc) from None
        finally:
            scope.ran()

    @contextmanager
    def transaction(
        self, savepoint_name: str | None = None, force_rollback: bool = False
    ) -> Iterator[Transaction]:
        """psycopg's transaction block; inside a test, one opened with nothing pending (where
        psycopg would begin and commit a transaction) commits at its end, on a savepoint."""
        scope = self._in_test()
        outer = scope is not None and scope.idle and not getattr(self, "_num_transactions", 0)
        with super().transaction(savepoint_name, force_rollback) as tx:
            yield tx
        if outer and not force_rollback and self._in_test() is scope:
            self.commit()

    def close(self) -> None:
        """Inside a test the connection stays open (the test still uses it)."""
        if self.pgtdd_scope is not None and not self.closed:
            self.pgtdd_scope.closes += 1
            return
        super().close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if self.pgtdd_scope is None or self.closed:
            super().__exit__(exc_type, exc_val, exc_tb)
            return
        if exc_type is None:
            self.commit()
        else:
            self.rollback()


class PgtddAsyncConnection(psycopg.AsyncConnection[Any]):
    """The asyncio twin of :class:`PgtddConnection`."""

    pgtdd_scope: CommitScope | None = None

    def _in_test(self) -> CommitScope | None:
        scope = self.pgtdd_scope
        if scope is None or self.closed:
            return None
        if self.info.transaction_status not in (INTRANS, INERROR):
            return None
        return scope

    def _start_query(self) -> PQGen[None]:
        if self.pgtdd_scope is not None:
            self.pgtdd_scope.dirty = True
        return super()._start_query()

    async def commit(self) -> None:
        """Inside a test: keep the work in the test's transaction; else psycopg's commit."""
        scope = self._in_test()
        if scope is None:
            await super().commit()
            return
        _forbidden(self, "commit")
        if scope.idle:
            scope.commits += 1
            return
        status = self.info.transaction_status
        await self._savepoint_step(scope.commit_sql(status), "commit", scope)

    async def rollback(self) -> None:
        """Inside a test: undo the work since the last commit; else psycopg's rollback."""
        scope = self._in_test()
        if scope is None:
            await super().rollback()
            return
        _forbidden(self, "rollback")
        if scope.idle and self.info.transaction_status != INERROR:
            scope.rollbacks += 1
            return
        await self._savepoint_step(scope.rollback_sql(), "rollback", scope)

    async def _savepoint_step(self, statement: str, action: str, scope: CommitScope) -> None:
        try:
            async with self.cursor(row_factory=tuple_row) as cursor:
                await cursor.execute(statement.encode(), prepare=False)
        except psycopg.errors.InvalidSavepointSpecification as exc:
            raise _ended_error(action, exc) from None
        finally:
            scope.ran()

    @asynccontextmanager
    async def transaction(
        self, savepoint_name: str | None = None, force_rollback: bool = False
    ) -> AsyncIterator[AsyncTransaction]:
        """See :meth:`PgtddConnection.transaction`."""
        scope = self._in_test()
        outer = scope is not None and scope.idle and not getattr(self, "_num_transactions", 0)
        async with super().transaction(savepoint_name, force_rollback) as tx:
            yield tx
        if outer and not force_rollback and self._in_test() is scope:
            await self.commit()

    async def close(self) -> None:
        """Inside a test the connection stays open (the test still uses it)."""
        if self.pgtdd_scope is not None and not self.closed:
            self.pgtdd_scope.closes += 1
            return
        await super().close()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if self.pgtdd_scope is None or self.closed:
            await super().__aexit__(exc_type, exc_val, exc_tb)
            return
        if exc_type is None:
            await self.commit()
        else:
            await self.rollback()
