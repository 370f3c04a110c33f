"""The tuned image pgtdd/postgres:15 keeps the official postgres image's contract.

Real Docker: every test starts a container of the built image (tmpfs on PGDATA, a published
port on 127.0.0.1) and removes it afterwards. Without a Docker engine or the image these tests
fail when CI is set and skip otherwise; `bash scripts/bootstrap.sh` provides both.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgtdd.providers.engine import engine_problem
from pgtdd.providers.image import (
    DEFAULT_TAG,
    DebianMirrors,
    docker_client,
    host_debian_mirrors,
    image_labels,
)

PGDATA = "/var/lib/postgresql/data"
SEED = {"user": "dataflow_test", "password": "dataflow_test_password", "dbname": "dataflow_test"}
READY_TIMEOUT_S = 60.0


def _unavailable(reason: str) -> None:
    hint = "bash scripts/bootstrap.sh"
    message = reason if hint in reason else f"{reason}; run `{hint}` (it builds the image)"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def engine() -> Iterator[Any]:
    """A client for the local engine, with the tuned image present."""
    problem = engine_problem()
    if problem is not None:
        _unavailable(problem)
    client = docker_client()
    if image_labels(DEFAULT_TAG, client) is None:
        client.close()
        _unavailable(f"the image {DEFAULT_TAG} is not built")
    yield client
    client.close()


@dataclass
class Started:
    """A running container of the image and where to reach it."""

    container: Any
    host: str
    port: int

    def logs(self) -> str:
        raw: bytes = self.container.logs()
        return raw.decode(errors="replace")

    def connect(self, *, user: str, password: str, dbname: str) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            connect_timeout=5,
            autocommit=True,
            user=user,
            password=password,
            dbname=dbname,
        )


@contextmanager
def started(
    client: Any, creds: dict[str, str], command: list[str] | None = None, **env: str
) -> Iterator[Started]:
    """Run the image with the credentials, wait until SELECT 1 works, always remove it."""
    container = client.containers.run(
        DEFAULT_TAG,
        command,
        detach=True,
        tmpfs={PGDATA: "rw"},
        ports={"5432/tcp": ("127.0.0.1", None)},
        environment={
            "POSTGRES_USER": creds["user"],
            "POSTGRES_PASSWORD": creds["password"],
            "POSTGRES_DB": creds["dbname"],
            **env,
        },
    )
    try:
        container.reload()
        port = int(container.attrs["NetworkSettings"]["Ports"]["5432/tcp"][0]["HostPort"])
        running = Started(container, "127.0.0.1", port)
        _wait_ready(running, creds)
        yield running
    finally:
        container.remove(force=True, v=True)


def _wait_ready(running: Started, creds: dict[str, str]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        try:
            with running.connect(**creds) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError as exc:
            running.container.reload()
            if running.container.status == "exited" or time.monotonic() > deadline:
                pytest.fail(f"container not ready ({exc}); logs:\n{running.logs()[-3000:]}")
            time.sleep(0.05)


def _start_path(logs: str) -> str:
    lines = [ln for ln in logs.splitlines() if ln.startswith("pgtdd-entrypoint: start path:")]
    assert len(lines) == 1, logs
    return lines[0].split("start path:", 1)[1].split()[0]


def _rejected(running: Started, **creds: str) -> bool:
    try:
        running.connect(**creds).close()
    except psycopg.OperationalError as exc:
        return "password authentication failed" in str(exc)
    return False


def test_labels_mark_a_preinitialised_pg15_image(engine: Any) -> None:
    labels = image_labels(DEFAULT_TAG, engine)
    assert labels is not None
    assert labels["org.pgtdd.preinitialized"] == "true"
    assert labels["org.pgtdd.pg_major"] == "15"


def test_seed_credentials_take_the_fast_path_with_tuned_settings(engine: Any) -> None:
    with started(engine, SEED) as pg, pg.connect(**SEED) as conn:
        assert _start_path(pg.logs()) == "fast"
        row = conn.execute(
            "SELECT current_user, current_database(), "
            "current_setting('server_version_num')::int / 10000"
        ).fetchone()
        assert row == ("dataflow_test", "dataflow_test", 15)
        settings = {
            name: conn.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
            for name in ("fsync", "synchronous_commit", "full_page_writes", "jit")
        }
        assert settings == dict.fromkeys(settings, "off")
        assert _rejected(pg, **{**SEED, "password": "not-the-password"})


def test_other_credentials_are_honoured_and_the_seed_password_is_not(engine: Any) -> None:
    creds = {"user": "app owner", "password": "s3cret'pw", "dbname": "app-db"}
    with started(engine, creds) as pg, pg.connect(**creds) as conn:
        assert _start_path(pg.logs()) == "adapted"
        assert conn.execute("SELECT current_user, current_database()").fetchone() == (
            "app owner",
            "app-db",
        )
        is_bootstrap_superuser = conn.execute(
            "SELECT oid = 10 AND rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert is_bootstrap_superuser == (True,)
        roles = conn.execute("SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_'").fetchall()
        assert roles == [("app owner",)]
        databases = conn.execute("SELECT datname FROM pg_database ORDER BY 1").fetchall()
        assert databases == [("app-db",), ("postgres",), ("template0",), ("template1",)]
        assert _rejected(pg, **{**creds, "password": "wrong"})
        assert _rejected(pg, **{**creds, "password": SEED["password"]})
        assert "s3cret'pw" not in pg.logs()


def test_dash_c_arguments_reach_the_server(engine: Any) -> None:
    command = ["-c", "work_mem=7MB", "-c", "max_connections=42"]
    with started(engine, SEED, command) as pg, pg.connect(**SEED) as conn:
        assert conn.execute("SHOW work_mem").fetchone() == ("7MB",)
        assert conn.execute("SHOW max_connections").fetchone() == ("42",)


def test_another_locale_runs_initdb_at_start(engine: Any) -> None:
    creds = {"user": "postgres", "password": "pw", "dbname": "postgres"}
    with started(engine, creds, LANG="C") as pg, pg.connect(**creds) as conn:
        assert _start_path(pg.logs()) == "initdb"
        assert conn.execute("SHOW lc_collate").fetchone() == ("C",)
        assert conn.execute("SHOW fsync").fetchone() == ("off",)
        assert _rejected(pg, **{**creds, "password": "wrong"})


def test_other_commands_run_as_given(engine: Any) -> None:
    out: bytes = engine.containers.run(DEFAULT_TAG, ["postgres", "--version"], remove=True)
    assert out.decode().startswith("postgres (PostgreSQL) 15.")
    out = engine.containers.run(DEFAULT_TAG, ["id", "-un"], remove=True)
    assert out.decode().strip() == "root"


def test_host_apt_sources_give_the_debian_mirrors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGTDD_DEBIAN_MIRROR", raising=False)
    monkeypatch.delenv("PGTDD_DEBIAN_SECURITY_MIRROR", raising=False)
    parts = tmp_path / "sources.list.d"
    parts.mkdir()
    (parts / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n"
        "Components: main\n\n"
        "Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n"
        "Components: main\n"
    )
    (parts / "vendor.list").write_text("deb [arch=amd64] https://vendor.example/apt nodistro main")
    (parts / "old.list.disabled").write_text("deb http://wrong.example/debian bookworm main\n")
    assert host_debian_mirrors(tmp_path) == DebianMirrors(
        archive="http://mirror.example/debian", security="http://mirror.example/debian-security"
    )
    monkeypatch.setenv("PGTDD_DEBIAN_MIRROR", "http://override.example/debian")
    assert host_debian_mirrors(tmp_path).archive == "http://override.example/debian"
