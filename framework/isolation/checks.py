"""What keeps a test inside its transaction, and what the after-test check looks at.

* The **commit guard**: every test transaction inserts one row into a temporary table whose
  deferred constraint trigger raises at COMMIT. A test that runs ``COMMIT`` gets an error and
  its transaction is rolled back, so nothing it wrote reaches the next test. Only
  :meth:`TDDTransactionManager.end_test_transaction` with ``rollback=False`` may commit (it sets
  ``pgtdd.allow_commit`` first). ``SET CONSTRAINTS ALL IMMEDIATE`` spends the guard early
  (the trigger then stays silent); the after-test check still reports a later COMMIT.
* **Read-only outside the test**: TDD pool connections start with
  ``default_transaction_read_only = on``; the test transaction itself is ``READ WRITE``. After a
  test ends its own transaction, whatever it runs next cannot write.
* The **query log**: an asyncpg query logger attached while the test body runs, so the check
  can name the statement that ended the transaction or made it fail.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

GUARD_TABLE = "pg_temp.pgtdd_commit_guard"
# Where an asyncpg test keeps the escape log's mark from its begin to its end: a temporary
# sequence, because a sequence keeps its value through the test's ROLLBACK.
MARK_SEQUENCE = "pg_temp.pgtdd_escape_mark"
ALLOW_COMMIT_SETTING = "pgtdd.allow_commit"
GUARD_MESSAGE = "pgtdd refused COMMIT inside a test transaction"

INSTALL_GUARD_SQL = f"""
BEGIN READ WRITE;
CREATE TEMP TABLE IF NOT EXISTS pgtdd_commit_guard (armed boolean DEFAULT true);
CREATE TEMP SEQUENCE IF NOT EXISTS pgtdd_escape_mark MINVALUE 0 START 0;
CREATE OR REPLACE FUNCTION pg_temp.pgtdd_refuse_commit() RETURNS trigger
LANGUAGE plpgsql AS $pgtdd$
BEGIN
  IF coalesce(current_setting('{ALLOW_COMMIT_SETTING}', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  IF current_query() ~* '^\\s*set\\s+constraints' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '{GUARD_MESSAGE}'
    USING ERRCODE = 'invalid_transaction_termination',
          HINT = 'The transaction was rolled back so no test data leaks into other tests. '
              || 'Use a nested savepoint for a sub-step: connection.transaction() (asyncpg, '
              || 'psycopg), or commit() on the connection of a pgtdd client fixture.';
END
$pgtdd$;
DROP TRIGGER IF EXISTS pgtdd_commit_guard ON pg_temp.pgtdd_commit_guard;
CREATE CONSTRAINT TRIGGER pgtdd_commit_guard AFTER INSERT ON pg_temp.pgtdd_commit_guard
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pg_temp.pgtdd_refuse_commit();
COMMIT
"""

# Session settings of TDD pool connections (startup parameters, so RESET ALL keeps them).
TDD_SERVER_SETTINGS = {
    "default_transaction_read_only": "on",
    "application_name": "pgtdd-tdd",
}


async def install_commit_guard(connection: Any) -> None:
    """Create the temporary guard table and trigger on ``connection`` (idempotent)."""
    await connection.execute(INSTALL_GUARD_SQL)


# Statements that end or replace the transaction, or drop the test's savepoint.
_TX_CONTROL = re.compile(
    r"(?:^|;)\s*(commit|end|rollback|abort|release|begin|start\s+transaction|"
    r"prepare\s+transaction)\b",
    re.IGNORECASE,
)
_TX_START = re.compile(r"(?:^|;)\s*(begin|start\s+transaction)\b", re.IGNORECASE)
# Session state that a rollback does not undo: such a connection is discarded after the test.
_SESSION_STATE = re.compile(
    r"pg_(?:try_)?advisory_lock(?:_shared)?\s*\(|\bprepare\s+(?!transaction)\w|"
    r"\bload\s+'|dblink_connect|\bdiscard\b",
    re.IGNORECASE,
)
_KEPT_QUERIES = 200
_SHOWN_CHARS = 160


def shorten(query: str) -> str:
    """One line of at most ``_SHOWN_CHARS`` characters of ``query``."""
    text = " ".join(query.split())
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


@dataclass(eq=False)
class QueryLog:
    """An asyncpg query logger keeping what the after-test check needs.

    Called by asyncpg (soon) after each query on the connection while the test body runs.
    """

    recent: deque[tuple[str, BaseException | None]] = field(
        default_factory=lambda: deque(maxlen=_KEPT_QUERIES)
    )
    transaction_control: list[tuple[str, BaseException | None]] = field(default_factory=list)
    session_state: list[str] = field(default_factory=list)
    last_failure: tuple[str, BaseException] | None = None
    count: int = 0

    def __call__(self, record: Any) -> None:
        query: str = record.query
        exception: BaseException | None = record.exception
        self.count += 1
        self.recent.append((query, exception))
        if exception is not None:
            self.last_failure = (query, exception)
        if _TX_CONTROL.search(query) and len(self.transaction_control) < _KEPT_QUERIES:
            self.transaction_control.append((query, exception))
        if _SESSION_STATE.search(query):
            self.session_state.append(query)

    def describe_transaction_control(self) -> str:
        """The statements that look like transaction control, for an error message."""
        shown = []
        for query, exception in self.transaction_control[-5:]:
            if exception is None:
                shown.append(f"`{shorten(query)}`")
            elif GUARD_MESSAGE in str(exception):
                shown.append(
                    f"`{shorten(query)}` (refused by the commit guard: nothing was committed)"
                )
            else:
                shown.append(f"`{shorten(query)}` (failed: {type(exception).__name__})")
        return "; ".join(shown)

    def describe_last_failure(self) -> str:
        """The statement that failed last and its error, for the after-test report."""
        if self.last_failure is None:
            return "a statement failed (not seen by the query log: prepared statement or cursor)"
        query, exception = self.last_failure
        return f"`{shorten(query)}` raised {type(exception).__name__}: {exception}"


@dataclass
class TransactionOutcome:
    """How a test transaction ended and what the test had done to it."""

    requested: str = "rollback"
    ended_with: str | None = None
    ended_by_test: bool = False
    savepoint_missing: bool = False
    failed_transaction: bool = False
    end_error: BaseException | None = None
    discard: bool = False
    escape: Any = None  # pgtdd.databases.escapes.Escape: writes other connections committed

    @property
    def clean(self) -> bool:
        """Nothing unusual: the savepoint existed, the transaction was healthy, and the
        connection carries no session state a rollback cannot undo."""
        return not (
            self.ended_by_test
            or self.savepoint_missing
            or self.failed_transaction
            or self.end_error is not None
            or self.discard
        )


@dataclass
class CheckResult:
    """Problems found after a test: ``failures`` raise, ``warnings`` warn."""

    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    discard_connection: bool = False

    @property
    def ok(self) -> bool:
        """True when the check found neither failures nor warnings."""
        return not self.failures and not self.warnings


FIX_NESTED = (
    "use a nested savepoint for a sub-step (`async with connection.transaction():`) instead of "
    "COMMIT/ROLLBACK/END"
)


def check_transaction(
    test_id: str,
    savepoint: str,
    outcome: TransactionOutcome,
    log: QueryLog | None,
    test_failed: bool,
) -> CheckResult:
    """Turn a :class:`TransactionOutcome` and the query log into named problems."""
    result = CheckResult()
    seen = log.describe_transaction_control() if log is not None else ""
    ran = f" (it ran {seen})" if seen else ""
    if outcome.ended_by_test:
        result.failures.append(
            f"test {test_id} ended the transaction that isolates it{ran}. pgtdd's commit guard "
            "rolls back a COMMIT, and statements after it ran read-only outside any "
            f"transaction; the connection was discarded. Fix: {FIX_NESTED}."
        )
        result.discard_connection = True
    elif outcome.savepoint_missing:
        restarted = log is not None and any(_TX_START.search(q) for q, _ in log.transaction_control)
        if restarted:
            result.failures.append(
                f"test {test_id} ended its transaction and began another one{ran}; the new "
                f"transaction was rolled back and the connection discarded. Fix: {FIX_NESTED}."
            )
        else:
            result.warnings.append(
                f"test {test_id} released or rolled past its savepoint {savepoint}{ran}; the "
                "outer transaction still isolated it and was rolled back. Fix: release only "
                "savepoints the test created."
            )
        result.discard_connection = True
    if outcome.failed_transaction and not test_failed:
        cause = log.describe_last_failure() if log is not None else "a statement failed"
        result.warnings.append(
            f"test {test_id} passed but left its transaction failed: {cause}. Statements after "
            "the error could not run. Fix: expect database errors inside a nested savepoint "
            "(`async with connection.transaction():` around the statement)."
        )
    if outcome.end_error is not None:
        result.failures.append(
            f"test {test_id}: ending the transaction failed: "
            f"{type(outcome.end_error).__name__}: {outcome.end_error}"
        )
        result.discard_connection = True
    if log is not None and log.session_state:
        result.discard_connection = True  # rollback cannot undo it; a fresh connection can
    if outcome.escape:
        from pgtdd.databases.escapes import escape_message

        result.failures.append(escape_message(test_id, outcome.escape, through=ASYNCPG_THROUGH))
    return result


ASYNCPG_THROUGH = (
    "the context's connection (`tdd_test_context.connection`, `fast_test_db`; nested "
    "`connection.transaction()` blocks for sub-steps)"
)
