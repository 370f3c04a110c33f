"""``pgtdd_fresh_database``: a cloned database per test where commits are real, then dropped."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest

from pgtdd.serverinfo import ServerInfo

SEEN: dict[str, ServerInfo] = {}


@pytest.fixture
def leftover(pgtdd_server: ServerInfo) -> Iterator[None]:
    yield
    with psycopg.connect(pgtdd_server.url_for("postgres"), autocommit=True) as conn:
        names = [r[0] for r in conn.execute("SELECT datname FROM pg_database").fetchall()]
    for server in SEEN.values():
        assert server.database not in names, f"{server.database} was not dropped"


def test_commits_are_real_and_visible_to_other_connections(
    pgtdd_fresh_database: ServerInfo, pgtdd_server: ServerInfo
) -> None:
    SEEN["commits"] = pgtdd_fresh_database
    assert pgtdd_fresh_database.database != pgtdd_server.database
    with psycopg.connect(pgtdd_fresh_database.url) as writer:
        writer.execute("CREATE TABLE ledger (v int)")
        writer.execute("INSERT INTO ledger VALUES (1)")
        writer.commit()
    with psycopg.connect(pgtdd_fresh_database.url) as reader:
        assert reader.execute("SELECT count(*) FROM ledger").fetchone() == (1,)
    with psycopg.connect(pgtdd_server.url) as session_db:  # the session's database never sees it
        found = session_db.execute("SELECT to_regclass('ledger')").fetchone()
    assert found == (None,)


def test_listen_notify_across_connections(pgtdd_fresh_database: ServerInfo) -> None:
    SEEN["notify"] = pgtdd_fresh_database
    with psycopg.connect(pgtdd_fresh_database.url, autocommit=True) as listener:
        listener.execute("LISTEN orders")

        def send() -> None:
            with psycopg.connect(pgtdd_fresh_database.url, autocommit=True) as sender:
                sender.execute("NOTIFY orders, 'created'")

        threading.Thread(target=send).start()
        received = next(listener.notifies(timeout=10))
    assert (received.channel, received.payload) == ("orders", "created")


def test_each_test_gets_an_empty_database_and_old_ones_are_gone(
    leftover: None, pgtdd_fresh_database: ServerInfo
) -> None:
    SEEN["third"] = pgtdd_fresh_database
    with psycopg.connect(pgtdd_fresh_database.url) as conn:
        assert conn.execute("SELECT to_regclass('ledger')").fetchone() == (None,)
    assert len({s.database for s in SEEN.values()}) == len(SEEN)


FRESH_TESTS = """
import psycopg

def test_schema_is_there_and_an_open_connection_does_not_stop_the_drop(pgtdd_fresh_database):
    conn = psycopg.connect(pgtdd_fresh_database.url)   # left open on purpose
    conn.execute("INSERT INTO from_schema VALUES (1)")
    conn.commit()
    assert conn.execute("SELECT count(*) FROM from_schema").fetchone() == (1,)
    with open("fresh_name.txt", "w") as f:
        f.write(pgtdd_fresh_database.database)
"""


def test_fresh_database_is_cloned_from_the_schema_template_and_dropped_with_force(
    pytester: pytest.Pytester, pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makefile(".sql", schema="CREATE TABLE from_schema (id int);")
    pytester.makeini("[pytest]\npgtdd_schema = schema.sql\n")
    pytester.makepyfile(FRESH_TESTS)
    monkeypatch.setenv("PGTDD_PROFILE", "local")
    monkeypatch.setenv("TEST_DATABASE_URL", pgtdd_server.url)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    name = (pytester.path / "fresh_name.txt").read_text()
    assert name.startswith("pgtdd_fresh_")
    with psycopg.connect(pgtdd_server.url_for("postgres"), autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    assert row is None
