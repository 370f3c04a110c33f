"""The container provider against real Docker: settings verified, port fallback, nothing left."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgtdd.config.profile import Profile
from pgtdd.providers.container import ContainerProvider
from pgtdd.providers.engine import docker_client
from pgtdd.providers.ownership import OWNER, OWNER_LABEL, REUSE_LABEL, Owner, sweep_orphans
from pgtdd.providers.readiness import SettingsNotAppliedError, verify_settings
from pgtdd.serverinfo import ServerInfo
from tests.majors import base_image, profile_for_session, tuned_image

IMAGE = tuned_image()


@pytest.fixture(scope="module")
def docker() -> Iterator[Any]:
    """A Docker client; missing Docker or image fails in CI and skips elsewhere."""
    try:
        client = docker_client()
        client.images.get(IMAGE)
    except Exception as exc:  # noqa: BLE001
        message = f"needs Docker and {IMAGE}: run `bash scripts/bootstrap.sh` ({exc})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    yield client
    client.close()


@pytest.fixture
def profile(docker: Any) -> Profile:
    return dataclasses.replace(profile_for_session("container"), image=(IMAGE,))


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A host port held open for the duration of the test."""
    with socket.socket() as sock:
        sock.bind(("0.0.0.0", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def container_exists(docker: Any, container_id: str) -> bool:
    from docker.errors import NotFound

    try:
        docker.containers.get(container_id)
    except NotFound:
        return False
    return True


def wait_gone(docker: Any, container_id: str, seconds: float = 20.0) -> bool:
    """Poll until the container is gone (a bounded wait for an event, not a timing claim)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not container_exists(docker, container_id):
            return True
        time.sleep(0.2)
    return False


def test_start_verifies_settings_and_removes_the_container(
    docker: Any, profile: Profile, busy_port: int
) -> None:
    provider = ContainerProvider(dataclasses.replace(profile, host_port=busy_port))
    server = provider.start()
    try:
        assert server.port != busy_port
        assert any(f"port {busy_port} is taken" in note for note in server.notes)
        assert server.settings["fsync"] == "off" and server.settings["jit"] == "off"
        with psycopg.connect(server.url) as conn:
            row = conn.execute("SELECT current_user, current_database()").fetchone()
            assert row == ("dataflow_test", "dataflow_test")
            assert conn.execute("SHOW synchronous_commit").fetchone() == ("off",)
        labels = docker.containers.get(server.container_id).labels
        assert labels[OWNER_LABEL] == OWNER
        assert labels["org.pgtdd.pid"] == str(os.getpid())
    finally:
        provider.stop()
    assert server.container_id is not None
    assert not container_exists(docker, server.container_id)


def test_release_hands_the_removal_to_the_watchdog(docker: Any, profile: Profile) -> None:
    provider = ContainerProvider(dataclasses.replace(profile, host_port=0))
    server = provider.start()
    watchdog = provider._reaper
    assert server.container_id is not None and watchdog is not None
    try:
        provider.release()
        assert provider.container is None and provider._reaper is None
        assert wait_gone(docker, server.container_id)
        assert watchdog.wait(timeout=20) == 0  # it removed the container and ended
    finally:
        if container_exists(docker, server.container_id):
            docker.containers.get(server.container_id).remove(force=True, v=True)


@pytest.mark.parametrize("network", ["bridge", "host"])
def test_either_network_serves_the_tuned_server(
    docker: Any, profile: Profile, network: str
) -> None:
    provider = ContainerProvider(dataclasses.replace(profile, network=network, host_port=0))
    server = provider.start()
    try:
        attrs = docker.containers.get(server.container_id).attrs
        assert (attrs["HostConfig"]["NetworkMode"] == "host") == (network == "host")
        if network == "host":
            assert server.host == "127.0.0.1"
            assert attrs["Config"]["Labels"]["org.pgtdd.port"] == str(server.port)
        with psycopg.connect(server.url) as conn:
            assert conn.execute("SHOW fsync").fetchone() == ("off",)
            assert conn.execute("SHOW port").fetchone() == (
                (str(server.port),) if network == "host" else ("5432",)
            )
    finally:
        provider.stop()
    assert not container_exists(docker, str(server.container_id))


@pytest.mark.parametrize("holder", ["socket", "postgres"])
def test_host_network_port_taken_between_check_and_bind_falls_back(
    docker: Any, profile: Profile, monkeypatch: pytest.MonkeyPatch, holder: str
) -> None:
    """The port is free when checked and taken when PostgreSQL binds it: by a plain socket, or
    by another session's PostgreSQL with the same credentials, which must not be mistaken for
    ours (it answers, and its settings are the same)."""
    import pgtdd.providers.container as module

    host_profile = dataclasses.replace(profile, network="host")
    with contextlib.ExitStack() as stack:
        if holder == "socket":
            sock = stack.enter_context(socket.socket())
            sock.bind(("127.0.0.1", 0))
            sock.listen()
            taken = int(sock.getsockname()[1])
        else:
            other = ContainerProvider(dataclasses.replace(host_profile, host_port=0))
            stack.callback(other.stop)
            taken = other.start().port
        checked: list[int] = []

        def racy_check(port: int) -> bool:  # the check passes, the bind then fails
            checked.append(port)
            return True

        monkeypatch.setattr(module, "port_is_free", racy_check)
        provider = ContainerProvider(dataclasses.replace(host_profile, host_port=taken))
        server = provider.start()
        try:
            assert checked == [taken]
            assert server.port != taken
            assert any(f"port {taken} was taken while starting" in n for n in server.notes)
            with psycopg.connect(server.url) as conn:
                row = conn.execute("SHOW cluster_name").fetchone()
            assert row == (f"pgtdd-{provider.owner.session}",)  # our own server answers
            assert "cluster_name" not in server.settings
        finally:
            provider.stop()
        session = f"org.pgtdd.session={provider.owner.session}"
        assert docker.containers.list(all=True, filters={"label": session}) == []


def test_release_without_a_live_watchdog_removes_the_container_itself(
    docker: Any, profile: Profile
) -> None:
    provider = ContainerProvider(dataclasses.replace(profile, host_port=0))
    server = provider.start()
    watchdog = provider._reaper
    assert watchdog is not None and server.container_id is not None
    watchdog.kill()  # crashed, or could not start
    watchdog.wait(timeout=10)
    provider.release()
    assert not container_exists(docker, server.container_id)


def test_the_reuse_record_depends_on_network_and_settings(
    profile: Profile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pgtdd.providers.records import record_path

    monkeypatch.setenv("PGTDD_STATE_DIR", str(tmp_path))
    paths = {
        record_path(dataclasses.replace(profile, network="host")),
        record_path(dataclasses.replace(profile, network="bridge")),
        record_path(dataclasses.replace(profile, server_settings={"work_mem": "8MB"})),
    }
    assert len(paths) == 3 and all(path.parent == tmp_path for path in paths)


def test_a_setting_that_did_not_take_effect_is_named(pgtdd_server: ServerInfo) -> None:
    wanted = {"fsync": "off", "work_mem": "77MB"}  # the session server runs with 4MB
    with pytest.raises(SettingsNotAppliedError, match=r"work_mem = '4MB' \(profile says '77MB'\)"):
        verify_settings(pgtdd_server, wanted)
    assert verify_settings(pgtdd_server, {"fsync": "false"})["fsync"] == "off"


def test_reuse_keeps_one_container_keyed_by_settings(
    docker: Any, profile: Profile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGTDD_STATE_DIR", str(tmp_path))  # not the user's ~/.cache
    reusable = dataclasses.replace(profile, reuse=True, host_port=0)
    first = ContainerProvider(reusable)
    second = ContainerProvider(reusable)
    server = first.start()
    try:
        first.stop()
        assert server.container_id and container_exists(docker, server.container_id)
        again = second.start()
        assert again.container_id == server.container_id
        assert any("reused" in note for note in again.notes)
        changed = dataclasses.replace(
            reusable, server_settings={**reusable.server_settings, "work_mem": "8MB"}
        )
        other = ContainerProvider(changed).start()
        assert other.container_id != server.container_id
        docker.containers.get(other.container_id).remove(force=True, v=True)
    finally:
        docker.containers.get(server.container_id).remove(force=True, v=True)


REUSE_CHILD = """
import json, sys
from pgtdd.providers.base import make_provider
from pgtdd.config.settings import resolve_settings
provider = make_provider(resolve_settings(cli_profile="container", cli_reuse=True, cli_port=0,
                                          cli_image=sys.argv[1]).profile)
server = provider.start()
provider.stop()
print(json.dumps({"id": server.container_id, "notes": list(server.notes), "url": server.url,
                  "docker_imported": "docker" in sys.modules}))
"""


def start_reused(state: Path, image: str = IMAGE) -> dict[str, Any]:
    """Start the reusable container in a new process; what it found and whether docker-py
    was imported for it."""
    env = {**os.environ, "PGTDD_STATE_DIR": str(state), "CI": ""}
    env.pop("PGTDD_PROFILE", None)
    out = subprocess.run(
        [sys.executable, "-c", REUSE_CHILD, image],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_reuse_fast_path_needs_no_docker_py_and_never_uses_a_stale_container(
    docker: Any, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    started: list[str] = []
    try:
        first = start_reused(state)
        started.append(first["id"])
        assert first["docker_imported"]  # no record yet: the full path
        assert list(state.glob("*.json"))
        again = start_reused(state)
        assert again["id"] == first["id"] and not again["docker_imported"]
        assert f"reused container {first['id'][:12]}" in again["notes"]
        with psycopg.connect(again["url"]) as conn:
            assert conn.execute("SHOW fsync").fetchone() == ("off",)
        # The container goes away (pgtdd down, a reboot): the record is not trusted.
        docker.containers.get(first["id"]).remove(force=True, v=True)
        after = start_reused(state)
        started.append(after["id"])
        assert after["id"] != first["id"] and after["docker_imported"]
        # A record that names another container under the same key is not trusted either.
        record = next(state.glob("*.json"))
        data = json.loads(record.read_text())
        record.write_text(json.dumps({**data, "container_id": "0" * 64}))
        checked = start_reused(state)
        assert checked["id"] == after["id"] and checked["docker_imported"]
    finally:
        for container_id in started:
            with contextlib.suppress(Exception):
                docker.containers.get(container_id).remove(force=True, v=True)


def test_a_rebuilt_image_is_never_served_by_the_old_reused_container(
    docker: Any, tmp_path: Path
) -> None:
    state, tag = tmp_path / "state", f"pgtdd/reuse-test:{os.getpid()}"
    docker.images.get(IMAGE).tag(tag)
    started: list[str] = []
    try:
        first = start_reused(state, image=tag)
        started.append(first["id"])
        docker.images.get(base_image()).tag(tag)  # "rebuilt": same tag, new id
        rebuilt = start_reused(state, image=tag)
        started.append(rebuilt["id"])
        assert rebuilt["id"] != first["id"] and rebuilt["docker_imported"]
    finally:
        for container_id in started:
            with contextlib.suppress(Exception):
                docker.containers.get(container_id).remove(force=True, v=True)
        docker.images.remove(tag)


def test_sweep_removes_containers_of_dead_owners_only(docker: Any) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    dead_owner = dataclasses.replace(Owner.current(), pid=dead.pid)
    live_owner = Owner.current()

    def run(owner: Owner, extra: dict[str, str] | None = None) -> Any:
        labels = {**owner.labels("test"), **(extra or {})}
        return docker.containers.run(
            IMAGE, ["sleep", "60"], entrypoint=[], labels=labels, detach=True
        )

    orphan, alive, reused = run(dead_owner), run(live_owner), run(dead_owner, {REUSE_LABEL: "k"})
    try:
        removed = sweep_orphans(docker)
        assert orphan.short_id in removed
        assert not container_exists(docker, orphan.id)
        assert container_exists(docker, alive.id)
        assert container_exists(docker, reused.id)
    finally:
        for container in (orphan, alive, reused):
            if container_exists(docker, container.id):
                container.remove(force=True)


def test_sweep_is_not_upset_by_containers_removed_while_it_runs(docker: Any) -> None:
    """Another session's watchdog may remove its container between the sweep's list and inspect."""
    labels = {**Owner.current().labels("test"), "org.pgtdd.test": "sweep-race"}
    created = [
        docker.containers.create(IMAGE, ["true"], entrypoint=[], labels=labels) for _ in range(25)
    ]

    def remove_all() -> None:
        for container in created:
            container.remove(force=True)

    remover = threading.Thread(target=remove_all)
    remover.start()
    swept: list[str] = []
    try:
        while remover.is_alive() or not swept:
            swept += sweep_orphans(docker) or ["(none)"]
    finally:
        remover.join()
        for container in docker.containers.list(
            all=True, filters={"label": "org.pgtdd.test=sweep-race"}, ignore_removed=True
        ):
            container.remove(force=True)
    ours = {c.short_id for c in created}
    assert not ours & set(swept), "the sweep removed containers of a live owner"


INNER_TEST = """
import time
def test_hold(pgtdd_server):
    print("CONTAINER", pgtdd_server.container_id, flush=True)
    time.sleep(120)
"""


def start_inner_pytest(tmp_path: Path) -> tuple[subprocess.Popen[str], str]:
    """A pytest process whose test prints its container id and then waits."""
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(INNER_TEST))
    env = {**os.environ, "PGTDD_PROFILE": "container", "PGTDD_IMAGE": IMAGE, "PGTDD_PORT": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-s", "-q", "-p", "no:cacheprovider", "test_inner.py"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("CONTAINER"):
            return proc, line.split()[1]
    proc.wait()
    raise AssertionError("inner pytest ended without starting a container")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_interrupted_or_killed_pytest_leaves_no_container(
    docker: Any, tmp_path: Path, sig: signal.Signals
) -> None:
    proc, container_id = start_inner_pytest(tmp_path)
    assert container_exists(docker, container_id)
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    assert wait_gone(docker, container_id), f"container left running after {sig.name}"


PREFETCH_CONFTEST = """
import json, os
import pytest
from pgtdd.fixtures.plugin import MANAGER_KEY

@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    manager = config.stash[MANAGER_KEY]
    manager._wait_prefetch()  # found before the end of collection, or not at all
    janitor = manager.janitor
    seen = {
        "prefetching": manager.server is not None,
        # the connection that checked the reused server goes on as the janitor's
        "handed_over": janitor is not None and janitor.maintenance_db == manager.server.database
        and janitor._conn is not None,
    }
    with open(os.environ["PREFETCH_REPORT"], "w") as report:
        json.dump(seen, report)
"""
DB_TEST = "def test_db(pgtdd_server):\n    assert pgtdd_server.port\n"
PLAIN_TEST = "def test_plain():\n    assert True\n"


def run_project(folder: Path, body: str, state: Path) -> tuple[str, dict[str, bool]]:
    """Run a one-test project with reuse on; its output and whether the server was found
    before the end of collection."""
    folder.mkdir()
    (folder / "conftest.py").write_text(PREFETCH_CONFTEST)
    (folder / "test_one.py").write_text(body)
    report = folder / "report.json"
    env = {**os.environ, "PGTDD_STATE_DIR": str(state), "PGTDD_REUSE": "1", "CI": ""}
    env["PREFETCH_REPORT"] = str(report)
    env.pop("PGTDD_PROFILE", None)
    env.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--db-image",
            IMAGE,
            "--db-port",
            "0",
            str(folder),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout, dict(json.loads(report.read_text()))


def test_a_reused_server_is_looked_for_while_pytest_collects(docker: Any, tmp_path: Path) -> None:
    state = tmp_path / "state"
    before = {c.id for c in docker.containers.list(all=True, filters={"label": REUSE_LABEL})}
    try:
        out, seen = run_project(tmp_path / "first", DB_TEST, state)
        assert not seen["prefetching"]  # nothing recorded yet: the first need starts it
        assert "pgtdd: PostgreSQL" in out
        out, seen = run_project(tmp_path / "second", DB_TEST, state)
        assert seen == {"prefetching": True, "handed_over": True}
        assert "pgtdd: PostgreSQL" in out and "reused container" in out
        # found in advance, but no selected test needs it: not a word about the server
        out, seen = run_project(tmp_path / "third", PLAIN_TEST, state)
        assert seen["prefetching"] and "pgtdd: PostgreSQL" not in out and "1 passed" in out
    finally:
        for container in docker.containers.list(all=True, filters={"label": REUSE_LABEL}):
            if container.id not in before:
                container.remove(force=True, v=True)
