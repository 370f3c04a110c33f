"""``kill -9`` of pytest while it builds the schema template on a reusable server.

The half-built ``pgtdd_tpl_<key>_build_<hex>`` database is left behind; the next session on
that server drops it at its start (the build lock is free once the killed client's server
process noticed, within ``client_connection_check_interval``), and nothing else is left.
"""

from __future__ import annotations

import contextlib
import signal
import time
from pathlib import Path
from typing import Any

from pgtdd.config.settings import resolve_settings
from pgtdd.providers.ownership import PORT_LABEL
from tests.faults.conftest import (
    GONE_WAIT,
    IMAGE,
    inner_env,
    inner_project,
    owned_containers,
    run_inner,
    start_inner,
)

QUICK = "def test_quick(pgtdd_server):\n    assert pgtdd_server.version\n"
LIST_BUILDS = "SELECT datname FROM pg_database WHERE datname LIKE 'pgtdd_tpl_%_build_%'"


def half_built(container: Any) -> list[str]:
    """The half-built templates on the container's server (none while it is not running)."""
    from docker.errors import APIError

    port = container.labels.get(PORT_LABEL, "5432")  # on the host network: its own port
    try:
        result = container.exec_run(
            ["psql", "-U", "dataflow_test", "-d", "postgres", "-p", port, "-Atc", LIST_BUILDS]
        )
    except APIError:  # created, not yet running
        return []
    return result.output.decode().split() if result.exit_code == 0 else []


def test_kill_9_during_the_template_build_is_swept_by_the_next_session(
    docker_engine: Any, tmp_path: Path
) -> None:
    profile = tmp_path / "reuse.yaml"
    profile.write_text("extends: container\nreuse: true\nserver_settings:\n  work_mem: 9MB\n")
    env = inner_env(PGTDD_IMAGE=IMAGE, PGTDD_PORT="0", PGTDD_STATE_DIR=str(tmp_path / "s"))
    slow = inner_project(
        tmp_path / "slow",
        {"test_quick.py": QUICK, "schema.sql": "SELECT pg_sleep(30);\n"},
        ini="pgtdd_schema = schema.sql\n",
    )
    proc = start_inner(slow, env, f"--db-profile={profile}")
    container = None
    try:
        deadline = time.monotonic() + GONE_WAIT
        builds: list[str] = []
        while time.monotonic() < deadline and not builds:
            found = owned_containers(docker_engine, pid=proc.pid)
            container = found[0] if found else None
            builds = half_built(container) if container is not None else []
            time.sleep(0.2)
        assert container is not None and builds, "the first session never started its build"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        assert half_built(container) == builds  # left behind by the killed build

        quick = inner_project(tmp_path / "quick", {"test_quick.py": QUICK})
        time.sleep(2)  # client_connection_check_interval (1 s): the build's lock is released
        started = time.monotonic()
        run = run_inner(quick, env, f"--db-profile={profile}")
        seconds = time.monotonic() - started
        assert run.returncode == 0, run.out[-3000:]
        bound = resolve_settings(cli_profile=str(profile), environ={}).profile.timeouts.startup
        print(f"next session with a half-built template to sweep: {seconds:.2f} s")
        assert seconds < bound
        assert half_built(container) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        if container is not None:
            with contextlib.suppress(Exception):
                container.remove(force=True, v=True)
