"""Readiness: a real connection and ``SELECT 1``, retried under the profile's policy."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import psycopg

from pgtdd.config.profile import RetryPolicy
from pgtdd.config.settings import connect_timeout
from pgtdd.redact import redact
from pgtdd.retry import is_transient, retrying
from pgtdd.server import ServerInfo

_BOOL_WORDS = {"true": "on", "yes": "on", "1": "on", "false": "off", "no": "off", "0": "off"}


class ServerStartError(RuntimeError):
    """The server did not become ready; the message carries the cause and the server's log."""


class SettingsNotAppliedError(ServerStartError):
    """The server runs, but some profile settings did not take effect."""


def wait_until_ready(
    server: ServerInfo,
    policy: RetryPolicy,
    *,
    connect_timeout: float,
    logs: Callable[[], str] | None = None,
    alive: Callable[[], bool] | None = None,
) -> str:
    """Poll until a real connection runs ``SELECT 1``; return ``server_version``.

    Transient faults are retried until ``policy.deadline``; a permanent one (wrong password,
    unknown database) stops at once, and so does any fault once ``alive()`` says the server
    process is gone (it exited at start: nothing will answer). The raised error names the
    cause and ends with the server's last log lines when ``logs`` is given.
    """

    probed: dict[tuple[str, int], str | None] = {}  # asked once per wait

    def transient(exc: BaseException) -> bool:
        answer = foreign_answer(server, exc, connect_timeout, probed)
        if answer is not None and not answer.startswith(_SILENT):
            return False  # something other than PostgreSQL answers: waiting will not help
        return is_transient(exc) and (alive is None or alive())

    def attempt() -> str:
        timeout = max(1, round(connect_timeout))
        with psycopg.connect(server.url, connect_timeout=timeout, autocommit=True) as conn:
            conn.execute("SELECT 1")
            row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else ""

    try:
        return retrying(policy, transient=transient)(attempt)
    except (psycopg.Error, OSError) as exc:
        exited = alive is not None and not alive()
        head = foreign_answer(server, exc, connect_timeout, probed)
        raise ServerStartError(_failure(server, exc, policy, logs, exited, head)) from exc


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


def read_settings(server: ServerInfo, names: list[str]) -> dict[str, str]:
    """``SHOW`` each setting on the server; return name -> reported value."""
    if not names:
        return {}
    with psycopg.connect(server.url, autocommit=True, connect_timeout=connect_timeout()) as conn:
        rows = conn.execute(
            "SELECT name, current_setting(name) FROM unnest(%s::text[]) AS name", (names,)
        ).fetchall()
    return {str(name): str(value) for name, value in rows}


def verify_settings(server: ServerInfo, expected: Mapping[str, str]) -> dict[str, str]:
    """Check every expected setting took effect; raise naming those that did not."""
    actual = read_settings(server, list(expected))
    wrong = {
        name: f"{actual.get(name)!r} (profile says {want!r})"
        for name, want in expected.items()
        if normalise(actual.get(name, "")) != normalise(want)
    }
    if wrong:
        details = "; ".join(f"{name} = {value}" for name, value in wrong.items())
        raise SettingsNotAppliedError(
            f"server at {server.safe_url} runs, but these profile settings did not take effect: "
            f"{details}. Fix the profile's server_settings (units as SHOW prints them, e.g. 128MB)."
        )
    return actual
