"""The transaction manager: begins and ends test transactions, and savepoints inside them.

Public names are re-exported by :mod:`pgtdd.tdd_support`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from pgtdd.databases.escapes import (
    ESCAPE_SQLSTATE,
    IN_TEST_SETTING,
    MARK_EXPR,
    SCHEMA,
    escape_from_detail,
)
from pgtdd.isolation.checks import (
    ALLOW_COMMIT_SETTING,
    GUARD_TABLE,
    MARK_SEQUENCE,
    TransactionOutcome,
    install_commit_guard,
)
from pgtdd.isolation.context import (
    SavepointError,
    TDDTestContext,
    validate_savepoint_name,
)


def _quote(name: str) -> str:
    return '"' + validate_savepoint_name(name) + '"'


class TDDTransactionManager:
    """Begins and ends test transactions and handles savepoints inside them."""

    def begin_sql(self, context: TDDTestContext) -> str:
        """The one round trip that starts a test transaction for ``context`` (with the
        escape log's mark kept in a temporary sequence when ``context.escape_log``)."""
        mark = f", setval('{MARK_SEQUENCE}', {MARK_EXPR})" if context.escape_log else ""
        return (
            f"BEGIN ISOLATION LEVEL {context.isolation_level} READ WRITE; "
            f"SET LOCAL statement_timeout = {context.timeout * 1000}; "
            f"WITH guard AS (INSERT INTO {GUARD_TABLE} DEFAULT VALUES) "
            f"SELECT set_config('{IN_TEST_SETTING}', 'on', true){mark}; "
            f"SAVEPOINT {_quote(context.savepoint_name)}"
        )

    async def begin_test_transaction(self, connection: Any, context: TDDTestContext) -> None:
        """Start the test transaction: isolation level, statement timeout, guard, savepoint."""
        if context.savepoint_created:
            raise SavepointError(
                f"context {context.test_id} already has an open test transaction; end it with "
                "end_test_transaction() first"
            )
        if connection.is_in_transaction():
            raise SavepointError(
                f"the connection of {context.test_id} is already inside a transaction; "
                "begin_test_transaction() starts the outer one. For a nested scope use "
                "create_savepoint() or nest tdd_test_context()"
            )
        sql = self.begin_sql(context)
        try:
            try:
                await connection.execute(sql)
            except (asyncpg.UndefinedTableError, asyncpg.UndefinedFunctionError):
                await connection.execute("ROLLBACK")  # not a TDD pool connection: add the guard
                await install_commit_guard(connection)
                await connection.execute(sql)
        except asyncpg.PostgresError as exc:
            if connection.is_in_transaction():
                await connection.execute("ROLLBACK")
            raise SavepointError(
                f"could not begin the test transaction of {context.test_id} "
                f"({context.isolation_level}, savepoint {context.savepoint_name}): "
                f"{type(exc).__name__}: {exc}. Check that the connection is usable and the "
                "role may create temporary tables"
            ) from exc
        context.connection = connection
        context.savepoint_created = True
        context.commit_guarded = True
        context.savepoints = [context.savepoint_name]

    async def end_test_transaction(
        self, connection: Any, context: TDDTestContext, rollback: bool | None = None
    ) -> TransactionOutcome:
        """End the test transaction: roll back (default, ``None`` or ``True``) or commit.

        ``rollback=False`` commits, unless the context recorded an error and
        ``rollback_on_error`` is set. Returns what was found (the test may have ended the
        transaction itself, dropped the savepoint or left the transaction failed).
        """
        commit = rollback is False and not (context.error is not None and context.rollback_on_error)
        outcome = TransactionOutcome(requested="commit" if rollback is False else "rollback")
        if not connection.is_in_transaction():
            outcome.ended_by_test = True
        else:
            ending = f"SET LOCAL {ALLOW_COMMIT_SETTING} = 'on'; COMMIT" if commit else "ROLLBACK"
            if context.escape_log and not commit:
                ending += f"; SELECT {SCHEMA}.raise_escapes(last_value) FROM {MARK_SEQUENCE}"
            try:
                await connection.execute(
                    f"RELEASE SAVEPOINT {_quote(context.savepoint_name)}; {ending}"
                )
                outcome.ended_with = "commit" if commit else "rollback"
            except asyncpg.InFailedSQLTransactionError:
                outcome.failed_transaction = True
            except asyncpg.InvalidSavepointSpecificationError:
                outcome.savepoint_missing = True
            except asyncpg.PostgresError as exc:
                if getattr(exc, "sqlstate", None) == ESCAPE_SQLSTATE:
                    outcome.ended_with = "rollback"
                    outcome.escape = escape_from_detail(getattr(exc, "detail", None))
                else:
                    outcome.end_error = exc
            if outcome.ended_with is None and connection.is_in_transaction():
                await connection.execute("ROLLBACK")
                outcome.ended_with = "rollback"
        context.savepoint_created = False
        context.savepoints = []
        context.outcome = outcome
        if commit and outcome.ended_with != "commit":
            raise SavepointError(
                f"commit of {context.test_id} was asked but the transaction was rolled back "
                f"({_describe_outcome(outcome)})"
            )
        return outcome

    def _innermost(self, context: TDDTestContext, name: str | None, action: str) -> str:
        if name is not None:
            if name not in context.savepoints:
                raise SavepointError(
                    f"cannot {action} savepoint {name!r}: not open in {context.test_id} "
                    f"(open: {', '.join(context.savepoints) or 'none'})"
                )
            return name
        if not context.savepoints:
            raise SavepointError(
                f"cannot {action}: {context.test_id} has no open savepoint; call "
                "begin_test_transaction() or create_savepoint() first"
            )
        return context.savepoints[-1]

    async def _run(self, connection: Any, sql: str, what: str, context: TDDTestContext) -> None:
        if not connection.is_in_transaction():
            raise SavepointError(
                f"cannot {what} for {context.test_id}: the connection is not in a transaction "
                "(it was ended or never begun); call begin_test_transaction() first"
            )
        try:
            await connection.execute(sql)
        except asyncpg.PostgresError as exc:
            raise SavepointError(
                f"could not {what} for {context.test_id}: {type(exc).__name__}: {exc}"
            ) from exc

    async def create_savepoint(
        self, connection: Any, context: TDDTestContext, name: str | None = None
    ) -> str:
        """Create a savepoint: the context's own first, then nested ``<name>_<depth>`` ones."""
        if name is None:
            depth = len(context.savepoints)
            name = context.savepoint_name if depth == 0 else f"{context.savepoint_name}_{depth}"
        await self._run(
            connection, f"SAVEPOINT {_quote(name)}", f"create savepoint {name}", context
        )
        context.savepoints.append(name)
        context.savepoint_created = True
        return name

    async def rollback_to_savepoint(
        self, connection: Any, context: TDDTestContext, name: str | None = None
    ) -> None:
        """Undo everything since savepoint ``name`` (the innermost by default); it stays open."""
        name = self._innermost(context, name, "roll back to")
        await self._run(
            connection, f"ROLLBACK TO SAVEPOINT {_quote(name)}", f"roll back to {name}", context
        )
        del context.savepoints[context.savepoints.index(name) + 1 :]

    async def release_savepoint(
        self, connection: Any, context: TDDTestContext, name: str | None = None
    ) -> None:
        """Release savepoint ``name`` (the innermost by default) and those created after it."""
        name = self._innermost(context, name, "release")
        await self._run(connection, f"RELEASE SAVEPOINT {_quote(name)}", f"release {name}", context)
        del context.savepoints[context.savepoints.index(name) :]
        context.savepoint_created = bool(context.savepoints)

    async def discard_savepoint(
        self, connection: Any, context: TDDTestContext, name: str | None = None
    ) -> None:
        """Roll back to and release savepoint ``name`` in one round trip."""
        name = self._innermost(context, name, "discard")
        quoted = _quote(name)
        await self._run(
            connection,
            f"ROLLBACK TO SAVEPOINT {quoted}; RELEASE SAVEPOINT {quoted}",
            f"discard savepoint {name}",
            context,
        )
        del context.savepoints[context.savepoints.index(name) :]
        context.savepoint_created = bool(context.savepoints)

    @asynccontextmanager
    async def savepoint(self, connection: Any, context: TDDTestContext) -> AsyncIterator[str]:
        """A nested savepoint: released on success, rolled back (then released) on error."""
        name = await self.create_savepoint(connection, context)
        try:
            yield name
        except BaseException:
            if connection.is_in_transaction() and name in context.savepoints:
                await self.discard_savepoint(connection, context, name)
            raise
        await self.release_savepoint(connection, context, name)


def _describe_outcome(outcome: TransactionOutcome) -> str:
    if outcome.ended_by_test:
        return "the transaction had already been ended"
    if outcome.failed_transaction:
        return "the transaction had failed"
    if outcome.savepoint_missing:
        return "the test savepoint was gone"
    if outcome.end_error is not None:
        return f"{type(outcome.end_error).__name__}: {outcome.end_error}"
    return "unknown"


_TRANSACTION_MANAGER = TDDTransactionManager()


def get_transaction_manager() -> TDDTransactionManager:
    """The process-wide transaction manager."""
    return _TRANSACTION_MANAGER
