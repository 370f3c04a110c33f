"""Reusable containers: their key, and finding the running one without docker-py.

With ``reuse: true`` a session's whole start should cost less than importing docker-py and
testcontainers (~0.2 s) plus the ~15 engine calls the full path makes. So every reusable
container the full path (:class:`~pgtdd.providers.container.ContainerProvider`) starts or
finds is recorded in a small file, keyed by the profile; the next session reads that record,
asks the engine two questions over its UNIX socket (the image's id, from which the reuse key is
computed again, so a rebuilt image or changed settings never reuse the old container; and the
container's state), then connects. Anything unexpected (no record, another engine address, a
missing or stopped container, a key that changed, a server that does not answer) falls back
to the full path, which also sweeps the containers of dead sessions.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import math
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import psycopg

from pgtdd.config.profile import Profile
from pgtdd.providers.engine import engine_get, engine_socket
from pgtdd.providers.ownership import PORT_LABEL, REUSE_LABEL
from pgtdd.providers.readiness import (
    ServerStartError,
    SettingsNotAppliedError,
    read_version_and_settings,
    verify_settings,
)
from pgtdd.providers.records import (
    record_path,
    server_material,
    state_dir,
    write_record,
)
from pgtdd.serverinfo import ServerInfo

PG_PORT = 5432
LOOPBACK = "127.0.0.1"
IDENTITY_SETTING = "cluster_name"
__all__ = ["LOOPBACK", "PORT_LABEL"]  # re-exported for the container provider


def reuse_key(image_id: str, profile: Profile, network: str) -> str:
    """Hash of everything that makes a reusable container what it is."""
    material = json.dumps([image_id, network, *server_material(profile)], sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()[:12]


def identity_args(profile: Profile, identity: str) -> list[str]:
    """``-c cluster_name=...`` naming the server, unless the profile sets cluster_name itself."""
    return (
        []
        if IDENTITY_SETTING in profile.server_settings
        else ["-c", f"{IDENTITY_SETTING}={identity}"]
    )


def expected_settings(profile: Profile, identity: str | None) -> dict[str, str]:
    """The profile's server settings, and the server's name when ``identity`` is checked."""
    expected = dict(profile.server_settings)
    if identity is not None and IDENTITY_SETTING not in expected:
        expected[IDENTITY_SETTING] = str(identity)
    return expected


def verify_identity_and_settings(
    server: ServerInfo,
    profile: Profile,
    identity: str | None,
    actual: dict[str, str] | None = None,
) -> dict[str, str]:
    """The profile's settings checked with ``SHOW`` (or in ``actual``, read already), and,
    when ``identity`` is given, that the server answering is ours (on the host network another
    may own the port): a stranger raises :class:`ServerStartError` saying the port is in use."""
    expected = expected_settings(profile, identity)
    check = identity is not None and IDENTITY_SETTING not in profile.server_settings
    try:
        settings = verify_settings(server, expected, actual=actual)
    except SettingsNotAppliedError as exc:
        if check and f"{IDENTITY_SETTING} =" in str(exc):
            raise ServerStartError(
                f"another server answers on port {server.port} (Address already in use for "
                f"ours: {exc})"
            ) from exc
        raise
    if check:
        settings.pop(IDENTITY_SETTING, None)
    return settings


def container_name(key: str) -> str:
    """The name of the reusable container for ``key`` (one per key on an engine)."""
    return f"pgtdd-reuse-{key}"


def save_record(profile: Profile, server: ServerInfo, key: str, network: str) -> None:
    """Remember the reusable container the full path started or found (best effort)."""
    record = {
        "key": key,
        "network": network,
        "container_id": server.container_id,
        "host": server.host,
        "port": server.port,
        "image": server.image,
    }
    with contextlib.suppress(OSError):  # best effort: the full path works without it
        write_record(record_path(profile), record)


def find_reused(
    profile: Profile,
) -> tuple[ServerInfo, psycopg.Connection[tuple[Any, ...]]] | None:
    """The profile's running reusable container, found cheaply, and the open connection
    (autocommit, to the profile's database) that checked it; ``None``: use the full path."""
    sock = engine_socket()
    if not profile.reuse or sock is None:
        return None
    try:
        record = json.loads(record_path(profile).read_text())
        server = _inspect(sock, profile, record)
    except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException):
        return None
    if server is None:
        return None
    identity = container_name(record["key"]) if record["network"] == "host" else None
    names = list(expected_settings(profile, identity))
    timeout = max(2, math.ceil(profile.timeouts.connect))  # libpq: whole seconds, at least 2
    conn = None
    try:
        # The engine says it runs: one connection, one query, no retry (a server that does
        # not answer at once is the full path's to wait for, and to explain).
        conn = psycopg.connect(server.url, connect_timeout=timeout, autocommit=True)
        version, number, actual = read_version_and_settings(conn, names)
        if profile.version is not None and number // 10000 != profile.version:
            conn.close()
            return None  # the full path says what is wrong
        settings = verify_identity_and_settings(server, profile, identity, actual)
    except (ServerStartError, psycopg.Error, OSError):
        if conn is not None:
            conn.close()
        return None
    spawn_sweeper()
    notes = (f"reused container {record['container_id'][:12]}",)
    found = replace(server, version=version, version_num=number, settings=settings, notes=notes)
    return found, conn


def _inspect(sock: str, profile: Profile, record: dict[str, Any]) -> ServerInfo | None:
    image, image_id = _first_present_image(sock, profile.image)
    if image_id is None:
        return None
    key = reuse_key(image_id, profile, record["network"])
    if key != record["key"]:
        return None  # the image was rebuilt or retagged: the full path makes a new container
    status, info = engine_get(sock, f"/containers/{container_name(key)}/json")
    if status != http.client.OK or not info["State"]["Running"]:
        return None
    labels = info["Config"]["Labels"]
    if info["Id"] != record["container_id"] or labels.get(REUSE_LABEL) != key:
        return None
    if info["HostConfig"].get("NetworkMode") == "host":
        published = {labels.get(PORT_LABEL)}
    else:
        published = {
            b.get("HostPort") for b in info["NetworkSettings"]["Ports"].get(f"{PG_PORT}/tcp") or []
        }
    if str(record["port"]) not in published:
        return None
    return ServerInfo(
        host=record["host"],
        port=int(record["port"]),
        user=profile.user,
        password=profile.password,
        database=profile.database,
        provider="container",
        profile=profile.name,
        image=image,
        container_id=info["Id"],
    )


def _first_present_image(sock: str, candidates: tuple[str, ...]) -> tuple[str, str | None]:
    for name in candidates:
        status, info = engine_get(sock, f"/images/{quote(name, safe='')}/json")
        if status == http.client.OK:
            return name, str(info["Id"])
    return "", None


class ReuseFirstProvider:
    """The container provider for ``reuse: true``: the recorded container when it is still
    right (no docker-py import at all), else the full path that ``full_path`` makes (the
    :class:`~pgtdd.providers.container.ContainerProvider`, imported only then)."""

    name = "container"

    def __init__(self, profile: Profile, full_path: Callable[[Profile], Any]) -> None:
        self.profile = profile
        self._full_path = full_path
        self.full: Any = None
        self._connection: psycopg.Connection[tuple[Any, ...]] | None = None

    def start(self) -> ServerInfo:
        """The reused server, found cheaply when possible."""
        found = self.find_running()
        if found is not None:
            return found
        self.full = self._full_path(self.profile)
        return self.full.start()  # type: ignore[no-any-return]

    def find_running(self) -> ServerInfo | None:
        """The recorded reusable container, when it runs and is still right (no docker-py)."""
        found = find_reused(self.profile)
        if found is None:
            return None
        server, self._connection = found
        return server

    def take_connection(self) -> psycopg.Connection[tuple[Any, ...]] | None:
        """The connection that checked the reused server (once; the caller closes it)."""
        connection, self._connection = self._connection, None
        return connection

    def release(self) -> None:
        """The same as :meth:`stop`."""
        self.stop()

    def stop(self) -> None:
        """A reused container stays up; the full path releases what it holds."""
        connection = self.take_connection()
        if connection is not None:
            connection.close()
        if self.full is not None:
            self.full.stop()
            self.full = None


# A detached sweep starts a Python process (docker-py and all: ~0.3 s of CPU, on a core the
# test run needs): one a minute is enough for the containers of sessions that died.
SWEEP_INTERVAL_S = 60.0


def spawn_sweeper() -> None:
    """Sweep dead sessions' containers in a detached process (the full path does it inline),
    at most once per ``SWEEP_INTERVAL_S`` (a stamp file in the state folder).

    ``sh`` starts it in the background and exits at once, so the sweeper is nobody's child here:
    nothing to wait for, no zombie, no warning about a still-running subprocess.
    """
    stamp = state_dir() / "last-sweep"
    try:
        if time.time() - stamp.stat().st_mtime < SWEEP_INTERVAL_S:
            return
    except OSError:
        pass  # never swept here yet
    with contextlib.suppress(OSError):
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    command = f"{shlex.quote(sys.executable)} -m pgtdd.providers.ownership >/dev/null 2>&1 &"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            ["sh", "-c", command],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            check=False,
            timeout=5,
        )
