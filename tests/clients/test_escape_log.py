"""The escape log itself: installed once and idempotent, every user table armed (later ones by
the DDL watch), writes inside a test not logged, roles without the rights named."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from pgtdd.clients.slots import ConnectionSlot, install_escape_log
from pgtdd.clients.transaction import ClientTest
from pgtdd.databases import escapes
from pgtdd.databases.janitor import DatabaseJanitor
from pgtdd.serverinfo import ServerInfo
from tests.clients.conftest import Outside
from tests.conftest import RunChild


def armed(conn: Outside) -> set[str]:
    rows = conn.execute(
        "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'pgtdd_escape'"
    ).fetchall()
    return {str(row[0]) for row in rows}


def logged(conn: Outside) -> list[tuple[str, str]]:
    return [(str(r[0]), str(r[1])) for r in conn.execute(
        "SELECT relation, operation FROM pgtdd.escapes ORDER BY id"
    ).fetchall()]


@pytest.fixture
def blank(pgtdd_janitor: DatabaseJanitor) -> Iterator[ServerInfo]:
    """A database of its own from ``template0``: no escape log yet (the session's template has
    one when the session uses a template)."""
    server = pgtdd_janitor.clone("template0", f"pgtdd_blank_{secrets.token_hex(5)}")
    yield server
    pgtdd_janitor.drop(server.database)


def test_install_is_idempotent_and_arms_every_user_table(blank: ServerInfo) -> None:
    with psycopg.connect(blank.url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA app; CREATE TABLE app.users (id int); CREATE TABLE t (x int)")
        conn.execute("CREATE TABLE parted (k int) PARTITION BY RANGE (k)")
        conn.execute("CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10)")
        first = escapes.install(conn)
        assert first.armed == 4 and first.watches_ddl and first.unarmed == ()
        again = escapes.ensure(conn)
        assert again.armed == 0 and again.watches_ddl
        assert armed(conn) == {"app.users", "t", "parted", "parted_1"}
        conn.execute("INSERT INTO app.users VALUES (1)")
        conn.execute("TRUNCATE t")
        assert logged(conn) == [("app.users", "INSERT"), ("public.t", "TRUNCATE")]


def test_tables_created_later_are_armed_and_their_creation_logged(
    slot: ConnectionSlot, outside: Outside
) -> None:
    outside.execute("CREATE TABLE later (n int)")  # outside any test: armed, logged
    assert "later" in armed(outside)
    assert ("public.later", "CREATE TABLE") in logged(outside)
    with slot.test(ClientTest("in-test")) as conn:
        conn.execute("CREATE TABLE only_in_test (n int)")
        conn.execute("INSERT INTO later VALUES (1)")
    assert all(relation != "public.only_in_test" for relation, _ in logged(outside))
    assert ("public.later", "INSERT") not in logged(outside)


@pytest.fixture
def limited_role(blank: ServerInfo) -> Iterator[tuple[str, str]]:
    """A role that may log in to the blank database but create nothing there."""
    name, password = f"pgtdd_ro_{secrets.token_hex(4)}", secrets.token_hex(8)
    with psycopg.connect(blank.url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(name), sql.Literal(password)
            )
        )
        conn.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    try:
        yield name, password
    finally:
        with DatabaseJanitor(blank) as janitor:
            janitor.drop(blank.database)
        with psycopg.connect(blank.url_for("postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def test_a_role_that_may_not_create_the_log_is_named(
    blank: ServerInfo, limited_role: tuple[str, str]
) -> None:
    name, password = limited_role
    server = ServerInfo(**{**blank.__dict__, "user": name, "password": password})
    log = install_escape_log(server)
    assert not log.on
    assert "permission denied" in log.error


def test_a_database_owner_that_is_not_superuser_gets_the_log_without_the_ddl_watch(
    blank: ServerInfo, limited_role: tuple[str, str]
) -> None:
    name, password = limited_role
    with psycopg.connect(blank.url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                sql.Identifier(blank.database), sql.Identifier(name)
            )
        )
    server = ServerInfo(**{**blank.__dict__, "user": name, "password": password})
    log = install_escape_log(server)
    assert log.installed is not None and not log.installed.watches_ddl


def test_an_escape_describes_each_table_operation_and_connection() -> None:
    escape = escapes.escape_from(
        [("public.a", "INSERT", 7, "app"), ("public.a", "INSERT", 7, "app"),
         ("public.b", "DELETE", 8, "")]
    )
    assert escape.tables == ["public.a", "public.b"]
    assert escape.describe() == (
        "INSERT on public.a (2 statements), DELETE on public.b, committed by connection(s) "
        "pid 7 'app', pid 8"
    )


def test_the_session_warns_when_the_log_cannot_be_installed(
    run_child: RunChild, blank: ServerInfo, limited_role: tuple[str, str]
) -> None:
    name, password = limited_role
    server = ServerInfo(**{**blank.__dict__, "user": name, "password": password})
    files = {"test_w.py": "def test_w(pgtdd_psycopg):\n    pass\n"}
    ini = "[pytest]\nasyncio_default_fixture_loop_scope = session\n"
    run = run_child(files, env={"TEST_DATABASE_URL": server.url}, ini=ini)
    assert "pgtdd could not install its escape log" in run.output, run.output[-2000:]
    assert password not in run.output


def test_a_table_another_connection_holds_is_left_unarmed_not_waited_for(
    blank: ServerInfo,
) -> None:
    with psycopg.connect(blank.url, autocommit=True) as conn:
        conn.execute("CREATE TABLE busy (n int); CREATE TABLE free (n int)")
    with psycopg.connect(blank.url) as holder:
        holder.execute("UPDATE busy SET n = 1")  # a transaction left open: ROW EXCLUSIVE
        installed = install_escape_log(blank).installed
        holder.rollback()
    assert installed is not None
    assert installed.unarmed == ("busy",) and installed.armed == 1
