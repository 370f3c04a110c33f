"""Schema snapshots say the same of the same schema on every major."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from pgtdd.migrations import SchemaSnapshotter
from pgtdd.serverinfo import ServerInfo


@pytest.fixture
def two_databases(pgtdd_server: ServerInfo) -> Iterator[tuple[str, str]]:
    names = ("pgtdd_snapver_a", "pgtdd_snapver_b")
    with psycopg.connect(pgtdd_server.url, autocommit=True) as conn:
        for name in names:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield pgtdd_server.url_for(names[0]), pgtdd_server.url_for(names[1])
    with psycopg.connect(pgtdd_server.url, autocommit=True) as conn:
        for name in names:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            conn.execute(drop.format(sql.Identifier(name)))


def test_a_renamed_not_null_column_equals_one_declared_with_its_new_name(
    two_databases: tuple[str, str],
) -> None:
    # On PostgreSQL 18 the rename leaves a NOT NULL constraint named after the old column.
    migrated, declared = two_databases
    with psycopg.connect(migrated, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (old_name text NOT NULL)")
        conn.execute("ALTER TABLE t RENAME COLUMN old_name TO new_name")
    with psycopg.connect(declared, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (new_name text NOT NULL)")
    with SchemaSnapshotter(migrated) as one, SchemaSnapshotter(declared) as other:
        diff = SchemaSnapshotter.compare(one.capture(), other.capture())
    assert not diff, str(diff)
    with psycopg.connect(declared, autocommit=True) as conn:
        conn.execute("ALTER TABLE t ALTER COLUMN new_name DROP NOT NULL")
    with SchemaSnapshotter(migrated) as one, SchemaSnapshotter(declared) as other:
        diff = SchemaSnapshotter.compare(one.capture(), other.capture())
    assert "public.t.new_name" in str(diff)  # nullability itself is still compared
