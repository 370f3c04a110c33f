"""Server loss: noticed where a connection fails, named once, and every later test told at once.

The session registers its server and a probe (the provider's :meth:`health`, or the container's
state from the engine). When a connection fails in a way that may mean the server is gone
(refused, reset, closed mid-statement, no answer within the client's timeout), :func:`check`
asks the probe once: a server that exited, was removed or is paused is recorded as lost, with
one message saying what happened (killed, out of memory, exit code, the last log lines) and
what to do. Later tests that use pgtdd's fixtures fail at once with a short reference to that
message (:func:`reference`), or, with ``on_server_loss: restart``, the session provisions a
new server. A paused server is probed again before each test: when it runs again the loss is
forgotten and the tests go on.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from pgtdd.providers.health import ServerState, container_state
from pgtdd.redact import redact
from pgtdd.serverinfo import ServerInfo

Probe = Callable[[], ServerState]
SETTLE_SECONDS = 3.0
# Connection errors that may mean the server is gone (by name: no driver is imported here).
_GONE_TYPES = frozenset(
    {
        "ConnectionRefusedError",
        "ConnectionResetError",
        "ConnectionAbortedError",
        "BrokenPipeError",
        "ConnectionDoesNotExistError",
        "AdminShutdownError",
        "CrashShutdownError",
        "CannotConnectNowError",
        "TimeoutError",
        "ServerLostError",
    }
)
_GONE_WORDS = (
    "connection refused",
    "connect call failed",
    "server closed the connection",
    "connection was closed in the middle of operation",
    "connection is closed",
    "terminating connection due to administrator command",
    "the database system is shutting down",
    "the database system is in recovery mode",
    "consuming input failed",
    "connection timeout expired",
    "no connection to the server",
)
_GONE_SQLSTATES = ("57P01", "57P02", "57P03", "08006", "08001", "08003", "08004")


class ServerLostError(RuntimeError):
    """The session's server is gone (or paused); the message says what happened and the fix."""


@dataclass
class Loss:
    """The recorded loss: the probe's answer, the full message, the test that saw it first."""

    state: ServerState
    message: str
    test: str
    seen_at: float
    announced: bool = False


@dataclass
class _Watch:
    server: ServerInfo
    probe: Probe
    key_source: str  # where on_server_loss was set, for the message
    mode: str


_watch: _Watch | None = None
_loss: Loss | None = None
_restarts: list[str] = []
# Called once when a loss is recorded (the TDD pool stops reconnecting in the background).
_listeners: dict[str, Callable[[], None]] = {}


def on_loss(key: str, callback: Callable[[], None]) -> None:
    """Call ``callback`` when a loss is recorded (one callback per ``key``)."""
    _listeners[key] = callback


_stack: list[tuple[int, _Watch]] = []  # nested sessions (pytester) each watch their own


def watch(
    server: ServerInfo,
    probe: Probe | None,
    *,
    mode: str = "fail",
    source: str = "",
    owner: int = 0,
) -> None:
    """Watch ``server`` for the session ``owner`` (``probe`` defaults to the container's
    state); a session watching again (after a restart) replaces its own entry."""
    global _watch, _loss
    _stack[:] = [entry for entry in _stack if entry[0] != owner]
    _stack.append(
        (owner, _Watch(server, probe or _default_probe(server), source or "default", mode))
    )
    _watch = _stack[-1][1]
    _loss = None


def unwatch(owner: int = 0) -> None:
    """Forget session ``owner``'s server (its end); an outer session's is watched again."""
    global _watch, _loss
    _stack[:] = [entry for entry in _stack if entry[0] != owner]
    _watch = _stack[-1][1] if _stack else None
    _loss = None
    _restarts.clear()


def _default_probe(server: ServerInfo) -> Probe:
    container = server.container_id
    if container:
        return lambda: container_state(container)
    return lambda: ServerState(alive=True, what=f"{server.provider} server (not probed)")


def looks_like_loss(error: BaseException | None) -> bool:
    """Whether ``error`` (or an error it was raised from) may mean the server is gone."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if type(error).__name__ in _GONE_TYPES:
            return True
        if getattr(error, "sqlstate", None) in _GONE_SQLSTATES:
            return True
        text = str(error).lower()
        if any(words in text for words in _GONE_WORDS):
            return True
        error = error.__cause__ or error.__context__
    return False


def current() -> Loss | None:
    """The recorded loss, if any."""
    return _loss


def check(error: BaseException | None, test: str) -> Loss | None:
    """Ask the probe when ``error`` may mean the server is gone; record and return a loss.

    Returns the loss already recorded without asking again; ``None`` when the server is fine
    (the error is the test's own) or nothing is watched.
    """
    global _loss
    if _loss is not None:
        return _loss
    if _watch is None or not looks_like_loss(error):
        return None
    state = _settled_state(_watch)
    if state is None:
        return None
    _loss = Loss(state, _message(state, test), test, time.monotonic())
    for callback in list(_listeners.values()):
        callback()
    return _loss


def _settled_state(watched: _Watch) -> ServerState | None:
    """The probe's answer when the server is gone or paused, else ``None``.

    The client may see the server die before the engine does (``docker kill`` returns while
    the container still looks up): when the probe says "running" but the server's port
    refuses connections, the probe is asked again for up to :data:`SETTLE_SECONDS`.
    """
    state = watched.probe()
    if not state.alive or state.paused:
        return state
    if not _refuses(watched.server):
        return None
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
        state = watched.probe()
        if not state.alive or state.paused:
            return state
    where = f"{watched.server.host}:{watched.server.port}"
    return ServerState(alive=False, what=f"nothing accepts connections on {where} ({state.what})")


def _refuses(server: ServerInfo) -> bool:
    try:
        socket.create_connection((server.host, server.port), timeout=1.0).close()
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    return False


def recheck() -> Loss | None:
    """Probe again a loss recorded for a paused server: forget it once the server runs."""
    global _loss
    if _loss is None or _watch is None or not _loss.state.paused:
        return _loss
    state = _watch.probe()
    if state.alive and not state.paused:
        _loss = None
    return _loss


def restarted(what: str) -> None:
    """The session provisioned a new server after losing one (``what`` happened to it)."""
    _restarts.append(what)


def restarts() -> list[str]:
    """What each restart of this session replaced (for the header and the summary)."""
    return list(_restarts)


def reference() -> str:
    """The short message for a test that fails because of the recorded loss."""
    if _loss is None:
        return ""
    gone = "not answering" if _loss.state.paused else "gone"
    return (
        f"pgtdd: the PostgreSQL server is {gone} ({_loss.state.what}); not connecting. "
        f"What happened and what to do: see the failure of {_loss.test}."
    )


_DISK_FULL_NOTE = "pgtdd: the server's data directory is full"


def explain_disk_full(error: BaseException) -> bool:
    """Add to a "could not extend file ... No space left on device" error (SQLSTATE 53100)
    which limit was hit and how to change it (once); whether it was such an error."""
    seen: BaseException | None = error
    while seen is not None:
        if getattr(seen, "sqlstate", None) == "53100" or "No space left on device" in str(seen):
            break
        seen = seen.__cause__ or seen.__context__
    if seen is None:
        return False
    if any(n.startswith(_DISK_FULL_NOTE) for n in getattr(error, "__notes__", ())):
        return True
    error.add_note(_disk_full_text())
    return True


def _disk_full_text() -> str:
    from pgtdd.config.settings import current_or_resolved

    profile = current_or_resolved().profile
    if profile.provider == "container" and profile.tmpfs and profile.tmpfs_size != "0":
        limit = (
            f"it is a tmpfs of {profile.tmpfs_size}, the profile key tmpfs_size "
            f"({profile.source_of('tmpfs_size')}). Raise tmpfs_size (0: no limit, up to half "
            "the host's memory), or write less"
        )
    else:
        limit = "the disk it is on has no space left. Free space there, or write less"
    return (
        f"{_DISK_FULL_NOTE}: {limit}. The test's own new tables are freed when its "
        "transaction rolls back; rows it wrote into tables that existed before keep their "
        "space until VACUUM."
    )


def _message(state: ServerState, test: str) -> str:
    watched = _watch
    assert watched is not None
    server = watched.server
    if watched.mode == "restart" and not state.paused:
        fix = (
            f"pgtdd provisions a new server before the next test that needs one "
            f"(on_server_loss: restart, from {watched.key_source})."
        )
    elif state.paused:
        fix = (
            "Unpause it (the tests go on once it answers), or find what paused it. "
            "The next tests fail at once while it stays paused."
        )
    else:
        fix = (
            f"The remaining tests that use pgtdd's fixtures fail at once. To provision a new "
            f"server and go on instead, set `on_server_loss: restart` in the profile "
            f"(now {watched.mode!r}, from {watched.key_source})."
        )
        if state.oom_killed:
            fix = (
                "Give Docker more memory or lower the profile's server_settings "
                "(shared_buffers, work_mem) or tmpfs_size. " + fix
            )
    gone = "stopped answering" if state.paused else "is gone"
    head = f"pgtdd: the PostgreSQL server at {server.safe_url} {gone} during {test}: "
    return redact(head + state.describe() + "\n" + fix, server.password)
