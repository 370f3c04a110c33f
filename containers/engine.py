"""The Docker engine: one way to reach it, with docker-py or (cheaply) over its UNIX socket.

Every part of pgtdd that talks to the engine (the container provider, the orphan sweep, the
image build, ``pgtdd status|down``, doctor) gets its client from :func:`docker_client`, so a
missing engine is reported the same way everywhere. The reuse fast path asks its two questions
with :func:`engine_get` instead, which needs no docker-py import.
"""

from __future__ import annotations

import gc
import http.client
import json
import os
import socket
import warnings
from typing import Any
from urllib.parse import urlsplit

DEFAULT_SOCKET = "/var/run/docker.sock"
SOCKET_TIMEOUT = 2.0
WAYS_OUT = (
    "start Docker (e.g. `dockerd &` or `systemctl start docker`; `bash scripts/bootstrap.sh` "
    "in a pgtdd checkout installs and starts it); or use a server of your own with "
    "`--db-profile local` (TEST_DATABASE_URL); or local PostgreSQL binaries with "
    "`--db-profile native`"
)


class DockerUnavailableError(RuntimeError):
    """No Docker engine answers; ``cause`` is what the client said."""

    def __init__(self, cause: str) -> None:
        super().__init__(f"Docker is not reachable ({cause}). Ways out: {WAYS_OUT}.")
        self.cause = cause


def docker_client(timeout: float = 5.0) -> Any:
    """A ``docker.DockerClient`` for a reachable engine (pinged), or DockerUnavailableError.

    docker-py leaves the socket of a failed connection open; it is collected here with its
    ResourceWarning silenced, so that callers under ``-W error`` see only the real error.
    """
    import docker
    import requests

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        client = None
        try:
            client = docker.from_env(timeout=timeout)
            client.ping()
            return client
        except (docker.errors.DockerException, requests.RequestException) as exc:
            cause = str(exc)
            if client is not None:
                client.close()
        gc.collect()
    raise DockerUnavailableError(cause)


def engine_problem(timeout: float = 10.0) -> str | None:
    """None when a Docker engine answers, else why not and how to fix it."""
    try:
        docker_client(timeout=timeout).close()
    except DockerUnavailableError as exc:
        return str(exc)
    return None


def engine_address() -> str:
    """``DOCKER_HOST``, or the default UNIX socket."""
    return os.environ.get("DOCKER_HOST") or f"unix://{DEFAULT_SOCKET}"


def engine_socket() -> str | None:
    """The engine's UNIX socket path, or ``None`` when it is reached some other way."""
    address = urlsplit(engine_address())
    if address.scheme != "unix":
        return None
    return address.path or None


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=SOCKET_TIMEOUT)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(SOCKET_TIMEOUT)
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def engine_get(path: str, url: str) -> tuple[int, Any]:
    """``GET url`` from the engine at socket ``path``: status and decoded JSON body."""
    connection = _UnixConnection(path)
    try:
        connection.request("GET", url)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, json.loads(body) if body else None
