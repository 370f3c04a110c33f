"""The sync psycopg client: commit()/rollback()/transaction() on savepoints, rolled back after
the test, and the after-test check (ended or failed transaction, writes other connections
committed)."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.rows import dict_row

from pgtdd.clients.connection import SavepointCommitError
from pgtdd.clients.slots import ConnectionSlot
from pgtdd.clients.transaction import ClientTest
from pgtdd.isolation.context import TDDIsolationError, TDDIsolationWarning
from tests.clients.conftest import Outside, count


def named(name: str, **kw: object) -> ClientTest:
    """A test's transaction settings, named ``name``."""
    return ClientTest(test_id=name, through="the test's connection", **kw)  # type: ignore[arg-type]


def test_commit_keeps_work_for_the_test_and_nothing_outlives_it(
    slot: ConnectionSlot, outside: Outside
) -> None:
    outside.execute("CREATE TABLE notes (body text)")
    with slot.test(named("commits")) as conn:
        conn.execute("INSERT INTO notes VALUES ('kept')")
        conn.commit()
        conn.execute("INSERT INTO notes VALUES ('undone')")
        conn.rollback()
        assert conn.execute("SELECT body FROM notes").fetchall() == [("kept",)]
        assert count(outside, "notes") == 0  # never really committed
    assert count(outside, "notes") == 0
    with slot.test(named("next")) as conn:
        assert conn.execute("SELECT count(*) FROM notes").fetchone() == (0,)


def test_a_transaction_block_on_a_clean_connection_commits_at_its_end(
    slot: ConnectionSlot, outside: Outside
) -> None:
    outside.execute("CREATE TABLE moves (n int)")
    with slot.test(named("blocks")) as conn:
        with conn.transaction():  # nothing pending: psycopg would BEGIN and COMMIT
            conn.execute("INSERT INTO moves VALUES (1)")
        conn.execute("INSERT INTO moves VALUES (2)")
        with conn.transaction():  # pending work: psycopg nests a savepoint
            conn.execute("INSERT INTO moves VALUES (3)")
        conn.rollback()  # back to the end of the first block
        assert conn.execute("SELECT n FROM moves").fetchall() == [(1,)]
        with pytest.raises(ZeroDivisionError), conn.transaction():
            conn.execute("INSERT INTO moves VALUES (4)")
            raise ZeroDivisionError
        assert conn.execute("SELECT n FROM moves").fetchall() == [(1,)]
    assert count(outside, "moves") == 0


def test_with_conn_and_close_keep_the_connection_for_the_test(slot: ConnectionSlot) -> None:
    with slot.test(named("closer")) as conn:
        conn.execute("CREATE TABLE t (n int)")
        with conn:  # commits (a savepoint); psycopg would also close it
            conn.execute("INSERT INTO t VALUES (1)")
        conn.close()
        assert not conn.closed
        assert conn.execute("SELECT n FROM t").fetchall() == [(1,)]
        assert conn.pgtdd_scope is not None and conn.pgtdd_scope.closes == 1
    again = slot.acquire()
    assert again is conn  # the same connection serves the next test
    slot.release(again)


def test_a_failed_statement_then_rollback_continues(slot: ConnectionSlot) -> None:
    with slot.test(named("recovers")) as conn:
        conn.execute("CREATE TABLE u (n int UNIQUE)")
        conn.execute("INSERT INTO u VALUES (1)")
        conn.commit()
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("INSERT INTO u VALUES (1)")
        conn.rollback()
        conn.execute("INSERT INTO u VALUES (2)")
        assert conn.execute("SELECT n FROM u ORDER BY n").fetchall() == [(1,), (2,)]


def test_a_raw_commit_is_refused_reported_and_the_connection_replaced(
    slot: ConnectionSlot, outside: Outside
) -> None:
    with pytest.raises(TDDIsolationError) as caught, slot.test(named("raw")) as conn:
        conn.execute("CREATE TABLE raw_commit (n int)")
        with pytest.raises(psycopg.errors.InvalidTransactionTermination, match="refused"):
            conn.execute("COMMIT")
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TABLE after_commit (n int)")
        with pytest.raises(SavepointCommitError, match="was ended before"):
            conn.rollback()
    message = str(caught.value)
    assert "test raw ended its transaction and began another one" in message
    assert "the connection was replaced" in message
    assert outside.execute("SELECT to_regclass('raw_commit')").fetchone() == (None,)
    assert slot.acquire() is not conn


def test_a_raw_rollback_left_idle_is_reported(slot: ConnectionSlot) -> None:
    ended = pytest.raises(TDDIsolationError, match="ended the transaction that isolates it")
    with ended, slot.test(named("rolled")) as conn:
        conn.execute("ROLLBACK")


def test_a_failed_transaction_left_by_a_passing_test_is_a_warning(slot: ConnectionSlot) -> None:
    warned = pytest.warns(TDDIsolationWarning, match="passed but left its transaction failed")
    zero = pytest.raises(psycopg.errors.DivisionByZero)
    with warned, slot.test(named("swallower")) as conn, zero:
        conn.execute("SELECT 1/0")
    with slot.test(named("after")) as conn:  # the connection is fine again
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_a_failed_transaction_of_a_failed_test_is_not_also_warned(slot: ConnectionSlot) -> None:
    failing = slot.test(named("failing"), failed=lambda: True)
    with failing as conn, pytest.raises(psycopg.errors.DivisionByZero):
        conn.execute("SELECT 1/0")


def test_writes_committed_by_another_connection_fail_the_test_naming_them(
    slot: ConnectionSlot, fresh: object, outside: Outside
) -> None:
    outside.execute("CREATE TABLE orders (n int)")
    outside.execute("INSERT INTO orders VALUES (0)")  # before the test: not its doing
    with pytest.raises(TDDIsolationError) as caught, slot.test(named("leaker")) as conn:
        conn.execute("INSERT INTO orders VALUES (1)")  # the test's own: rolled back
        with psycopg.connect(fresh.url, application_name="side-app") as side:  # type: ignore[attr-defined]
            side.execute("INSERT INTO orders VALUES (2)")
            side.execute("UPDATE orders SET n = n + 10 WHERE n = 0")
        outside.execute("CREATE TABLE audit (n int)")  # autocommit DDL
    message = str(caught.value)
    assert "test leaker committed data outside the transaction pgtdd rolls back" in message
    assert "INSERT on public.orders" in message and "UPDATE on public.orders" in message
    assert "CREATE TABLE on public.audit" in message
    assert "'side-app'" in message
    assert "`pgtdd_fresh_database`" in message
    assert count(outside, "orders") == 2  # pgtdd reports what it cannot undo


def test_a_write_rolled_back_by_another_connection_is_not_reported(
    slot: ConnectionSlot, fresh: object, outside: Outside
) -> None:
    outside.execute("CREATE TABLE items (n int)")
    with slot.test(named("quiet")) as conn:  # its end would raise for an escape
        with psycopg.connect(fresh.url) as side:  # type: ignore[attr-defined]
            side.execute("INSERT INTO items VALUES (1)")
            side.rollback()
        conn.execute("INSERT INTO items VALUES (2)")
    assert count(outside, "items") == 0


def test_settings_of_the_test_and_state_of_the_python_object_do_not_leak(
    slot: ConnectionSlot,
) -> None:
    with slot.test(named("serial", isolation_level="serializable", timeout=7)) as conn:
        assert conn.execute("SHOW transaction_isolation").fetchone() == ("serializable",)
        assert conn.execute("SHOW statement_timeout").fetchone() == ("7s",)
        conn.row_factory = dict_row  # type: ignore[assignment]
        conn.prepare_threshold = 0
        conn.execute("SELECT pg_advisory_lock(4242)")
    with slot.test(named("plain")) as conn:
        assert conn.execute("SELECT 1 AS one").fetchone() == (1,)
        assert conn.prepare_threshold == 5
        assert conn.execute("SHOW transaction_isolation").fetchone() == ("read committed",)
        held = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        ).fetchone()
        assert held == (0,)


def test_outside_a_test_the_connection_is_read_only(slot: ConnectionSlot) -> None:
    conn = slot.acquire()
    try:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TABLE outside_any_test (n int)")
        conn.rollback()
    finally:
        slot.release(conn)
