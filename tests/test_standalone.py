"""The server outside pytest: ``pgtdd.server()``, the unittest helper, ``pgtdd up --env`` and a
later pytest of the same project on that server (issue 15, part 3).

Each test uses a profile of its own (a ``work_mem`` nobody else asks for), so no test shares a
developer's or another test's container.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.majors import session_version, tuned_image
from tests.test_parallel import docker_or_fail


@pytest.fixture
def engine() -> Iterator[Any]:
    client = docker_or_fail()
    yield client
    client.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project of the user's: a pyproject.toml and a profile of its own."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (tmp_path / "own.yaml").write_text(
        f"extends: container\nversion: {session_version()}\nimage: [{tuned_image()}]\n"
        f"host_port: 0\nserver_settings:\n  work_mem: 13MB\n"
    )
    return tmp_path


def env_for(project: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PGTDD_"))}
    env["PGTDD_STATE_DIR"] = str(project / "state")  # the `pgtdd up` markers of this test
    return env


def run(project: Path, *command: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=project, env=env_for(project), capture_output=True, text=True, timeout=300,
        **kw,
    )


def ours(engine: Any, marker: str = "work_mem=13MB") -> list[Any]:
    return [
        c for c in engine.containers.list(all=True, filters={"label": "org.pgtdd.owner=pgtdd"})
        if marker in (c.attrs["Config"]["Cmd"] or [])
    ]


def gone_within(engine: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not ours(engine):
            return True
        time.sleep(0.2)
    return False


SCRIPT = """\
import sys, psycopg, pgtdd
with pgtdd.server(profile="own.yaml") as srv:
    with psycopg.connect(srv.url) as conn:
        print("WORK_MEM", conn.execute("SHOW work_mem").fetchone()[0])
    print("CONTAINER", srv.container_id, flush=True)
    if sys.argv[1:] == ["hang"]:
        import time; time.sleep(600)
"""


def test_a_script_starts_and_stops_a_server(project: Path, engine: Any) -> None:
    (project / "script.py").write_text(SCRIPT)
    done = run(project, sys.executable, "script.py")
    assert done.returncode == 0, done.stderr
    assert "WORK_MEM 13MB" in done.stdout
    assert "CONTAINER " in done.stdout
    assert not ours(engine)  # stopped with the block


def test_a_killed_script_leaves_no_container(project: Path, engine: Any) -> None:
    (project / "script.py").write_text(SCRIPT)
    proc = subprocess.Popen(
        [sys.executable, "script.py", "hang"], cwd=project, env=env_for(project),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        lines = iter(proc.stdout.readline, "")
        assert any(line.startswith("CONTAINER ") for line in lines)
        assert ours(engine)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        proc.communicate()
    assert gone_within(engine, 30), "the killed script's container was not removed"


RAISING = """\
import sys, pgtdd
try:
    with pgtdd.server(profile="own.yaml") as srv:
        print("CONTAINER", srv.container_id, flush=True)
        raise RuntimeError("boom")
except RuntimeError:
    print("RAISED", flush=True)
    sys.stdin.readline()  # alive while the test looks: the watchdog has not acted
"""


def test_an_exception_in_the_block_stops_the_server(project: Path, engine: Any) -> None:
    (project / "script.py").write_text(RAISING)
    proc = subprocess.Popen(
        [sys.executable, "script.py"], cwd=project, env=env_for(project),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        lines = [proc.stdout.readline().split(" ")[0].strip() for _ in range(2)]
        assert lines == ["CONTAINER", "RAISED"] and proc.poll() is None, lines
        assert not ours(engine)  # stopped by the block, the script still running
    finally:
        _, err = proc.communicate(input="\n", timeout=60)
    assert proc.returncode == 0, err


def test_the_guard_refuses_a_production_target_before_connecting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pgtdd

    for name in [n for n in os.environ if n.startswith("PGTDD_")]:
        monkeypatch.delenv(name)
    secret = "s3cret-not-shown"
    with socket.socket() as listener:  # counts whether anything connects
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        port = listener.getsockname()[1]
        (tmp_path / "prod.yaml").write_text(
            f"provider: external\nurl: postgresql://app:{secret}@127.0.0.1:{port}/production\n"
        )
        with pytest.raises(pgtdd.UnsafeDatabaseError) as refused, pgtdd.server(
            profile=str(tmp_path / "prod.yaml")
        ):
            pytest.fail("the block ran on a production-looking database")
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected
    assert f"pgtdd refuses postgresql://app:***@127.0.0.1:{port}/production" in str(refused.value)
    assert secret not in str(refused.value)


UNITTEST = """\
import unittest
import psycopg
from pgtdd.unittest_support import ServerTestCase, module_server

class Users(ServerTestCase):
    server_profile = "own.yaml"

    def test_work_mem(self):
        with psycopg.connect(self.server.url) as conn:
            self.assertEqual(conn.execute("SHOW work_mem").fetchone()[0], "13MB")

    def test_same_server_for_the_class(self):
        self.assertTrue(self.server.container_id)

srv = module_server("own.yaml")
setUpModule, tearDownModule = srv.start, srv.stop

class ModuleLevel(unittest.TestCase):
    def test_module_server(self):
        with psycopg.connect(srv.server.url) as conn:
            self.assertEqual(conn.execute("SELECT 1").fetchone(), (1,))
"""


def test_a_unittest_suite_gets_a_server_per_class(project: Path, engine: Any) -> None:
    (project / "test_users.py").write_text(UNITTEST)
    done = run(project, sys.executable, "-m", "unittest", "-v", "test_users")
    assert done.returncode == 0, done.stderr
    assert "Ran 3 tests" in done.stderr and "OK" in done.stderr
    assert not ours(engine)


PYTEST_SUITE = """\
def test_on_the_up_server(pgtdd_server):
    print("SERVER", pgtdd_server.container_id)
"""


def test_up_env_then_pytest_uses_that_server_until_down(project: Path, engine: Any) -> None:
    up = run(project, sys.executable, "-m", "pgtdd", "up", "--profile", "own.yaml", "--env")
    try:
        assert up.returncode == 0, up.stderr
        names = [line.split("=", 1)[0] for line in up.stdout.splitlines()]
        assert names == ["DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"]
        assert "pgtdd: PostgreSQL" in up.stderr  # the description is not in what eval reads
        shell = 'set -a; eval "$1"; set +a; python -c "import os, psycopg; ' \
            "print(psycopg.connect(os.environ['DATABASE_URL']).execute('SHOW work_mem')" \
            '.fetchone()[0])"'
        env = {**env_for(project), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
        read = subprocess.run(
            ["bash", "-c", shell, "bash", up.stdout], env=env, capture_output=True, text=True
        )
        assert read.stdout.strip() == "13MB", read.stderr
        (up_id,) = [c.id for c in ours(engine)]
        (project / "test_app.py").write_text(PYTEST_SUITE)
        inner_env = {**env_for(project), "PGTDD_PROFILE": "own.yaml"}
        tests = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-s"],
            cwd=project, env=inner_env, capture_output=True, text=True, timeout=300,
        )
        assert tests.returncode == 0, tests.stdout + tests.stderr
        assert f"SERVER {up_id}" in tests.stdout
        assert f"reuse=`pgtdd up` (container {up_id[:12]})" in tests.stdout  # the header
        assert [c.id for c in ours(engine)] == [up_id]  # still there for the next run
    finally:
        down = run(project, sys.executable, "-m", "pgtdd", "down")
    assert down.returncode == 0, down.stderr
    assert not ours(engine)
    again = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-s"],
        cwd=project, env={**env_for(project), "PGTDD_PROFILE": "own.yaml"},
        capture_output=True, text=True, timeout=300,
    )
    assert again.returncode == 0, again.stdout
    assert "pgtdd up" not in again.stdout  # after down: a container of its own, removed after
    assert gone_within(engine, 30)  # by the session's watchdog, as it exits


def test_down_removes_this_projects_containers_and_status_lists_them(
    project: Path, tmp_path_factory: pytest.TempPathFactory, engine: Any
) -> None:
    other = tmp_path_factory.mktemp("other")
    (other / "pyproject.toml").write_text("[project]\nname = 'other'\n")
    up = run(project, sys.executable, "-m", "pgtdd", "up", "--profile", "own.yaml")
    try:
        assert up.returncode == 0, up.stderr
        (mine,) = ours(engine)
        status = run(other, sys.executable, "-m", "pgtdd", "status")
        (row,) = [line for line in status.stdout.splitlines() if line.startswith(mine.short_id)]
        assert f"project {project.resolve()}" in row and " age " in row and "reuse" in row
        assert ":***@127.0.0.1:" in row and "dataflow_test_password" not in status.stdout
        elsewhere = run(other, sys.executable, "-m", "pgtdd", "down")
        assert elsewhere.returncode == 0, elsewhere.stderr
        assert [c.id for c in ours(engine)] == [mine.id]  # another project's: kept
    finally:
        here = run(project, sys.executable, "-m", "pgtdd", "down")
    assert here.returncode == 0 and f"project {project.resolve()}" in here.stdout
    assert not ours(engine)


VERSION_SCRIPT = """\
import sys, psycopg, pgtdd
with pgtdd.server(profile="any.yaml", version=int(sys.argv[1])) as srv:
    with psycopg.connect(srv.url) as conn:
        number = int(conn.execute("SHOW server_version_num").fetchone()[0])
    print("MAJOR", srv.version.split(".")[0], number // 10000)
"""


def test_the_version_argument_and_up_db_version_choose_the_major(
    project: Path, engine: Any
) -> None:
    other = 15 if session_version() != 15 else 18  # not the session's: the argument decides
    (project / "any.yaml").write_text(
        "extends: container\nhost_port: 0\nserver_settings:\n  work_mem: 11MB\n"
    )
    (project / "script.py").write_text(VERSION_SCRIPT)
    done = run(project, sys.executable, "script.py", str(other))
    assert done.returncode == 0, done.stderr
    assert f"MAJOR {other} {other}" in done.stdout
    up = run(
        project, sys.executable, "-m", "pgtdd", "up", "--profile", "any.yaml",
        "--db-version", str(other), "--env",
    )
    try:
        assert up.returncode == 0, up.stderr
        url = dict(line.split("=", 1) for line in up.stdout.splitlines())["DATABASE_URL"]
        import psycopg

        with psycopg.connect(shlex.split(url)[0]) as conn:
            number = int(conn.execute("SHOW server_version_num").fetchone()[0])
        assert number // 10000 == other
    finally:
        down = run(project, sys.executable, "-m", "pgtdd", "down")
    assert down.returncode == 0, down.stderr
    assert not ours(engine, "work_mem=11MB")
