"""pytest interrupted or killed: no container survives the next session start.

The lead's tests cover SIGINT, SIGTERM and SIGKILL of pytest mid-test (its watchdog removes the
container). These cover what is left: SIGKILL of pytest *and* its watchdog (a CI job torn
down, the OOM killer), after which the next session's start-up sweep must remove the orphan;
and SIGINT while the server is still starting.
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.faults.conftest import (
    GONE_WAIT,
    IMAGE,
    SLOW_LINE,
    container_logs,
    finish,
    inner_env,
    inner_project,
    owned_containers,
    remove_containers,
    run_inner,
    start_inner,
    wait_no_containers,
)

HOLD = """
import time

def test_hold(pgtdd_server):
    print("CONTAINER", pgtdd_server.container_id, flush=True)
    time.sleep(300)
"""
QUICK = "def test_quick(pgtdd_server):\n    assert pgtdd_server.version\n"


def read_container_id(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    for line in proc.stdout:
        if "CONTAINER " in line:
            return line.split("CONTAINER ", 1)[1].split()[0]
    raise AssertionError("the inner pytest ended before its test started")


def reapers_of(pid: int) -> list[psutil.Process]:
    """The watchdog processes (``pgtdd.providers.reaper``) started by process ``pid``."""
    found = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if "pgtdd.providers.reaper" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def wait_container_state(docker: Any, container_id: str, gone: bool) -> bool:
    """Bounded wait until the container is gone (``gone``) or exists (not ``gone``)."""
    from docker.errors import NotFound

    deadline = time.monotonic() + GONE_WAIT
    while time.monotonic() < deadline:
        try:
            docker.containers.get(container_id)
            exists = True
        except NotFound:
            exists = False
        if exists != gone:
            return True
        time.sleep(0.2)
    return False


def test_sigkill_of_pytest_and_its_watchdog_is_swept_by_the_next_session(
    docker_engine: Any, tmp_path: Path
) -> None:
    env = inner_env(PGTDD_PROFILE="container", PGTDD_IMAGE=IMAGE, PGTDD_PORT="0")
    first = inner_project(tmp_path / "first", {"test_hold.py": HOLD})
    proc = start_inner(first, env, "-s")
    second_pid = None
    try:
        container_id = read_container_id(proc)
        reapers = reapers_of(proc.pid)
        assert reapers, "the session started no watchdog"
        for reaper in reapers:
            reaper.kill()
        proc.kill()
        proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        orphan_left = wait_container_state(docker_engine, container_id, gone=False)

        second = inner_project(tmp_path / "second", {"test_quick.py": QUICK})
        run = run_inner(second, env)
        second_pid = run.pid
        assert run.returncode == 0, run.out[-3000:]
        if orphan_left:  # unless another session's sweep got there first, ours removed it
            assert "container(s) left by dead sessions" in run.out
        assert wait_container_state(docker_engine, container_id, gone=True)
        assert not wait_no_containers(docker_engine, pid=proc.pid)
        assert not wait_no_containers(docker_engine, pid=second_pid)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        remove_containers(docker_engine, pid=proc.pid)
        if second_pid is not None:
            remove_containers(docker_engine, pid=second_pid)


def test_sigint_while_the_server_starts_leaves_no_container(
    docker_engine: Any, slow_image: str, tmp_path: Path
) -> None:
    profile = f"extends: container\nimage: {slow_image}\nhost_port: 0\nretry:\n  deadline: 120\n"
    project = inner_project(tmp_path / "p", {"test_quick.py": QUICK, "slow.yaml": profile})
    proc = start_inner(project, inner_env(), "--db-profile", "slow.yaml")
    try:
        deadline = time.monotonic() + GONE_WAIT
        started = []
        while time.monotonic() < deadline and proc.poll() is None:
            started = [
                c
                for c in owned_containers(docker_engine, pid=proc.pid)
                if SLOW_LINE in container_logs(c)
            ]
            if started:
                break
            time.sleep(0.1)
        assert started, "the inner session never started its container"
        proc.send_signal(signal.SIGINT)
        run = finish(proc)
        assert run.returncode == pytest.ExitCode.INTERRUPTED, run.out[-3000:]
        assert "KeyboardInterrupt" in run.out
        left = wait_no_containers(docker_engine, pid=proc.pid)
        assert not left, f"containers left: {[c.short_id for c in left]}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        remove_containers(docker_engine, pid=proc.pid)
