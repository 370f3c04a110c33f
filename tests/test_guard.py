"""The test-database guard: what it allows, what it refuses, and that it refuses first."""

from __future__ import annotations

import dataclasses
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgtdd.config.profile import load_profile
from pgtdd.config.settings import activated, resolve_settings
from pgtdd.databases.guard import (
    ALLOW_ENV,
    UnsafeDatabaseError,
    check_test_database,
    ensure_test_database,
    ensure_test_url,
    forget_session_servers,
    looks_like_production,
    parse_allow_list,
    restore_session_servers,
)
from pgtdd.serverinfo import ServerInfo

SECRET = "Gu4rdSecret-not-shown"
DB_TEST = """
def test_db(pgtdd_server):
    import psycopg
    with psycopg.connect(pgtdd_server.url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
"""


def external(host: str = "db.example.net", port: int = 5432, database: str = "app") -> ServerInfo:
    return ServerInfo(host, port, "app", SECRET, database, provider="external", profile="mine")


@pytest.fixture(autouse=True)
def clean_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(ALLOW_ENV, raising=False)
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)  # inner runs pick their own server
    memory = forget_session_servers()
    yield
    forget_session_servers()
    restore_session_servers(memory)  # the session's own server stays allowed for later tests


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts (and closes them)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = int(self.sock.getsockname()[1])
        self.accepted = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()
        self.thread.join(timeout=5)


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    try:
        yield server
    finally:
        server.close()


def test_provisioned_servers_are_allowed_and_remembered() -> None:
    container = ServerInfo(
        "172.17.0.1", 5433, "u", SECRET, "d", "container", "container", container_id="abc"
    )
    native = ServerInfo("127.0.0.1", 6001, "u", SECRET, "d", "native", "native")
    ensure_test_database(container)
    ensure_test_database(native)
    # Any database on those servers is then allowed by URL (the session's clones, for example).
    ensure_test_url(f"postgresql://u:{SECRET}@172.17.0.1:5433/pgtdd_run_x")
    ensure_test_url(f"postgresql://u:{SECRET}@localhost:6001/other")
    with pytest.raises(UnsafeDatabaseError):
        ensure_test_url(f"postgresql://u:{SECRET}@172.17.0.1:5434/pgtdd_run_x")


def test_a_container_claim_without_a_container_id_is_not_trusted() -> None:
    forged = dataclasses.replace(external(), provider="container")
    assert not check_test_database(forged).allowed
    remote_native = dataclasses.replace(external(), provider="native")
    assert not check_test_database(remote_native).allowed


def test_unmarked_external_server_is_refused_naming_both_ways_to_allow_it() -> None:
    profile = dataclasses.replace(load_profile("local", environ={}), test_database=False)
    with pytest.raises(UnsafeDatabaseError) as info:
        ensure_test_database(external(), profile)
    message = str(info.value)
    assert "postgresql://app:***@db.example.net:5432/app" in message
    assert "test_database: true" in message and str(profile.path) in message
    assert f"export {ALLOW_ENV}=db.example.net:5432/app" in message
    assert SECRET not in message


def test_profile_flag_allows_and_names_where_it_came_from() -> None:
    profile = load_profile(
        "local", environ={"TEST_DATABASE_URL": f"postgresql://app:{SECRET}@db.example.net:5432/app"}
    )
    assert not check_test_database(external(), profile).allowed  # local: only once seen marked
    profile = dataclasses.replace(profile, test_database=True)
    verdict = check_test_database(external(), profile)
    assert verdict.allowed
    assert "test_database: true" in verdict.reason and "local.yaml" in verdict.reason
    # Any database of that server (the run's clones), but no other server.
    assert check_test_database(external(database="pgtdd_run_x"), profile).allowed
    other = check_test_database(external("db.example.org", 5432, "app"), profile)
    assert not other.allowed
    assert "vouches only for the server of its own url" in other.reason + other.fix


def test_the_session_profile_applies_only_to_its_own_server(tmp_path: Path) -> None:
    vouching = tmp_path / "vouching.yaml"
    vouching.write_text("extends: local\ntest_database: true\n")
    settings = resolve_settings(
        cli_profile=str(vouching),
        environ={"TEST_DATABASE_URL": f"postgresql://app:{SECRET}@db.example.net:5432/app"},
    )
    with activated(settings):
        ensure_test_url(f"postgresql://app:{SECRET}@db.example.net:5432/pgtdd_run_1")
        with pytest.raises(UnsafeDatabaseError):
            ensure_test_url(f"postgresql://u:{SECRET}@db.corp.internal:5432/app")
    with pytest.raises(UnsafeDatabaseError):  # deactivated: nothing vouches for it any more
        ensure_test_url(f"postgresql://app:{SECRET}@db.example.net:5432/app")


@pytest.mark.parametrize(
    ("host", "database", "word"),
    [
        ("prod-db", "app", "prod"),
        ("db.internal", "production", "production"),
        ("db1", "app_prd", "prd"),
        ("db1", "prod2", "prod"),
        ("db1", "product_catalog_test", None),
        ("reproduce", "dataflow_test", None),
        ("db1", "proddb", "proddb"),
        ("pgprod", "app", "pgprod"),
        ("prodpg.internal", "app", "prodpg"),
        ("db1", "prodreplica", "prodreplica"),
        ("db1", "app_productionreplica", "productionreplica"),
        ("db1", "products", None),
        ("product-db", "product", None),
        ("db1", "produce_test", None),
        ("db1", "prodigy", None),
        ("db1", "prodding", None),
    ],
)
def test_production_looking_names(host: str, database: str, word: str | None) -> None:
    assert looks_like_production(host, database) == word


def test_production_name_needs_the_explicit_variable_even_with_the_flag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"postgresql://app:{SECRET}@prod-db:5432/production"
    profile = load_profile("local", environ={"TEST_DATABASE_URL": url})
    profile = dataclasses.replace(profile, test_database=True)
    prod = external("prod-db", 5432, "production")
    with pytest.raises(UnsafeDatabaseError, match="looks like production") as info:
        ensure_test_database(prod, profile)
    assert f"export {ALLOW_ENV}=prod-db:5432/production" in str(info.value)
    monkeypatch.setenv(ALLOW_ENV, "prod-db:5432/production")
    ensure_test_database(prod, profile)


def test_allow_list_entries_exact_wildcard_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ALLOW_ENV, "db.example.net:5432/app, 127.0.0.1:6543/*")
    assert check_test_database(external()).allowed
    assert not check_test_database(external(database="app2")).allowed
    assert not check_test_database(external(port=5433)).allowed
    assert check_test_database(external("localhost", 6543, "anything")).allowed
    assert check_test_database(external("::1", 6543, "x")).allowed
    assert not check_test_database(external("10.0.0.1", 6543, "x")).allowed


@pytest.mark.parametrize("entry", ["db:5432", "db/app", "postgresql://u:pw@db:5432/app", "db:x/a"])
def test_malformed_allow_entry_is_named_without_credentials(entry: str) -> None:
    with pytest.raises(UnsafeDatabaseError, match="is not host:port/database") as info:
        parse_allow_list(entry)
    assert ":pw@" not in str(info.value)


def test_plugin_refuses_an_unmarked_server_before_connecting(
    pytester: pytest.Pytester, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"postgresql://app:{SECRET}@127.0.0.1:{listener.port}/app"
    pytester.makefile(".yaml", mine=f"provider: external\nurl: {url}\n")
    pytester.makepyfile(DB_TEST)
    result = pytester.runpytest_subprocess("--db-profile", "mine.yaml", "-p", "no:cacheprovider")
    assert result.ret == 3
    out = result.stdout.str() + result.stderr.str()
    assert "pgtdd refuses" in out
    assert f"{ALLOW_ENV}=127.0.0.1:{listener.port}/app" in out
    assert SECRET not in out
    result.assert_outcomes()
    assert listener.accepted == 0  # refused before any connection


def test_local_profile_refuses_a_production_url_before_connecting(
    pytester: pytest.Pytester, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "TEST_DATABASE_URL", f"postgresql://app:{SECRET}@127.0.0.1:{listener.port}/production"
    )
    pytester.makepyfile(DB_TEST)
    result = pytester.runpytest_subprocess("--db-profile", "local", "-p", "no:cacheprovider")
    assert result.ret == 3
    out = result.stdout.str() + result.stderr.str()
    assert "looks like production ('production')" in out
    assert SECRET not in out
    assert listener.accepted == 0


def test_allowed_by_variable_the_session_runs(
    pytester: pytest.Pytester, pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(pytester.path) / "mine.yaml"
    path.write_text(f"provider: external\nurl: {pgtdd_server.url}\n")
    pytester.makepyfile(DB_TEST)
    refused = pytester.runpytest_subprocess("--db-profile", str(path), "-p", "no:cacheprovider")
    assert refused.ret == 3
    key = f"{pgtdd_server.host}:{pgtdd_server.port}/{pgtdd_server.database}"
    monkeypatch.setenv(ALLOW_ENV, key)
    allowed = pytester.runpytest_subprocess("--db-profile", str(path), "-p", "no:cacheprovider")
    allowed.assert_outcomes(passed=1)


@pytest.mark.asyncio
async def test_tdd_pool_on_an_unmarked_url_is_refused_before_connecting(
    listener: Listener,
) -> None:
    from pgtdd.tdd_support import (
        TDDDatabaseManager,
        TDDInfrastructureError,
        setup_tdd_infrastructure,
    )

    url = f"postgresql://app:{SECRET}@127.0.0.1:{listener.port}/app"
    manager = TDDDatabaseManager(pool_id="guard_refused")
    with pytest.raises(TDDInfrastructureError, match="pgtdd refuses") as info:
        await setup_tdd_infrastructure(url, manager=manager)
    assert f"{ALLOW_ENV}=127.0.0.1:{listener.port}/app" in str(info.value)
    assert SECRET not in str(info.value)
    assert manager.connection_pool is None
    assert listener.accepted == 0


def test_mutate_and_migrate_down_refuse_an_unmarked_url(
    listener: Listener, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from pgtdd.cli.main import main

    url = f"postgresql://app:{SECRET}@127.0.0.1:{listener.port}/app"
    (tmp_path / "001_a.up.sql").write_text("CREATE TABLE a (id int);\n")
    (tmp_path / "001_a.down.sql").write_text("DROP TABLE a;\n")
    for argv in (
        ["mutate", str(tmp_path), "--tests", str(tmp_path), "--url", url],
        ["migrate", "down", str(tmp_path), "--url", url],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "pgtdd refuses" in err and f"{ALLOW_ENV}=127.0.0.1:{listener.port}/app" in err
        assert SECRET not in err
    assert listener.accepted == 0


@pytest.fixture
def unmarked_database(pgtdd_server: ServerInfo) -> Iterator[ServerInfo]:
    """A database of the session's server whose mark is switched off (``ALTER DATABASE``)."""
    import psycopg
    from psycopg import sql

    name = f"guard_unmarked_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pgtdd_server.url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        conn.execute(
            sql.SQL("ALTER DATABASE {} SET pgtdd.test_server = 'off'").format(sql.Identifier(name))
        )
    try:
        yield pgtdd_server.with_database(name)
    finally:
        with psycopg.connect(pgtdd_server.url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_local_accepts_a_marked_server_and_names_what_it_found_on_an_unmarked_one(
    pytester: pytest.Pytester, unmarked_database: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The built-in local profile trusts a server only once it sees the mark (accept_marked:
    true); pgtdd's own servers carry it, this database has it switched off."""
    import psycopg
    from psycopg import sql

    pytester.makepyfile(DB_TEST)
    monkeypatch.setenv("TEST_DATABASE_URL", unmarked_database.url)
    monkeypatch.delenv(ALLOW_ENV, raising=False)
    refused = pytester.runpytest_subprocess("--db-profile", "local", "-p", "no:cacheprovider")
    assert refused.ret == 3
    out = refused.stdout.str() + refused.stderr.str()
    assert f"found PostgreSQL {unmarked_database.version.split()[0]}" in out
    assert f"table(s) in database {unmarked_database.database}" in out
    assert "pgtdd.test_server is off" in out and "accept_marked: true" in out
    assert f"ALTER DATABASE \"{unmarked_database.database}\" SET pgtdd.test_server = 'on'" in out
    assert unmarked_database.password not in out
    with psycopg.connect(unmarked_database.url, autocommit=True) as conn:
        name = sql.Identifier(unmarked_database.database)
        conn.execute(sql.SQL("ALTER DATABASE {} SET pgtdd.test_server = 'on'").format(name))
    accepted = pytester.runpytest_subprocess("--db-profile", "local", "-p", "no:cacheprovider")
    accepted.assert_outcomes(passed=1)


def test_accept_marked_reads_the_mark_only_for_its_own_url(
    pytester: pytest.Pytester, pgtdd_server: ServerInfo, tmp_path: Path
) -> None:
    """accept_marked: true in a profile of one's own: the session's server (marked, as pgtdd's
    servers are) is accepted; without the key the same server is refused before connecting."""
    marked = tmp_path / "marked.yaml"
    marked.write_text(f"provider: external\nurl: {pgtdd_server.url}\naccept_marked: true\n")
    pytester.makepyfile(DB_TEST)
    pytester.runpytest_subprocess(
        "--db-profile", str(marked), "-p", "no:cacheprovider"
    ).assert_outcomes(passed=1)
    plain = tmp_path / "plain.yaml"
    plain.write_text(f"provider: external\nurl: {pgtdd_server.url}\n")
    refused = pytester.runpytest_subprocess("--db-profile", str(plain), "-p", "no:cacheprovider")
    assert refused.ret == 3 and "pgtdd refuses" in refused.stdout.str() + refused.stderr.str()
