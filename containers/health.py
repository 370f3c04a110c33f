"""Is the server still there, and if not, why: the container's state or the cluster's process.

Asked when a connection fails in a way that may mean the server is gone (refused, reset,
closed mid-statement) or when it stops answering: the answer (:class:`ServerState`) names what
happened (killed, out of memory, exit code, paused, removed) with the server's last log lines.
:func:`classify_containers` sorts this engine's pgtdd containers (live session, exited,
created, unhealthy, orphan) for ``pgtdd status``/``pgtdd down`` and the session-start sweep.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pgtdd.providers.engine import engine_get, engine_socket
from pgtdd.providers.ownership import (
    OWNER,
    OWNER_LABEL,
    PID_LABEL,
    PROFILE_LABEL,
    REUSE_LABEL,
    owner_alive,
)

LOG_LINES = 12
# A created container older than this was not being started by anyone (a start takes < 1 s).
CREATED_STALE_SECONDS = 30.0


@dataclass(frozen=True)
class ServerState:
    """What the provider knows about its server right now.

    ``alive`` is False when the server is gone for good (exited, removed); a paused server is
    alive but ``paused``. ``what`` says it in words; ``log_tail`` is the server's last lines.
    """

    alive: bool
    what: str
    paused: bool = False
    log_tail: str = ""
    exit_code: int | None = None
    oom_killed: bool = False

    def describe(self) -> str:
        """``what`` plus the log tail, for an error message."""
        text = self.what
        if self.log_tail.strip():
            text += "\n--- server log (last lines) ---\n" + self.log_tail.strip()
        return text


UNKNOWN = ServerState(alive=True, what="state unknown (no provider to ask)")


def _exit_words(code: int, oom: bool) -> str:
    if oom:
        return f"was killed for lack of memory (OOMKilled, exit code {code})"
    if code > 128 and code - 128 in signal.valid_signals():
        name = signal.Signals(code - 128).name
        return f"was killed by {name} (exit code {code}: `docker kill`, `docker stop` or the host)"
    return f"exited with code {code}"


def container_state(container_id: str) -> ServerState:
    """The state of container ``container_id``, asked of the engine (its socket when local)."""
    short = container_id[:12]
    try:
        info = _inspect(container_id)
    except Exception as exc:  # noqa: BLE001 - no engine to ask: say so, do not guess
        return ServerState(alive=True, what=f"container {short}: the engine did not answer ({exc})")
    if info is None:
        return ServerState(alive=False, what=f"container {short} was removed")
    state = info.get("State") or {}
    logs = _logs(container_id)
    if state.get("Paused"):
        return ServerState(
            alive=True,
            paused=True,
            what=f"container {short} is paused (`docker pause`): it answers nothing until "
            f"`docker unpause {short}`",
            log_tail=logs,
        )
    if state.get("Running"):
        health = (state.get("Health") or {}).get("Status")
        what = f"container {short} is running" + (f" ({health})" if health else "")
        return ServerState(alive=True, what=what, log_tail=logs)
    code = int(state.get("ExitCode") or 0)
    oom = bool(state.get("OOMKilled"))
    status = state.get("Status", "not running")
    when = str(state.get("FinishedAt") or "")[:19].replace("T", " ")
    what = f"container {short} {_exit_words(code, oom)}" if status == "exited" else (
        f"container {short} is {status}"
    )
    if when and not when.startswith("0001"):
        what += f" at {when} UTC"
    return ServerState(alive=False, what=what, log_tail=logs, exit_code=code, oom_killed=oom)


def process_state(process: subprocess.Popen[bytes] | None, log: Path | None) -> ServerState:
    """The state of a native cluster's postmaster (``process``), with its log's last lines."""
    tail = _file_tail(log) if log is not None else ""
    if process is None:
        return ServerState(alive=False, what="the native server was stopped", log_tail=tail)
    code = process.poll()
    if code is None:
        return ServerState(alive=True, what=f"postgres (pid {process.pid}) is running")
    if code < 0:
        what = f"postgres (pid {process.pid}) was killed by {signal.Signals(-code).name}"
    else:
        what = f"postgres (pid {process.pid}) exited with code {code}"
    return ServerState(alive=False, what=what, log_tail=tail, exit_code=code)


def _inspect(container_id: str) -> dict[str, Any] | None:
    sock = engine_socket()
    if sock is not None:
        status, info = engine_get(sock, f"/containers/{quote(container_id)}/json")
        if status == http.client.NOT_FOUND:
            return None
        if status != http.client.OK:
            raise RuntimeError(f"HTTP {status}")
        return dict(info)
    from docker.errors import NotFound

    from pgtdd.providers.engine import docker_client

    with contextlib.closing(docker_client()) as client:
        try:
            return dict(client.api.inspect_container(container_id))
        except NotFound:
            return None


def _logs(container_id: str) -> str:
    try:
        from pgtdd.providers.engine import docker_client

        with contextlib.closing(docker_client()) as client:
            raw = client.api.logs(container_id, tail=LOG_LINES)
        return bytes(raw).decode(errors="replace")
    except Exception:  # noqa: BLE001 - the log is an extra
        return ""


def _file_tail(path: Path) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-LOG_LINES:])
    except OSError:
        return ""


# --------------------------------------------------------------------------- classification

LIVE = "live-session"
EXITED = "exited"
CREATED = "created"
UNHEALTHY = "unhealthy"
ORPHAN = "orphan"
IDLE = "idle-reusable"


@dataclass(frozen=True)
class PgtddContainer:
    """One pgtdd container on the engine, sorted into one of the kinds above.

    ``kind``: ``live-session`` (running, its owning process alive), ``idle-reusable`` (a running
    reusable container whose starting session ended: ready for the next one), ``exited``,
    ``created`` (never started and no longer being started), ``unhealthy``, ``orphan`` (a
    session's own container whose owner died). ``pid`` is the owning process (its label).
    """

    id: str
    name: str
    kind: str
    status: str
    pid: int | None
    reusable: bool
    profile: str
    age_seconds: float
    labels: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def broken(self) -> bool:
        """Exited, stuck in created, unhealthy or orphaned: nothing will use it again."""
        return self.kind in (EXITED, CREATED, UNHEALTHY, ORPHAN)


def classify(info: dict[str, Any], now: float | None = None) -> PgtddContainer:
    """Sort one container (``docker inspect`` / ``containers/json`` data) into its kind."""
    labels = dict(info.get("Labels") or (info.get("Config") or {}).get("Labels") or {})
    state = info.get("State")
    status = state if isinstance(state, str) else (state or {}).get("Status", "")
    health = "" if isinstance(state, str) else ((state or {}).get("Health") or {}).get("Status")
    if isinstance(state, str) and "(unhealthy)" in str(info.get("Status", "")):
        health = "unhealthy"
    created = info.get("Created", 0)
    created_at = float(created) if isinstance(created, int | float) else _parse_time(created)
    age = max(0.0, (now or time.time()) - created_at)
    reusable = REUSE_LABEL in labels
    alive_owner = owner_alive(labels)
    if status in ("exited", "dead"):
        kind = EXITED
    elif status == "created":
        kind = CREATED if age > CREATED_STALE_SECONDS or not alive_owner else LIVE
    elif health == "unhealthy":
        kind = UNHEALTHY
    elif alive_owner:
        kind = LIVE
    else:
        kind = IDLE if reusable else ORPHAN
    names = info.get("Names") or [info.get("Name", "")]
    pid = labels.get(PID_LABEL, "")
    return PgtddContainer(
        id=str(info.get("Id", "")),
        name=str(names[0]).lstrip("/"),
        kind=kind,
        status=str(status) + (f" ({health})" if health else ""),
        pid=int(pid) if pid.isdigit() else None,
        reusable=reusable,
        profile=labels.get(PROFILE_LABEL, ""),
        age_seconds=age,
        labels=labels,
    )


def classify_containers() -> list[PgtddContainer]:
    """Every pgtdd container on the engine (any state), classified (see :func:`classify`)."""
    sock = engine_socket()
    query = quote(json.dumps({"label": [f"{OWNER_LABEL}={OWNER}"]}))
    if sock is not None:
        status, rows = engine_get(sock, f"/containers/json?all=1&filters={query}")
        if status != http.client.OK:
            raise RuntimeError(f"the engine answered HTTP {status} to a container listing")
    else:
        from pgtdd.providers.engine import docker_client

        with contextlib.closing(docker_client()) as client:
            label = f"{OWNER_LABEL}={OWNER}"
            rows = client.api.containers(all=True, filters={"label": label})
    return [classify(dict(row)) for row in rows or []]


def _parse_time(text: object) -> float:
    from datetime import datetime

    try:
        return datetime.fromisoformat(str(text)[:26].rstrip("Z") + "+00:00").timestamp()
    except ValueError:
        return time.time()


def sweep_broken_reusable(client: Any) -> list[PgtddContainer]:
    """Remove reusable containers that are exited, stuck in ``created`` or unhealthy (a
    reboot's ``Exited (255)``, a start that never finished); return what was removed.

    A live session's own container is never touched, nor one another session is starting.
    """
    from docker.errors import DockerException

    removed = []
    for found in classify_containers():
        if not (found.reusable and found.broken):
            continue
        try:
            client.containers.get(found.id).remove(force=True, v=True)
        except DockerException:  # gone already, or being removed by another session
            continue
        removed.append(found)
    return removed


def describe_removed(removed: list[PgtddContainer]) -> str:
    """``removed 2 reusable container(s) left broken: pgtdd-reuse-ab (exited), ...``."""
    shown = ", ".join(f"{c.name} ({c.status})" for c in removed)
    return f"removed {len(removed)} reusable container(s) left broken: {shown}"
