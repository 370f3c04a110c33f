"""Who owns a container: labels written at start, and the sweep of containers whose owner died."""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pgtdd.lazy import lazy_module

OWNER_LABEL = "org.pgtdd.owner"
SESSION_LABEL = "org.pgtdd.session"
PID_LABEL = "org.pgtdd.pid"
STARTED_LABEL = "org.pgtdd.pid-started"
HOST_LABEL = "org.pgtdd.host"
REUSE_LABEL = "org.pgtdd.reuse"
PROFILE_LABEL = "org.pgtdd.profile"
PORT_LABEL = "org.pgtdd.port"  # the server's port, for a container on the host network
PROJECT_LABEL = "org.pgtdd.project"  # the project folder whose session or `pgtdd up` started it
PROJECT_FILES = ("pyproject.toml", "setup.cfg", "setup.py", "pytest.ini", "tox.ini", ".git")
OWNER = "pgtdd"

# psutil (~6 ms to import) loads when an owner is first named or checked.
if TYPE_CHECKING:
    import psutil
else:
    psutil = lazy_module("psutil")


@dataclass(frozen=True)
class Owner:
    """This process, as recorded on the containers it starts."""

    session: str
    pid: int
    started: str
    host: str
    project: str = ""

    @classmethod
    def current(cls) -> Owner:
        """The running process (pid plus its start time, so a reused pid is not mistaken), in
        the project of its working directory."""
        pid = os.getpid()
        return cls(
            uuid.uuid4().hex[:12],
            pid,
            process_started(pid),
            socket.gethostname(),
            str(project_root()),
        )

    def labels(self, profile: str) -> dict[str, str]:
        """Labels that identify this session's containers."""
        return {
            OWNER_LABEL: OWNER,
            SESSION_LABEL: self.session,
            PID_LABEL: str(self.pid),
            STARTED_LABEL: self.started,
            HOST_LABEL: self.host,
            PROFILE_LABEL: profile,
            PROJECT_LABEL: self.project,
        }


def project_root(start: Path | None = None) -> Path:
    """The nearest folder from ``start`` (default: the working directory) up that holds a
    project file (``pyproject.toml``, ``pytest.ini``, ``.git``...), else ``start`` itself."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / name).exists() for name in PROJECT_FILES):
            return folder
    return here


def process_started(pid: int) -> str:
    """The value of the started label for process ``pid`` (empty when it is gone)."""
    try:
        return f"{psutil.Process(pid).create_time():.2f}"
    except psutil.Error:
        return ""


def owner_alive(labels: dict[str, str]) -> bool:
    """Whether the process that started a container still runs (unknown hosts count as alive)."""
    if labels.get(HOST_LABEL) != socket.gethostname():
        return True
    try:
        pid = int(labels.get(PID_LABEL, ""))
    except ValueError:
        return True
    return psutil.pid_exists(pid) and process_started(pid) == labels.get(STARTED_LABEL)


def sweep_orphans(client: Any) -> list[str]:
    """Remove this host's pgtdd containers whose owning process is gone; return their ids.

    Reused containers and containers of live sessions (or of other hosts) are never touched.
    """
    from docker.errors import APIError

    removed = []
    for container in client.containers.list(
        all=True, filters={"label": f"{OWNER_LABEL}={OWNER}"}, ignore_removed=True
    ):
        labels = container.labels or {}
        if REUSE_LABEL in labels or owner_alive(labels):
            continue
        try:
            container.remove(force=True, v=True)
        except APIError:  # already gone, or being removed by its own session
            continue
        removed.append(container.short_id)
    return removed


def main() -> int:
    """``python -m pgtdd.providers.ownership``: sweep once (spawned by the reuse fast path)."""
    from pgtdd.providers.engine import DockerUnavailableError, docker_client

    try:
        with contextlib.closing(docker_client()) as client:
            sweep_orphans(client)
    except DockerUnavailableError:
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
