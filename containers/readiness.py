"""Readiness: a real connection and ``SELECT 1``, retried under the profile's policy."""

from __future__ import annotations

import contextlib
import math
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import psycopg

from pgtdd.config.profile import Profile, RetryPolicy
from pgtdd.config.settings import connect_timeout
from pgtdd.redact import redact
from pgtdd.serverinfo import ServerInfo

if TYPE_CHECKING:  # tenacity loads with the first wait, not on a reused server's fast path
    from tenacity import RetryCallState

_BOOL_WORDS = {"true": "on", "yes": "on", "1": "on", "false": "off", "no": "off", "0": "off"}


class ServerStartError(RuntimeError):
    """The server did not become ready; the message carries the cause and the server's log.

    ``waits`` are the pauses (seconds) the retry policy made between the attempts, as
    ``retry.initial_wait`` and ``retry.max_wait`` shaped them; ``attempts`` their number + 1.
    """

    waits: tuple[float, ...] = ()

    @property
    def attempts(self) -> int:
        """Connection attempts made before giving up."""
        return len(self.waits) + 1


class SettingsNotAppliedError(ServerStartError):
    """The server runs, but some profile settings did not take effect."""


class VersionMismatchError(ServerStartError):
    """The server answering is of another major than the one asked for."""


class StartupTimeoutError(ServerStartError):
    """The whole start took longer than the profile's ``timeouts.startup``."""


# The running start's limit: (monotonic deadline, the seconds allowed, the profile).
_START: ContextVar[tuple[float, float, Profile] | None] = ContextVar("pgtdd_start", default=None)


@contextlib.contextmanager
def bounded_start(profile: Profile) -> Iterator[None]:
    """Bound everything started inside the block (image, container or cluster, readiness) by
    ``profile.timeouts.startup``: readiness waits only for what is left of it, and
    :func:`check_startup` raises once it is spent."""
    seconds = profile.timeouts.startup
    token = _START.set((time.monotonic() + seconds, seconds, profile))
    try:
        yield
    finally:
        _START.reset(token)


def startup_left() -> float | None:
    """Seconds left of the running start's ``timeouts.startup`` (``None`` outside a start)."""
    start = _START.get()
    return None if start is None else start[0] - time.monotonic()


def check_startup(done: str) -> None:
    """Raise :class:`StartupTimeoutError` when the start's time is spent (after ``done``)."""
    left = startup_left()
    if left is not None and left <= 0:
        raise StartupTimeoutError(_startup_message(f"spent after {done}"))


def _startup_message(what: str) -> str:
    start = _START.get()
    assert start is not None
    _, seconds, profile = start
    return (
        f"the server did not start within timeouts.startup = {seconds:g} s "
        f"({profile.source_of('timeouts.startup')}): {what}. Raise timeouts.startup in the "
        "profile if the machine is slow (a first image pull counts too)"
    )


def wait_until_ready(
    server: ServerInfo,
    policy: RetryPolicy,
    *,
    connect_timeout: float,
    logs: Callable[[], str] | None = None,
    alive: Callable[[], bool] | None = None,
) -> str:
    """:func:`wait_for_version`'s ``server_version`` only."""
    return wait_for_version(
        server, policy, connect_timeout=connect_timeout, logs=logs, alive=alive
    )[0]


def wait_for_version(
    server: ServerInfo,
    policy: RetryPolicy,
    *,
    connect_timeout: float,
    logs: Callable[[], str] | None = None,
    alive: Callable[[], bool] | None = None,
) -> tuple[str, int]:
    """Poll until a real connection runs ``SELECT 1``; return ``server_version`` and
    ``server_version_num``.

    Transient faults are retried until ``policy.deadline``; a permanent one (wrong password,
    unknown database) stops at once, and so does any fault once ``alive()`` says the server
    process is gone (it exited at start: nothing will answer). The raised error names the
    cause and ends with the server's last log lines when ``logs`` is given.
    """

    from pgtdd.retry import is_transient, retrying

    probed: dict[tuple[str, int], str | None] = {}  # asked once per wait

    def transient(exc: BaseException) -> bool:
        answer = foreign_answer(server, exc, connect_timeout, probed)
        if answer is not None and not answer.startswith(_SILENT):
            return False  # something other than PostgreSQL answers: waiting will not help
        return is_transient(exc) and (alive is None or alive())

    def attempt() -> tuple[str, int]:
        timeout = max(2, math.ceil(connect_timeout))  # libpq: whole seconds, at least 2
        with psycopg.connect(server.url, connect_timeout=timeout, autocommit=True) as conn:
            conn.execute("SELECT 1")
            row = conn.execute(
                "SELECT current_setting('server_version'), "
                "current_setting('server_version_num')::int"
            ).fetchone()
        return (str(row[0]), int(row[1])) if row else ("", 0)

    left = startup_left()
    if left is not None and left <= 0:
        raise StartupTimeoutError(_startup_message("no time left to wait for readiness"))
    bounded = left is not None and left < policy.deadline
    deadline = left if bounded else policy.deadline
    waits: list[float] = []

    def paused(state: RetryCallState) -> None:
        waits.append(state.next_action.sleep if state.next_action is not None else 0.0)

    try:
        return retrying(policy, deadline=deadline, transient=transient, before_sleep=paused)(
            attempt
        )
    except (psycopg.Error, OSError) as exc:
        exited = alive is not None and not alive()
        head = foreign_answer(server, exc, connect_timeout, probed)
        message = _failure(server, exc, policy, logs, exited, head)
        message += f"\n({len(waits) + 1} connection attempt(s)"
        if "timeout expired" in str(exc).lower():
            message += f"; each may wait timeouts.connect = {connect_timeout:g} s"
        message += ")"
        error: ServerStartError = (
            StartupTimeoutError(_startup_message("readiness not reached") + "\n" + message)
            if bounded
            else ServerStartError(message)
        )
        error.waits = tuple(waits)
        raise error from exc


_SSL_REQUEST = (8).to_bytes(4, "big") + (80877103).to_bytes(4, "big")
_HANDSHAKE_ERRORS = ("connection timeout expired", "received invalid response to ssl negotiation")
_SILENT = "something other than PostgreSQL, or a stalled server,"


def foreign_answer(
    server: ServerInfo,
    exc: BaseException,
    timeout: float,
    probed: dict[tuple[str, int], str | None] | None = None,
) -> str | None:
    """When the protocol handshake failed: "something other than PostgreSQL answers on
    host:port" if what listens there does not answer PostgreSQL's SSL request as PostgreSQL
    does (one byte, S or N), else ``None``."""
    if not any(words in str(exc).lower() for words in _HANDSHAKE_ERRORS):
        return None
    where = (server.host, server.port)
    probed = {} if probed is None else probed
    if where not in probed:
        probed[where] = _probe(server.host, server.port, max(1.0, min(timeout, 3.0)))
    return probed[where]


def _probe(host: str, port: int, timeout: float) -> str | None:
    import socket

    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(_SSL_REQUEST)
            answer = sock.recv(64)
    except TimeoutError:
        answer = None
    except OSError:
        return None  # nothing accepts: not this question
    if answer in (b"S", b"N") or answer == b"":
        return None
    fix = (
        "Point the profile (url, TEST_DATABASE_URL or host_port) at the PostgreSQL server, or "
        "stop what uses the port"
    )
    if answer is None:  # silence: a stalled PostgreSQL says nothing either
        return (
            f"{_SILENT} answers on {host}:{port} (it accepted the connection but sent nothing "
            f"back to PostgreSQL's SSL request in {timeout:g} s). {fix}"
        )
    return (
        f"something other than PostgreSQL answers on {host}:{port} (it answered "
        f"{answer[:40]!r} to PostgreSQL's SSL request). {fix}"
    )


_SERVER_ERROR = re.compile(r"\b(?:FATAL|PANIC):\s+(.*)")


def _first_fatal(log: str) -> str | None:
    for line in log.splitlines():
        match = _SERVER_ERROR.search(line)
        if match:
            return line[match.start() :].strip()
    return None


def check_major(server: ServerInfo, profile: Profile, *, fix: str) -> None:
    """Raise :class:`VersionMismatchError` when the server is not of the major the profile
    asks for (``fix`` says how to get one that is)."""
    asked = profile.version
    if asked is None or server.major in (None, asked):
        return
    raise VersionMismatchError(
        f"PostgreSQL {asked} was asked for (version from {profile.source_of('version')}), but "
        f"the server at {server.safe_url} is {server.version} (server_version_num "
        f"{server.version_num}): {fix}, or ask for {server.major} (--db-version "
        f"{server.major} or PGTDD_PG_VERSION={server.major})"
    )


def _failure(
    server: ServerInfo,
    exc: BaseException,
    policy: RetryPolicy,
    logs: Callable[[], str] | None,
    exited: bool = False,
    head: str | None = None,
) -> str:
    cause = redact(str(exc).strip(), server.password)
    tail = redact(logs(), server.password).strip() if logs is not None else ""
    fatal = _first_fatal(tail) if exited else None
    message = f"PostgreSQL at {server.safe_url} is not usable: {cause}"
    if fatal is not None:
        message = f"PostgreSQL exited at start: {fatal}\n{message}"
    elif head is not None:
        message = f"{head}\n{message}"
    kind = _permanent_kind(exc)
    fix = "in the profile or in TEST_DATABASE_URL"
    if kind == "password":
        message += (
            f"\nThe password for user {server.user!r} was rejected: check the password {fix}."
        )
    elif kind == "database":
        message += f"\nDatabase {server.database!r} does not exist: check the database name {fix}."
    elif kind == "role":
        message += f"\nRole {server.user!r} may not log in: check the user {fix}."
    elif fatal is None and (head is None or head.startswith(_SILENT)):
        message += f"\n(retried transient faults for up to {policy.deadline:g}s: retry.deadline)"
    if logs is not None:
        message += "\n--- server log (last lines) ---\n" + (tail or "(empty)")
    return message


def _permanent_kind(exc: BaseException) -> str | None:
    """Which credential a connection error blames (libpq reports no SQLSTATE before login)."""
    sqlstate = getattr(exc, "sqlstate", None)
    text = str(exc)
    if sqlstate == "28P01" or "password authentication failed" in text:
        return "password"
    if sqlstate == "3D000" or ("database" in text and "does not exist" in text):
        return "database"
    if sqlstate == "28000" or ("role" in text and "does not exist" in text):
        return "role"
    return None


def normalise(value: str) -> str:
    """Canonical text of a setting value for comparison (``true``/``on``, case)."""
    text = value.strip().strip("'\"").lower()
    return _BOOL_WORDS.get(text, text)


def read_version_and_settings(
    conn: psycopg.Connection[tuple[Any, ...]], names: list[str]
) -> tuple[str, int, dict[str, str]]:
    """One query: ``server_version``, ``server_version_num`` and each named setting."""
    row = conn.execute(
        "SELECT current_setting('server_version'), "
        "current_setting('server_version_num')::int, "
        "ARRAY(SELECT current_setting(name) FROM unnest(%s::text[]) WITH ORDINALITY"
        " AS t(name, i) ORDER BY i)",
        (names,),
    ).fetchone()
    if row is None:
        return "", 0, {}
    return str(row[0]), int(row[1]), dict(zip(names, map(str, row[2]), strict=True))


def read_settings(server: ServerInfo, names: list[str]) -> dict[str, str]:
    """``SHOW`` each setting on the server; return name -> reported value."""
    if not names:
        return {}
    with psycopg.connect(server.url, autocommit=True, connect_timeout=connect_timeout()) as conn:
        rows = conn.execute(
            "SELECT name, current_setting(name) FROM unnest(%s::text[]) AS name", (names,)
        ).fetchall()
    return {str(name): str(value) for name, value in rows}


def verify_settings(
    server: ServerInfo,
    expected: Mapping[str, str],
    *,
    external: bool = False,
    actual: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Check every expected setting took effect; raise naming those that did not.

    ``external``: the server is not pgtdd's to configure, so the fix is on the server.
    ``actual``: the values already read (else read now)."""
    actual = dict(actual) if actual is not None else read_settings(server, list(expected))
    wrong = {
        name: f"{actual.get(name)!r} (profile says {want!r})"
        for name, want in expected.items()
        if normalise(actual.get(name, "")) != normalise(want)
    }
    if wrong:
        details = "; ".join(f"{name} = {value}" for name, value in wrong.items())
        fix = (
            "Set them on that server (ALTER SYSTEM or its postgresql.conf), or remove them from "
            "the profile's server_settings"
            if external
            else "Fix the profile's server_settings (units as SHOW prints them, e.g. 128MB)"
        )
        raise SettingsNotAppliedError(
            f"server at {server.safe_url} runs, but these profile settings did not take effect: "
            f"{details}. {fix}."
        )
    return actual
