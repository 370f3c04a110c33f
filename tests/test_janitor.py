"""The janitor's clones: how they copy the template, and one maintenance connection."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest

from pgtdd.databases.janitor import DatabaseJanitor
from pgtdd.serverinfo import ServerInfo


@pytest.fixture
def janitor(pgtdd_server: ServerInfo) -> Iterator[DatabaseJanitor]:
    with DatabaseJanitor(pgtdd_server) as janitor:
        yield janitor


def checkpoints_requested(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    """Checkpoints requested so far (``STRATEGY FILE_COPY`` requests one; WAL_LOG none)."""
    conn.execute("SELECT pg_stat_clear_snapshot()")
    query = (
        "SELECT num_requested FROM pg_stat_checkpointer"
        if conn.info.server_version >= 170000
        else "SELECT checkpoints_req FROM pg_stat_bgwriter"
    )
    row = conn.execute(query).fetchone()
    assert row is not None
    return int(str(row[0]))


def test_clones_copy_files_on_a_server_with_fsync_off(
    janitor: DatabaseJanitor, pgtdd_server: ServerInfo
) -> None:
    # pgtdd's servers run with fsync off: FILE_COPY's checkpoint costs nothing there and the
    # clone is 2-2.5x faster than the default WAL_LOG strategy.
    name = f"pgtdd_jt_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pgtdd_server.url_for("postgres"), autocommit=True) as conn:
        assert conn.execute("SHOW fsync").fetchone() == ("off",)
        before = checkpoints_requested(conn)
        clone = janitor.clone("template0", name)
        try:
            assert checkpoints_requested(conn) > before
            with psycopg.connect(clone.url) as cloned:
                assert cloned.execute("SELECT current_database()").fetchone() == (name,)
        finally:
            janitor.drop(name)


def test_free_connections_counts_the_clients_connected(
    janitor: DatabaseJanitor, pgtdd_server: ServerInfo
) -> None:
    free = janitor.free_connections()  # the janitor's own connection is counted already
    held = [psycopg.connect(pgtdd_server.url_for("postgres")) for _ in range(3)]
    try:
        # three more clients (a margin of one for another session's pool meanwhile)
        assert janitor.free_connections() <= free - 2
    finally:
        for conn in held:
            conn.close()
    with psycopg.connect(pgtdd_server.url_for("postgres"), autocommit=True) as conn:
        row = conn.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
        ).fetchone()
    assert row is not None and 0 < free < int(str(row[0]))
