"""Connection helpers shared by the toolkit's classes."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from pgtdd.serverinfo import ServerInfo

Connection = psycopg.Connection[Any]
Target = Connection | ServerInfo | str
Query = str | bytes | sql.SQL | sql.Composed


def open_target(target: Target) -> tuple[Connection, bool]:
    """``(connection, owned)``: a given connection as is, or a new autocommit one we own."""
    if isinstance(target, psycopg.Connection):
        return target, False
    url = target.url if isinstance(target, ServerInfo) else target
    return psycopg.connect(url, autocommit=True), True


def is_idle(conn: Connection) -> bool:
    """No transaction open on ``conn``."""
    return conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def fetch_all(
    conn: Connection, query: Query, params: Any = None, *, prepare: bool | None = None
) -> list[tuple[Any, ...]]:
    """Run a read. Inside the caller's transaction it sees that transaction's changes; a
    transaction the read itself had to open (non-autocommit, idle connection) is ended.
    ``prepare=True`` keeps the statement prepared on the connection (planned once)."""
    idle = is_idle(conn)
    rows = conn.execute(query, params, prepare=prepare).fetchall()
    if idle and not conn.autocommit:
        conn.rollback()
    return rows
