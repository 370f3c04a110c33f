"""Every key a profile accepts takes effect: one test per key, generated from the schema.

``EFFECTS`` maps each key (nested ones as ``section.key``) to a function that sets the key to
a value other than its default, and checks on a real server that the value took effect
(``SHOW``, the pool's size, the container Docker runs, a timeout hit with the error naming the
key). ``test_profile_key_takes_effect`` runs one per key of ``pgtdd.config.profile``'s schema,
so a key added to the schema without an entry here fails the suite, naming the key.

To add a key: write ``@effect("my_key")`` above a function ``(request) -> None`` here that
starts what the key changes with the key set (the fixtures below start containers, a native
cluster, an external server, a TDD pool) and asserts what differs; use
``request.getfixturevalue(...)`` for the fixtures it needs. A key whose effect takes a whole
scenario already tested elsewhere (a server killed mid-run) names that test in ``PROVED_BY``
instead: the test here then checks that the named test exists and sets the key.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import shutil
import socket
import tempfile
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import psycopg
import pytest

from pgtdd.config.profile import ProfileError, load_profile, profile_keys
from pgtdd.config.settings import Settings, activated, resolve_settings
from pgtdd.databases.guard import (
    UnsafeDatabaseError,
    forget_session_servers,
    restore_session_servers,
)
from pgtdd.fixtures.header import settings_lines
from pgtdd.isolation.context import ConnectionPoolExhaustedError, TDDTestContext
from pgtdd.isolation.database import TDDDatabaseManager
from pgtdd.isolation.runner import run_test_context
from pgtdd.serverinfo import ServerInfo
from pgtdd.session import ConnectionBudgetError, ServerManager, start_server
from tests.majors import session_version

Effect = Callable[[pytest.FixtureRequest], None]
EFFECTS: dict[str, Effect] = {}
# key -> the test (``path::name``) that proves its effect on a real server elsewhere
PROVED_BY: dict[str, str] = {
    "accept_marked": "tests/test_guard.py::test_accept_marked_reads_the_mark_only_for_its_own_url",
    "export_env": "tests/test_export_env.py::"
    "test_export_env_in_the_profile_gives_each_worker_its_database",
    "on_server_loss": "tests/faults/test_server_loss.py::"
    "test_on_server_loss_restart_provisions_again_and_the_rest_pass",
    "migrations_layout": "tests/migrations/test_cli.py::"
    "test_layout_option_and_profile_key_force_the_layout",
    **{
        f"migration_verify.{name}": "tests/migrations/test_cli.py::"
        "test_each_migration_verify_key_in_the_profile_takes_effect"
        for name in ("ignore_kinds", "ignore_names", "irreversible", "on_error")
    },
}
PGDATA = "/var/lib/postgresql/data"


def effect(*keys: str) -> Callable[[Effect], Effect]:
    """Register ``function`` as the proof that each of ``keys`` takes effect."""

    def register(function: Effect) -> Effect:
        for key in keys:
            assert key not in EFFECTS, f"two effect tests for {key}"
            EFFECTS[key] = function
        return function

    return register


@pytest.mark.parametrize("key", profile_keys())
def test_profile_key_takes_effect(key: str, request: pytest.FixtureRequest) -> None:
    if key in PROVED_BY:
        check_proof_elsewhere(key, PROVED_BY[key])
        return
    check = EFFECTS.get(key)
    if check is None:
        pytest.fail(
            f"profile key {key!r} has no effect test. Add to tests/test_profile_keys.py a "
            f'function decorated with @effect("{key}") that starts a server (or pool) with '
            f"{key} set to a value other than its default and asserts what changed (SHOW, the "
            "pool's size, the container, an error naming the key); or, if nothing can use "
            "the key, remove it from the profile schema (pgtdd.config.profile)."
        )
    check(request)


def test_the_registry_names_only_keys_of_the_schema() -> None:
    stale = sorted((set(EFFECTS) | set(PROVED_BY)) - set(profile_keys()))
    assert not stale, f"effect tests for keys the schema no longer has: {stale}"
    assert not set(EFFECTS) & set(PROVED_BY), "a key is proved here and elsewhere"


def check_proof_elsewhere(key: str, node: str) -> None:
    """The test ``node`` exists and sets ``key`` (in a profile it writes)."""
    import importlib
    import inspect as source_of

    path, _, name = node.partition("::")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    test = getattr(module, name, None)
    assert callable(test), f"{key}: the test proving it, {node}, does not exist"
    text = source_of.getsource(test)
    # A nested key is written as its section, then the sub-key on a line of its own.
    assert all(f"{part}:" in text for part in key.split(".")), f"{key}: {node} does not set it"


# --------------------------------------------------------------------------- helpers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused at once)."""
    return free_port()


def write_profile(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def settings_of(path: Path, **env: str) -> Settings:
    return resolve_settings(cli_profile=str(path), environ=env)


def line_of(path: Path, key: str) -> str:
    """``<file>:<line>`` of ``key:`` in ``path``, as messages name where a value was set."""
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        if text.strip().startswith(f"{key}:"):
            try:
                shown = path.relative_to(Path.cwd())
            except ValueError:
                shown = path
            return f"{shown}:{number}"
    raise AssertionError(f"{key} not in {path}")


def fetch(server: ServerInfo, query: str) -> Any:
    with psycopg.connect(server.url, autocommit=True) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


def inspect(container_id: str) -> dict[str, Any]:
    from pgtdd.providers.engine import docker_client

    with contextlib.closing(docker_client()) as client:
        attrs: dict[str, Any] = client.containers.get(container_id).attrs
    return attrs


def container_exists(container_id: str) -> bool:
    from docker.errors import NotFound

    from pgtdd.providers.engine import docker_client

    with contextlib.closing(docker_client()) as client:
        try:
            client.containers.get(container_id)
        except NotFound:
            return False
    return True


def session_image(server: ServerInfo) -> str:
    if server.provider != "container" or not server.image:
        pytest.skip("the container keys are checked when the session runs a container profile")
    return server.image


@dataclasses.dataclass
class Started:
    """A server started from a profile file for these tests, and what started it."""

    path: Path
    settings: Settings
    server: ServerInfo
    provider: Any


@pytest.fixture(scope="module")
def profiles_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("profiles")


@pytest.fixture(scope="module")
def key_image(pgtdd_server: ServerInfo) -> Iterator[str]:
    """The session's image under a tag of its own, so that choosing it proves ``image``."""
    from pgtdd.providers.engine import docker_client

    client = docker_client()
    source = session_image(pgtdd_server)
    tag = "pgtdd/postgres:pgtdd-key-test"
    existed = bool(client.images.list(name=tag))
    if not existed:
        client.images.get(source).tag("pgtdd/postgres", "pgtdd-key-test")
    yield tag
    if not existed:
        client.images.remove(tag, noprune=True)
    client.close()


@pytest.fixture(scope="module")
def container_a(profiles_dir: Path, key_image: str) -> Iterator[Started]:
    """A container with every container key away from its default (bridge, no tmpfs...)."""
    path = write_profile(
        profiles_dir,
        "key_a",
        f"""\
        extends: container
        description: pgtdd key test A
        version: {session_version()}
        image: [{key_image}]
        host_port: {free_port()}
        user: key_user
        password: key_password_a1
        database: key_db
        tmpfs: false
        network: bridge
        server_settings:
          work_mem: 7MB
        """,
    )
    settings = settings_of(path)
    provider, server = start_server(settings)
    try:
        yield Started(path, settings, server, provider)
    finally:
        provider.stop()


@pytest.fixture(scope="module")
def container_b(profiles_dir: Path, pgtdd_server: ServerInfo) -> Iterator[Started]:
    """A reusable container on the host network with its data on tmpfs."""
    path = write_profile(
        profiles_dir,
        "key_b",
        f"""\
        extends: container
        version: {session_version()}
        image: [{session_image(pgtdd_server)}]
        host_port: 0
        tmpfs: true
        tmpfs_size: 1536m
        network: host
        reuse: true
        server_settings:
          work_mem: 9MB
        """,
    )
    settings = settings_of(path)
    provider, server = start_server(settings)
    try:
        yield Started(path, settings, server, provider)
    finally:
        provider.stop()
        if server.container_id and container_exists(server.container_id):
            from pgtdd.providers.engine import docker_client

            with contextlib.closing(docker_client()) as client:
                client.containers.get(server.container_id).remove(force=True, v=True)


@pytest.fixture(scope="module")
def native_c(profiles_dir: Path) -> Iterator[Started]:
    """A native cluster from a pg_bin folder of links, on disk, on a chosen port."""
    from pgtdd.providers.native import BinariesNotFoundError, find_bin_dir

    try:
        real = find_bin_dir(os.environ.get("PGTDD_PG_BIN"), major=session_version())
    except BinariesNotFoundError as exc:
        pytest.skip(f"the native keys need PostgreSQL binaries: {exc}")
    links = Path(tempfile.mkdtemp(prefix="pgtdd-key-bin-"))
    links.chmod(0o755)  # the server may run as the postgres user
    for item in real.iterdir():
        (links / item.name).symlink_to(item)
    path = write_profile(
        profiles_dir,
        "key_c",
        f"""\
        extends: native
        version: {session_version()}
        pg_bin: {links}
        host_port: {free_port()}
        tmpfs: false
        """,
    )
    settings = settings_of(path)
    try:
        provider, server = start_server(settings)
        try:
            yield Started(path, settings, server, provider)
        finally:
            provider.stop()
    finally:
        shutil.rmtree(links, ignore_errors=True)


def external_profile(folder: Path, name: str, url: str, extra: str = "") -> Path:
    return write_profile(
        folder,
        name,
        f"provider: external\nurl: {url}\ntest_database: true\n" + textwrap.dedent(extra),
    )


def start_failure(settings: Settings, limit: float = 60.0) -> BaseException:
    """The error ``start_server`` raises, bounded by ``limit`` seconds of waiting for it."""
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            provider, _ = start_server(settings)
            provider.stop()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), f"the start did not end within {limit} s"
    assert outcome, "the start succeeded; it was expected to fail"
    return outcome[0]


# --------------------------------------------------------------------------- providers


@effect("provider")
def _provider(request: pytest.FixtureRequest) -> None:
    a: Started = request.getfixturevalue("container_a")
    server: ServerInfo = request.getfixturevalue("pgtdd_server")
    folder: Path = request.getfixturevalue("profiles_dir")
    assert a.server.provider == "container" and a.server.container_id
    external = settings_of(external_profile(folder, "key_provider", server.url))
    provider, found = start_server(external)
    provider.stop()
    assert found.provider == "external" and found.container_id is None
    assert (found.host, found.port) == (server.host, server.port)  # nothing was started


@effect("extends")
def _extends(request: pytest.FixtureRequest) -> None:
    a: Started = request.getfixturevalue("container_a")
    # key_a.yaml names none of these: they come from container.yaml through `extends`
    assert fetch(a.server, "SHOW fsync") == "off"
    assert fetch(a.server, "SHOW synchronous_commit") == "off"
    assert a.settings.profile.source_of("retry.max_wait").startswith("profiles/container.yaml:")


@effect("description")
def _description(request: pytest.FixtureRequest) -> None:
    a: Started = request.getfixturevalue("container_a")
    [line, _] = settings_lines(a.settings, verbose=True)
    assert "'pgtdd key test A'" in line


@effect("image")
def _image(request: pytest.FixtureRequest) -> None:
    a: Started = request.getfixturevalue("container_a")
    tag: str = request.getfixturevalue("key_image")
    assert a.server.image == tag
    assert a.server.container_id is not None
    assert inspect(a.server.container_id)["Config"]["Image"] == tag


@effect("host_port")
def _host_port(request: pytest.FixtureRequest) -> None:
    a: Started = request.getfixturevalue("container_a")
    c: Started = request.getfixturevalue("native_c")
    assert a.server.port == a.settings.profile.host_port
    assert c.server.port == c.settings.profile.host_port
    assert fetch(c.server, "SHOW port") == str(c.settings.profile.host_port)


@effect("user", "password", "database")
def _credentials(request: pytest.FixtureRequest) -> None:
    a: Started = request.getfixturevalue("container_a")
    assert fetch(a.server, "SELECT current_user") == "key_user"
    assert fetch(a.server, "SELECT current_database()") == "key_db"
    wrong = dataclasses.replace(a.server, password="dataflow_test_password")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(wrong.url, connect_timeout=5).close()


@effect("tmpfs")
def _tmpfs(request: pytest.FixtureRequest) -> None:
    a: Started = request.getfixturevalue("container_a")
    b: Started = request.getfixturevalue("container_b")
    c: Started = request.getfixturevalue("native_c")
    assert a.server.container_id and b.server.container_id
    assert PGDATA not in (inspect(a.server.container_id)["HostConfig"].get("Tmpfs") or {})
    assert PGDATA in (inspect(b.server.container_id)["HostConfig"].get("Tmpfs") or {})
    assert not fetch(c.server, "SHOW data_directory").startswith("/dev/shm/")


@effect("tmpfs_size")
def _tmpfs_size(request: pytest.FixtureRequest) -> None:
    b: Started = request.getfixturevalue("container_b")
    assert b.server.container_id
    mounted = inspect(b.server.container_id)["HostConfig"].get("Tmpfs") or {}
    assert "size=1536m" in mounted.get(PGDATA, "")  # the default is 2g


@effect("network")
def _network(request: pytest.FixtureRequest) -> None:
    a: Started = request.getfixturevalue("container_a")
    b: Started = request.getfixturevalue("container_b")
    assert a.server.container_id and b.server.container_id
    assert inspect(a.server.container_id)["HostConfig"]["NetworkMode"] in ("bridge", "default")
    assert inspect(b.server.container_id)["HostConfig"]["NetworkMode"] == "host"


@effect("server_settings")
def _server_settings(request: pytest.FixtureRequest) -> None:
    a: Started = request.getfixturevalue("container_a")
    server: ServerInfo = request.getfixturevalue("pgtdd_server")
    folder: Path = request.getfixturevalue("profiles_dir")
    assert fetch(a.server, "SHOW work_mem") == "7MB"
    # an external server cannot be configured by pgtdd: a setting it lacks is an error
    actual = fetch(server, "SHOW work_mem")
    wanted = "3MB" if actual != "3MB" else "5MB"
    extra = f"server_settings:\n  work_mem: {wanted}\n"
    path = external_profile(folder, "key_settings", server.url, extra)
    error = start_failure(settings_of(path))
    assert "work_mem" in str(error) and "did not take effect" in str(error)


@effect("reuse")
def _reuse(request: pytest.FixtureRequest) -> None:
    b: Started = request.getfixturevalue("container_b")
    again, server = start_server(b.settings)
    again.stop()
    assert server.container_id == b.server.container_id
    assert any(note.startswith("reused container") for note in server.notes)
    b.provider.stop()
    assert b.server.container_id and container_exists(b.server.container_id)  # kept
    # without reuse (container A), stop removes the container
    folder: Path = request.getfixturevalue("profiles_dir")
    path = write_profile(
        folder,
        "key_no_reuse",
        f"extends: container\nversion: {session_version()}\nimage: [{b.server.image}]\n"
        "host_port: 0\n",
    )
    provider, once = start_server(settings_of(path))
    provider.stop()
    assert once.container_id and not container_exists(once.container_id)


@effect("url")
def _url(request: pytest.FixtureRequest) -> None:
    server: ServerInfo = request.getfixturevalue("pgtdd_server")
    folder: Path = request.getfixturevalue("profiles_dir")
    settings = settings_of(external_profile(folder, "key_url", server.url_for("postgres")))
    provider, found = start_server(settings)
    provider.stop()
    assert fetch(found, "SELECT current_database()") == "postgres"


@effect("pg_bin")
def _pg_bin(request: pytest.FixtureRequest) -> None:
    c: Started = request.getfixturevalue("native_c")
    assert c.server.image == c.settings.profile.pg_bin  # the cluster ran from those binaries
    folder: Path = request.getfixturevalue("profiles_dir")
    empty = folder / "empty_bin"
    empty.mkdir(exist_ok=True)
    path = write_profile(folder, "key_bad_bin", f"extends: native\npg_bin: {empty}\n")
    error = start_failure(settings_of(path))
    assert "pg_bin" in str(error) and "has no initdb" in str(error)


@effect("test_database")
def _test_database(request: pytest.FixtureRequest) -> None:
    server: ServerInfo = request.getfixturevalue("pgtdd_server")
    folder: Path = request.getfixturevalue("profiles_dir")
    vouched = settings_of(external_profile(folder, "key_vouched", server.url))
    path = write_profile(
        folder, "key_unvouched", f"provider: external\nurl: {server.url}\ntest_database: false\n"
    )
    memory = forget_session_servers()  # as another process would see this server
    try:
        provider, _ = start_server(vouched)
        provider.stop()
        with pytest.raises(UnsafeDatabaseError, match="PGTDD_ALLOW_DATABASE"):
            start_server(settings_of(path))
    finally:
        restore_session_servers(memory)


@effect("schema")
def _schema(request: pytest.FixtureRequest) -> None:
    server: ServerInfo = request.getfixturevalue("pgtdd_server")
    folder: Path = request.getfixturevalue("profiles_dir")
    (folder / "key_schema.sql").write_text("CREATE TABLE key_schema_table (id int);\n")
    path = write_profile(
        folder, "key_schema", f"provider: external\nurl: {server.url}\ntest_database: true\n"
        "schema: key_schema.sql\n"
    )
    manager = ServerManager(settings_of(path), rootpath=folder, attached=server)
    try:
        session = manager.get()
        assert session.database != server.database  # a clone of the template the file built
        assert fetch(session, "SELECT to_regclass('key_schema_table') IS NOT NULL") is True
    finally:
        manager.stop()


# --------------------------------------------------------------------------- timeouts, retry


def _closed(folder: Path, name: str, body: str) -> Path:
    url = f"postgresql://u:p@127.0.0.1:{closed_port()}/nothing_test"
    return external_profile(folder, name, url, body)


@effect("timeouts.startup")
def _startup(request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue("profiles_dir")
    path = _closed(folder, "key_startup", "timeouts:\n  startup: 0.5\nretry:\n  deadline: 600\n")
    error = start_failure(settings_of(path), limit=60)
    assert f"timeouts.startup = 0.5 s ({line_of(path, 'startup')})" in str(error)


@effect("retry.deadline")
def _deadline(request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue("profiles_dir")
    path = _closed(folder, "key_deadline", "retry:\n  deadline: 0.3\n")
    error = start_failure(settings_of(path), limit=60)
    assert "up to 0.3s: retry.deadline" in str(error)
    assert "timeouts.startup" not in str(error)  # the startup limit (60 s) was not the one hit


@effect("retry.initial_wait", "retry.max_wait")
def _waits(request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue("profiles_dir")
    body = "retry:\n  deadline: 0.8\n  initial_wait: 0.05\n  max_wait: 0.2\n"
    error = start_failure(settings_of(_closed(folder, "key_waits", body)))
    waits = getattr(error, "waits", ())
    assert len(waits) >= 3, f"too few attempts to see the back-off: {waits}"
    assert waits[0] == pytest.approx(0.05) and waits[1] == pytest.approx(0.1)
    assert max(waits) == pytest.approx(0.2)  # capped by max_wait


@effect("timeouts.connect")
def _connect(request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue("profiles_dir")
    with socket.socket() as silent:  # accepts connections (backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"postgresql://u:p@127.0.0.1:{silent.getsockname()[1]}/nothing_test"
        body = "timeouts:\n  connect: 2\nretry:\n  deadline: 1\n"
        error = start_failure(settings_of(external_profile(folder, "key_connect", url, body)))
    assert "timeout expired" in str(error)
    assert "timeouts.connect = 2 s" in str(error)


@effect("timeouts.statement")
def _statement(request: pytest.FixtureRequest) -> None:
    server: ServerInfo = request.getfixturevalue("pgtdd_server")
    folder: Path = request.getfixturevalue("profiles_dir")
    path = external_profile(folder, "key_statement", server.url, "timeouts:\n  statement: 1\n")

    async def run() -> tuple[str, BaseException]:
        manager = TDDDatabaseManager(pool_id="key_statement")
        await manager.initialize(server.url)
        try:
            context = TDDTestContext()
            with pytest.raises(asyncpg.QueryCanceledError) as caught:
                async with run_test_context(context, manager=manager) as ctx:
                    shown = await ctx.connection.fetchval("SHOW statement_timeout")
                    await ctx.connection.execute("SELECT pg_sleep(1.5)")
            return shown, caught.value
        finally:
            await manager.close()

    with activated(settings_of(path)):
        shown, error = asyncio.run(run())
    assert shown == "1s"
    notes = "\n".join(getattr(error, "__notes__", ()))
    assert f"timeouts.statement ({line_of(path, 'statement')})" in notes


# --------------------------------------------------------------------------- the TDD pool


def _pool_profile(folder: Path, server: ServerInfo, name: str, pool: str) -> Path:
    return external_profile(folder, name, server.url, "pool:\n" + textwrap.indent(pool, "  "))


async def _exhaust(url: str) -> tuple[int, int, int, str]:
    """Open the TDD pool, hold every connection, ask for one more."""
    manager = TDDDatabaseManager(pool_id="key_pool")
    await manager.initialize(url)
    held: list[TDDTestContext] = []
    try:
        pool = manager.connection_pool
        assert pool is not None
        # pgtdd opens min_size connections itself (asyncpg keeps no floor of its own: a lost
        # server is reported once, not by a pool reconnecting in the background).
        floor = manager.pool_manager.get_pool_statistics(manager.pool_id)["min_size"]
        sizes = (floor, pool.get_size(), pool.get_max_size())
        for number in range(sizes[2]):
            context = TDDTestContext(test_id=f"key_hold_{number}")
            await manager.get_test_connection(context)
            held.append(context)
        with pytest.raises(ConnectionPoolExhaustedError) as caught:
            await manager.get_test_connection(TDDTestContext(test_id="key_one_more"))
        return (*sizes, str(caught.value))
    finally:
        for context in held:
            await manager.cleanup_test_connection(context)
        await manager.close()


@effect("pool.min_size", "pool.max_size", "pool.acquire_timeout")
def _pool(request: pytest.FixtureRequest) -> None:
    server: ServerInfo = request.getfixturevalue("pgtdd_server")
    folder: Path = request.getfixturevalue("profiles_dir")
    body = "min_size: 1\nmax_size: 3\nacquire_timeout: 0.2\n"
    path = _pool_profile(folder, server, "key_pool", body)
    with activated(settings_of(path)):
        low, opened, high, message = asyncio.run(_exhaust(server.url))
    assert (low, opened, high) == (1, 1, 3)  # min_size opened at start, max_size the ceiling
    assert f"pool.max_size ({line_of(path, 'max_size')})" in message
    assert "within 0.2 s" in message
    assert f"pool.acquire_timeout ({line_of(path, 'acquire_timeout')})" in message


@effect("pool.max_connections")
def _max_connections(request: pytest.FixtureRequest) -> None:
    server: ServerInfo = request.getfixturevalue("pgtdd_server")
    folder: Path = request.getfixturevalue("profiles_dir")
    path = _pool_profile(folder, server, "key_ceiling", "max_size: 5\nmax_connections: 6\n")
    manager = ServerManager(settings_of(path), rootpath=folder)
    try:
        with pytest.raises(ConnectionBudgetError) as caught:
            manager.provision()
    finally:
        manager.stop()
    assert f"pool.max_connections = 6 ({line_of(path, 'max_connections')})" in str(caught.value)
    roomy = _pool_profile(folder, server, "key_roomy", "max_size: 5\nmax_connections: 8\n")
    manager = ServerManager(settings_of(roomy), rootpath=folder)
    try:
        assert manager.provision().port == server.port  # 5 + 3 reserved fit in 8
    finally:
        manager.stop()


# --------------------------------------------------------------------------- the rules


def test_a_key_its_provider_does_not_use_is_an_error(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "ext", "provider: external\nurl: postgresql://h/d\nimage: x\n")
    with pytest.raises(ProfileError, match=r"ext.yaml:3: image does not apply to an external"):
        load_profile(str(path), environ={})
    path = write_profile(tmp_path, "ext2", "provider: external\nhost_port: 6543\n")
    with pytest.raises(ProfileError, match=r"host_port does not apply.*put the port in url"):
        load_profile(str(path), environ={})
    inherited = write_profile(tmp_path, "nat", "extends: native\n")  # image from container.yaml
    assert load_profile(str(inherited), environ={}).provider == "native"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("pool:\n  min_size: 4\n  max_size: 3\n", r"min_size \(4\) <= max_size \(3\)"),
        ("timeouts:\n  connect: 1\n", r"timeouts.connect must be >= 2 \(libpq"),
        ("retry:\n  initial_wait: 1\n  max_wait: 0.5\n", r"initial_wait \(1\) must not exceed"),
    ],
)
def test_values_no_server_can_honour_are_refused(tmp_path: Path, body: str, message: str) -> None:
    path = write_profile(tmp_path, "bad", "extends: container\n" + body)
    with pytest.raises(ProfileError, match=message):
        load_profile(str(path), environ={})


@effect("version")
def _version(request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue("profiles_dir")
    other = 15 if session_version() != 15 else 18  # CI builds the images of both
    path = write_profile(
        folder, "key_version", f"extends: container\nversion: {other}\nhost_port: 0\n"
    )
    provider, server = start_server(settings_of(path))
    try:
        assert int(fetch(server, "SHOW server_version_num")) // 10000 == other
    finally:
        provider.stop()
    bad = write_profile(folder, "key_bad_version", "extends: container\nversion: 99\n")
    with pytest.raises(ProfileError, match=r"key_bad_version.yaml:2.*15, 16, 17, 18"):
        settings_of(bad)
