"""What pgtdd adds to a test's error: which limit ended a statement, what held the lock it
waited for, what happened to the server.

Public names are re-exported by :mod:`pgtdd.tdd_support`.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import asyncpg

from pgtdd import loss
from pgtdd.isolation.context import (
    CLIENT_TIMEOUT_MARGIN,
    TDDTestContext,
    client_timeout,
    configured_connect_timeout,
    setting_source,
)
from pgtdd.loss import ServerLostError
from pgtdd.redact import redact

_LOSS_NOTE = "pgtdd: the PostgreSQL server"
_CLIENT_NOTE = "pgtdd: no answer from the server"


def explain_loss(error: BaseException, context: TDDTestContext, where: str) -> None:
    """Add what happened to the server to the test's own error (once per session), and say
    which limit ended a statement the server never answered."""
    if isinstance(error, KeyboardInterrupt | asyncio.CancelledError):
        loss.check(ServerLostError("interrupted"), where)  # a stalled server: end quickly
        return
    found = loss.check(error, where)
    explain_client_timeout(error, context)
    loss.explain_disk_full(error)
    if found is not None and not found.announced and not _noted(error, _LOSS_NOTE):
        found.announced = True
        error.add_note(found.message)


def _noted(error: BaseException, prefix: str) -> bool:
    return any(note.startswith(prefix) for note in getattr(error, "__notes__", ()))


def explain_client_timeout(error: BaseException, context: TDDTestContext) -> None:
    """Name the limit (``timeouts.statement`` plus the margin) that ended a statement the
    server never answered (asyncpg's bare ``TimeoutError``), once."""
    if not isinstance(error, TimeoutError) or _noted(error, _CLIENT_NOTE):
        return
    limit = client_timeout(context.timeout)
    if limit is None:
        return
    where = context.metadata.get("nodeid") or context.test_id
    error.add_note(
        f"{_CLIENT_NOTE} within {limit:g} s (test {where}): the client's limit is the "
        f"statement timeout, {context.timeout} s, from the profile key "
        f"{setting_source('timeouts.statement')}, plus a {CLIENT_TIMEOUT_MARGIN:g} s margin; "
        "the server's own statement_timeout did not end the statement, so the server is not "
        "running it (stalled, paused or unreachable)."
    )


_TIMEOUT_NOTE = "pgtdd: the test transaction's statement_timeout"


def explain_statement_timeout(error: BaseException, context: TDDTestContext) -> None:
    """Add the limit and how to raise it to asyncpg's "statement timeout" error (once), and
    the connections that held locks all that time (a connection a test left open)."""
    if not isinstance(error, asyncpg.QueryCanceledError) or "statement timeout" not in str(error):
        return
    if any(note.startswith(_TIMEOUT_NOTE) for note in getattr(error, "__notes__", ())):
        return
    holders = _holders_note(context)
    if holders:
        error.add_note(holders)
    error.add_note(
        f"{_TIMEOUT_NOTE} is {context.timeout} s (test {context.test_id}). If the statement "
        "is meant to run that long, raise it for every test with the profile key "
        f"{setting_source('timeouts.statement')} or DATAFLOW_TDD_TIMEOUT=<seconds>, or for one "
        "with timeout=<seconds> on tdd_test_context(...) / tdd_context_fixture(...)."
    )


# Other client sessions of this database whose transaction began before the statement that
# timed out and that hold locks: what it most likely waited for.
_HOLDERS = """
SELECT a.pid, a.application_name, a.state, to_char(a.xact_start, 'HH24:MI:SS'),
       left(regexp_replace(a.query, '\\s+', ' ', 'g'), 80),
       string_agg(DISTINCT l.relation::regclass::text, ', ')
FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND l.granted
WHERE a.datname = current_database() AND a.backend_type = 'client backend'
  AND a.pid <> pg_backend_pid() AND a.pid <> ALL(%s)
  AND a.xact_start < now() - make_interval(secs => %s)
GROUP BY 1, 2, 3, 4, 5, a.xact_start ORDER BY a.xact_start LIMIT 5
"""


def _holders_note(context: TDDTestContext) -> str:
    """The connections holding locks since before the statement began, named (best effort)."""
    from pgtdd.isolation.database import get_database_manager

    url = get_database_manager().connection_string
    if not url or context.timeout <= 0:
        return ""
    mine = [pid for pid in (_server_pid(context.connection),) if pid]
    try:
        rows = _query_holders(url, mine, context.timeout)
    except Exception:  # noqa: BLE001 - the note is an extra; the timeout is the error
        return ""
    if not rows:
        return ""
    lines = [
        f"pid {pid} {name or '(no application_name)'!r}, {state} since {since}, "
        f"locks on {relations or 'rows'}; last query: {query}"
        for pid, name, state, since, query, relations in rows
    ]
    return redact(
        "pgtdd: the statement most likely waited for a lock held by: "
        + "; ".join(lines)
        + ". A connection named 'pgtdd test <test>' was opened by that test (pgtdd sets "
        "PGAPPNAME per test) and left open inside its transaction: close it or end its "
        "transaction (`with psycopg.connect(...) as conn:`)."
    )


def _server_pid(connection: Any) -> int | None:
    with contextlib.suppress(Exception):
        return int(connection.get_server_pid())
    return None


def _query_holders(url: str, exclude: list[int], seconds: float) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(
        url,
        autocommit=True,
        connect_timeout=max(2, round(configured_connect_timeout())),
        options="-c statement_timeout=2000",
        application_name="pgtdd-lock-report",
    ) as conn:
        return list(conn.execute(_HOLDERS, (exclude, seconds)).fetchall())
