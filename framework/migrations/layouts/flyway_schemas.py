"""Flyway's ``schemas`` setting: the schemas a history lives in and migrates.

As Flyway does on PostgreSQL: the schemas missing are created (and the history gets its
``<< Flyway Schema Creation >>`` row, rank 0); the first is the default schema, which holds the
history table and goes first on the search path (``"schema",<the path before>``) while the
migrations run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

from pgtdd.migrations.layouts.base import History

CREATION = "<< Flyway Schema Creation >>"
NAMESPACE = "SELECT 1 FROM pg_namespace WHERE nspname = %s"


def prepare(conn: psycopg.Connection[Any], schemas: Sequence[str], history: History) -> None:
    """Create the missing schemas, record their creation, put the default one on the path."""
    with conn.transaction():
        missing = [
            name
            for name in schemas
            if not conn.execute(NAMESPACE, (name,)).fetchone()
        ]
        for name in missing:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        if missing and not history.exists():
            history.ensure()
            script = ",".join(sql.Identifier(name).as_string(conn) for name in missing)
            conn.execute(
                sql.SQL(
                    "INSERT INTO {} (installed_rank, version, description, type, script,"
                    " checksum, installed_by, execution_time, success)"
                    " VALUES (0, NULL, %s, 'SCHEMA', %s, NULL, current_user, 0, true)"
                ).format(history.ident),
                (CREATION, script),
            )
        path = conn.execute("SHOW search_path").fetchone()
        current = str(path[0]) if path else ""
        default = sql.Identifier(schemas[0]).as_string(conn)
        if current != default and not current.startswith(f"{default},"):
            value = f"{default},{current}" if current else default
            conn.execute("SELECT set_config('search_path', %s, false)", (value,))
