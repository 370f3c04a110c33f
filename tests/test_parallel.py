"""Parallel runs: schema templates, per-run clones, xdist workers, concurrent sessions."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgtdd.databases.janitor import DatabaseJanitor
from pgtdd.databases.session_db import RUN_PREFIX, RunIdentity, SessionDatabases, template_key
from pgtdd.providers.engine import docker_client
from pgtdd.providers.ownership import HOST_LABEL, PID_LABEL, STARTED_LABEL
from pgtdd.serverinfo import ServerInfo
from tests.majors import tuned_image
from tests.test_container_provider import wait_gone

IMAGE = tuned_image()


def tables(server: ServerInfo) -> set[str]:
    with psycopg.connect(server.url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {str(r[0]) for r in rows}


def test_template_is_built_once_and_rebuilt_when_a_schema_file_changes(
    pgtdd_server: ServerInfo, tmp_path: Path
) -> None:
    schema = tmp_path / "001_schema.sql"
    schema.write_text("CREATE TABLE first_version (id int);")
    janitor = DatabaseJanitor(pgtdd_server)
    runs: list[SessionDatabases] = []
    try:
        one = SessionDatabases(pgtdd_server, RunIdentity("t1aaaaaa", "main"), [schema])
        runs.append(one)
        assert tables(one.prepare()) == {"first_version"}
        two = SessionDatabases(pgtdd_server, RunIdentity("t1bbbbbb", "main"), [schema])
        runs.append(two)
        two.prepare()
        assert two.template == one.template  # same key: the template is reused, not rebuilt

        schema.write_text("CREATE TABLE second_version (id int);")
        three = SessionDatabases(pgtdd_server, RunIdentity("t1cccccc", "main"), [schema])
        runs.append(three)
        assert tables(three.prepare()) == {"second_version"}  # never the stale template
        assert three.template != one.template
        assert three.template == f"pgtdd_tpl_{template_key([schema], pgtdd_server)}"
    finally:
        for run in runs:
            run.cleanup()
        for run in runs:
            if run.template:
                janitor.drop(run.template)
        janitor.close()


def test_a_failing_schema_leaves_no_half_built_template(
    pgtdd_server: ServerInfo, tmp_path: Path
) -> None:
    schema = tmp_path / "bad.sql"
    schema.write_text("CREATE TABLE ok_table (id int); CREATE TABLE broken (id nosuchtype);")
    run = SessionDatabases(pgtdd_server, RunIdentity("t2aaaaaa", "main"), [schema])
    with pytest.raises(RuntimeError, match=r"bad.sql failed: .*nosuchtype"):
        run.prepare()
    run.cleanup()
    with DatabaseJanitor(pgtdd_server) as janitor:
        assert not janitor.exists(f"pgtdd_tpl_{template_key([schema], pgtdd_server)}")
        assert not [name for name in janitor.list("pgtdd_tpl_") if "_build_" in name]


def test_sweep_drops_databases_of_dead_runs_only(pgtdd_server: ServerInfo) -> None:
    janitor = DatabaseJanitor(pgtdd_server)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mine = json.loads(RunIdentity.owner_comment())
    owners = {
        f"{RUN_PREFIX}deadbeef_main": {**mine, PID_LABEL: str(dead.pid)},
        f"{RUN_PREFIX}a11ve000_main": mine,
        f"{RUN_PREFIX}0the4h0s_main": {**mine, HOST_LABEL: "another-host", STARTED_LABEL: "1"},
    }
    with psycopg.connect(pgtdd_server.url_for("postgres"), autocommit=True) as conn:
        for name, owner in owners.items():
            janitor.create(name)
            conn.execute(f"COMMENT ON DATABASE {name} IS '{json.dumps(owner)}'")
    try:
        run = SessionDatabases(pgtdd_server, RunIdentity("sweeper0", "main"), [])
        dropped = run.sweep_dead_runs()
        run.cleanup()
        assert f"{RUN_PREFIX}deadbeef_main" in dropped
        assert janitor.exists(f"{RUN_PREFIX}a11ve000_main")
        assert janitor.exists(f"{RUN_PREFIX}0the4h0s_main")
    finally:
        for name in owners:
            janitor.drop(name)
        janitor.close()


WORKER_SUITE = """
import os, psycopg, pytest

@pytest.mark.parametrize("n", range({count}))
def test_write_and_see_only_mine(pgtdd_server, n):
    me = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with psycopg.connect(pgtdd_server.url, autocommit=True) as conn:
        conn.execute("INSERT INTO shared_name (worker) VALUES (%s)", (me,))
        others = conn.execute(
            "SELECT count(*) FROM shared_name WHERE worker <> %s", (me,)).fetchone()[0]
        print("SERVER", pgtdd_server.container_id, pgtdd_server.database, flush=True)
    assert others == 0
"""


def docker_or_fail() -> Any:
    try:
        client = docker_client()
        client.images.get(IMAGE)
    except Exception as exc:  # noqa: BLE001 - any reason means: no Docker tests here
        message = f"needs Docker and {IMAGE}: run `bash scripts/bootstrap.sh` ({exc})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return client


@pytest.fixture
def client() -> Iterator[Any]:
    """A Docker client with the image present, closed after the test."""
    engine = docker_or_fail()
    yield engine
    engine.close()


def write_suite(path: Path, count: int) -> None:
    (path / "schema.sql").write_text("CREATE TABLE shared_name (id serial, worker text);")
    (path / "pytest.ini").write_text("[pytest]\npgtdd_schema = schema.sql\n")
    (path / "test_suite.py").write_text(textwrap.dedent(WORKER_SUITE.format(count=count)))


def run_pytest(path: Path, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rP", *args],
        cwd=path,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def servers_seen(output: str) -> set[tuple[str, str]]:
    return {
        (line.split()[1], line.split()[2])
        for line in output.splitlines()
        if line.startswith("SERVER")
    }


def test_xdist_workers_share_one_container_but_not_their_data(
    tmp_path: Path, client: Any
) -> None:
    write_suite(tmp_path, count=8)
    env = {"PGTDD_PROFILE": "container", "PGTDD_PORT": "0", "PGTDD_IMAGE": IMAGE}
    out, _ = run_pytest(tmp_path, "-n", "2", env=env).communicate(timeout=300)
    assert "8 passed" in out, out
    seen = servers_seen(out)
    containers = {container for container, _ in seen}
    databases = {database for _, database in seen}
    assert len(containers) == 1, seen  # one server for the whole run
    assert len(databases) == 2, seen
    assert all(re.search(r"_gw[01]_\d+$", d) for d in databases), seen
    (container_id,) = containers
    # Removed by the watchdog the session handed it to as it exited: a bounded wait.
    assert wait_gone(client, container_id)


@pytest.mark.parametrize("inherited_run_id", [None, "d2e6cc67deadbeef"])
def test_two_concurrent_runs_on_one_reused_server_both_pass(
    tmp_path: Path, inherited_run_id: str | None, client: Any
) -> None:
    """Also when both runs inherit one PYTEST_XDIST_TESTRUNUID (started from inside an xdist
    worker): the run id comes from xdist's worker input only, the clone's name has the pid."""
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        write_suite(tmp_path / name, count=30)
    # A setting of its own, so this test never shares a developer's reusable container.
    profile = tmp_path / "reused.yaml"
    profile.write_text("extends: container\nserver_settings:\n  work_mem: 5MB\n")
    env = {
        "PGTDD_PROFILE": str(profile),
        "PGTDD_PORT": "0",
        "PGTDD_IMAGE": IMAGE,
        "PGTDD_REUSE": "true",
    }
    if inherited_run_id is not None:
        env["PYTEST_XDIST_TESTRUNUID"] = inherited_run_id
    runs: list[subprocess.Popen[str]] = []
    try:
        runs = [run_pytest(tmp_path / name, env=env) for name in ("one", "two")]
        outputs = [proc.communicate(timeout=300)[0] for proc in runs]
        for out in outputs:
            assert "30 passed" in out, out
        seen = [servers_seen(out) for out in outputs]
        assert {c for c, _ in seen[0]} == {c for c, _ in seen[1]}  # the same container
        assert {d for _, d in seen[0]}.isdisjoint({d for _, d in seen[1]})  # own databases
    finally:
        for proc in runs:
            proc.kill()
        for container in client.containers.list(all=True, filters={"name": "pgtdd-reuse-"}):
            if container.attrs["Config"]["Cmd"].count("work_mem=5MB"):
                container.remove(force=True, v=True)
