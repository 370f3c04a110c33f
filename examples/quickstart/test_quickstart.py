"""A first suite against the auto-provisioned server: run `pytest examples` from the repo root."""

from __future__ import annotations

import psycopg

from pgtdd.serverinfo import ServerInfo


def test_the_server_is_tuned_for_tests(pgtdd_server: ServerInfo) -> None:
    with psycopg.connect(pgtdd_server.url) as conn:
        settings = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'jit')"
            ).fetchall()
        )
    assert settings == {"fsync": "off", "jit": "off"}


def test_a_rolled_back_transaction_leaves_nothing(pgtdd_server: ServerInfo) -> None:
    with psycopg.connect(pgtdd_server.url) as conn:
        conn.execute("CREATE TABLE quickstart_users (name text)")
        conn.execute("INSERT INTO quickstart_users VALUES ('alice')")
        assert conn.execute("SELECT count(*) FROM quickstart_users").fetchone() == (1,)
        conn.rollback()
        exists = conn.execute("SELECT to_regclass('quickstart_users')").fetchone()
    assert exists == (None,)
