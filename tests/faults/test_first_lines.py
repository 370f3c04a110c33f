"""Every provisioning error's first line is the real cause.

A bad server setting: the server's FATAL line, detected at once (not after retry.deadline).
A missing image: the engine's whole reason. A port where something other than PostgreSQL
answers: said so, instead of "connection timeout expired" after the retries.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pgtdd.config.settings import resolve_settings
from pgtdd.providers.base import make_provider
from pgtdd.providers.container import ImageUnavailableError, choose_image
from pgtdd.providers.readiness import ServerStartError
from tests.faults.conftest import IMAGE, owned_containers


def start_error(profile: Path, environ: dict[str, str] | None = None) -> tuple[str, float, Any]:
    settings = resolve_settings(cli_profile=str(profile), environ=environ or {})
    provider = make_provider(settings.profile)
    started = time.monotonic()
    try:
        with pytest.raises(ServerStartError) as info:
            provider.start()
    finally:
        provider.stop()
    return str(info.value), time.monotonic() - started, settings.profile


def test_a_bad_server_setting_is_the_first_line(docker_engine: Any, tmp_path: Path) -> None:
    profile = tmp_path / "banana.yaml"
    profile.write_text(
        f"extends: container\nimage: {IMAGE}\nhost_port: 0\n"
        "server_settings:\n  shared_buffers: banana\n"
    )
    message, seconds, loaded = start_error(profile)
    first = message.splitlines()[0]
    fatal = 'FATAL:  invalid value for parameter "shared_buffers": "banana"'
    assert first == f"PostgreSQL exited at start: {fatal}", message
    assert "retried transient faults" not in message
    print(f"bad setting to the error: {seconds:.2f} s (retry.deadline {loaded.retry.deadline:g} s)")
    assert seconds < loaded.retry.deadline
    left = [
        c
        for c in owned_containers(docker_engine, pid=os.getpid())
        if c.labels.get("org.pgtdd.profile") == "banana"
    ]
    assert not left, f"containers left: {[c.short_id for c in left]}"


def test_a_missing_image_gives_the_engines_whole_reason(docker_engine: Any) -> None:
    with pytest.raises(ImageUnavailableError) as info:
        choose_image(docker_engine, ("pgtdd-fault/no-such-image:1",))
    message = str(info.value)
    reason = message.split("pgtdd-fault/no-such-image:1: ", 1)[1].split(". Build the tuned")[0]
    assert len(reason) > 20 and not reason.endswith(('":', ":")), message
    assert "pgtdd image build" in message


@pytest.fixture(params=["silent", "http"])
def not_postgres(request: pytest.FixtureRequest) -> Iterator[int]:
    """A port where something other than PostgreSQL listens (silent, or answering HTTP)."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            if request.param == "http":
                conn.recv(64)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
                conn.close()
            else:
                held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stop.set()
        thread.join(5)
        for conn in held:
            conn.close()
        server.close()


def test_something_other_than_postgresql_on_the_port_is_named(
    not_postgres: int, tmp_path: Path
) -> None:
    url = f"postgresql://u:secret@127.0.0.1:{not_postgres}/app_test"
    profile = tmp_path / "mine.yaml"
    profile.write_text("extends: local\n")
    message, seconds, loaded = start_error(profile, {"TEST_DATABASE_URL": url})
    first = message.splitlines()[0]
    assert re.match(
        rf"something other than PostgreSQL(, or a stalled server,)? answers on 127.0.0.1:"
        rf"{not_postgres} \(it (answered b'HTTP|accepted the connection but sent nothing)",
        first,
    ), first
    assert "secret" not in message
    # A silent listener may be a stalled PostgreSQL: retried until retry.deadline, then named;
    # a wrong answer is final at once (one connection attempt).
    bound = loaded.retry.deadline + loaded.timeouts.connect + 3
    print(f"not PostgreSQL to the error: {seconds:.2f} s (bound {bound:g} s)")
    assert seconds < bound
