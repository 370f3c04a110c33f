"""Servers started by ``pgtdd up``, found again by a later ``pytest`` of the same project.

``pgtdd up`` starts the profile's reusable container and leaves a marker beside the reuse
record (``<state dir>/<record>.up.json``: the project and the container). A pytest session of
that project whose profile matches (same settings, so the same record) and whose ``reuse`` was
left at the profile's default then reuses that container, and says so in its header
(``reuse=`pgtdd up` ...``). A marker whose container is gone is removed and ignored, so a
session never starts a reusable container nobody asked for.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from pgtdd.config.profile import Profile
from pgtdd.providers.engine import engine_get, engine_socket
from pgtdd.providers.records import record_path, state_dir, write_record


def marker_path(profile: Profile) -> Path:
    """Where ``pgtdd up`` marks the container of ``profile`` (reuse on or off alike)."""
    return record_path(profile).with_suffix(".up.json")


def mark(profile: Profile, project: Path, container_id: str) -> Path:
    """Remember that ``pgtdd up`` started ``container_id`` for ``project``."""
    path = marker_path(profile)
    write_record(path, {"project": str(project), "container_id": container_id})
    return path


def started_by_up(profile: Profile, project: Path) -> str | None:
    """The id of the running ``pgtdd up`` container of ``profile`` for ``project`` (the
    session's root is the project's or inside it), or ``None``."""
    path = marker_path(profile)
    try:
        marker = json.loads(path.read_text())
        marked = Path(marker["project"])
        container_id = str(marker["container_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if project.resolve() != marked and marked not in project.resolve().parents:
        return None
    if not _running(container_id):
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return container_id


def forget(container_ids: set[str]) -> None:
    """Remove the markers of these containers (``pgtdd down`` removed them)."""
    folder = state_dir()
    for path in folder.glob("*.up.json") if folder.is_dir() else ():
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            if json.loads(path.read_text())["container_id"] in container_ids:
                path.unlink()


def _running(container_id: str) -> bool:
    sock = engine_socket()
    if sock is None:
        return False
    try:
        status, body = engine_get(sock, f"/containers/{container_id}/json")
    except OSError:
        return False
    return status == 200 and bool(body and body.get("State", {}).get("Running"))
