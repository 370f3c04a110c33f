"""Reusable containers left broken: ``Exited (255)`` after a reboot, stuck in ``created``.

The next session start removes them and starts a fresh one, without waiting for
``timeouts.startup``; :func:`classify_containers` (for ``pgtdd status``/``down``) sorts them as
``exited``/``created`` with the owning pid.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any

import pytest

from pgtdd.config.settings import resolve_settings
from pgtdd.providers.container import choose_network
from pgtdd.providers.health import CREATED, EXITED, classify_containers
from pgtdd.providers.ownership import Owner
from pgtdd.providers.reuse import REUSE_LABEL, container_name, reuse_key
from tests.faults.conftest import IMAGE, inner_env, inner_project, run_inner

QUICK = "def test_quick(pgtdd_server):\n    assert pgtdd_server.version\n"
DEAD_PID = "999999"


def profile_file(path: Path, marker: str) -> Path:
    """A reusable profile of its own (a setting no other test uses), so no one else's
    reusable container is touched."""
    profile = path / "reuse.yaml"
    profile.write_text(f"extends: container\nreuse: true\nserver_settings:\n  work_mem: {marker}\n")
    return profile


def broken_reusable(docker: Any, profile: Path, state: str) -> Any:
    """A container named and labelled as the profile's reusable one, left ``state``."""
    settings = resolve_settings(cli_profile=str(profile), cli_image=IMAGE, environ={})
    network = choose_network(docker, settings.profile)
    key = reuse_key(docker.images.get(IMAGE).id, settings.profile, network)
    labels = Owner.current().labels(settings.profile.name)
    labels.update({REUSE_LABEL: key, "org.pgtdd.pid": DEAD_PID})
    container = docker.containers.create(
        IMAGE, name=container_name(key), labels=labels, entrypoint=["sh", "-c", "exit 255"]
    )
    if state == "exited":
        container.start()
        container.wait(timeout=30)
    container.reload()
    assert container.status == state
    return container


def remove_named(docker: Any, name: str) -> None:
    from docker.errors import NotFound

    with contextlib.suppress(NotFound):
        docker.containers.get(name).remove(force=True, v=True)


@pytest.mark.parametrize(("state", "kind"), [("exited", EXITED), ("created", CREATED)])
def test_a_broken_reusable_container_is_replaced_at_the_next_start(
    docker_engine: Any, tmp_path: Path, state: str, kind: str
) -> None:
    profile = profile_file(tmp_path, "6MB" if state == "exited" else "7MB")
    broken = broken_reusable(docker_engine, profile, state)
    name = broken.name
    try:
        found = {c.id: c for c in classify_containers()}[broken.id]
        assert found.kind == kind and found.reusable and found.pid == int(DEAD_PID)
        project = inner_project(tmp_path / "p", {"test_quick.py": QUICK})
        env = inner_env(PGTDD_IMAGE=IMAGE, PGTDD_PORT="0", PGTDD_STATE_DIR=str(tmp_path / "s"))
        started = time.monotonic()
        run = run_inner(project, env, f"--db-profile={profile}")
        seconds = time.monotonic() - started
        assert run.returncode == 0, run.out[-3000:]
        assert f"{name} ({state}" in run.out or "stuck in created" in run.out, run.out[-3000:]
        bound = resolve_settings(cli_profile=str(profile), environ={}).profile.timeouts.startup
        print(f"session with a {state} reusable container: {seconds:.2f} s (bound {bound:g} s)")
        assert seconds < bound
        fresh = docker_engine.containers.get(name)
        assert fresh.id != broken.id and fresh.status == "running"
    finally:
        remove_named(docker_engine, name)
