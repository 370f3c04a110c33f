"""The session's client connections: opened once, one test at a time each, replaced when a
test left one unusable; and the session database's escape log, installed once."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg

from pgtdd.clients.connection import PgtddConnection
from pgtdd.clients.transaction import (
    CONNECT_OPTIONS,
    ClientTest,
    begin,
    end,
    prepare_connection,
    report,
)
from pgtdd.config.settings import current_or_resolved
from pgtdd.databases.escapes import Installed, ensure_at
from pgtdd.isolation.checks import CheckResult
from pgtdd.redact import mask_url, redact
from pgtdd.serverinfo import ServerInfo


def connect_timeout() -> int:
    """libpq's ``connect_timeout`` from the profile's ``timeouts.connect`` (at least 2 s)."""
    return max(2, math.ceil(current_or_resolved().profile.timeouts.connect))


def connect_kwargs(application_name: str) -> dict[str, Any]:
    """Keyword arguments of every client connection pgtdd opens for tests."""
    return {
        "options": CONNECT_OPTIONS,
        "application_name": application_name,
        "connect_timeout": connect_timeout(),
    }


@dataclass(frozen=True)
class EscapeLog:
    """Whether the session database has the escape log, and what it covers."""

    installed: Installed | None
    error: str = ""

    @property
    def on(self) -> bool:
        """True when after-test checks can read the log."""
        return self.installed is not None


def install_escape_log(server: ServerInfo) -> EscapeLog:
    """The escape log on the session database (installed or brought up to date once)."""
    try:
        return EscapeLog(ensure_at(server))
    except psycopg.Error as exc:
        return EscapeLog(None, redact(str(exc)).strip())


class ConnectionSlot:
    """psycopg connections to one database, each serving one test at a time."""

    def __init__(
        self,
        server: ServerInfo,
        *,
        application_name: str = "pgtdd-psycopg",
        cursor_factory: type[psycopg.Cursor[Any]] | None = None,
    ) -> None:
        self.server = server
        self.application_name = application_name
        self.cursor_factory = cursor_factory
        self._free: list[PgtddConnection] = []
        self._busy: list[PgtddConnection] = []

    def acquire(self) -> PgtddConnection:
        """An idle connection of the slot, opened now if none is free."""
        while self._free:
            conn = self._free.pop()
            if not (conn.closed or conn.broken):
                self._busy.append(conn)
                return conn
        try:
            kwargs = connect_kwargs(self.application_name)
            if self.cursor_factory is not None:
                kwargs["cursor_factory"] = self.cursor_factory
            conn = PgtddConnection.connect(self.server.url, **kwargs)
        except psycopg.OperationalError as exc:
            raise psycopg.OperationalError(
                f"pgtdd could not open a test connection to {mask_url(self.server.url)}: "
                f"{redact(str(exc)).strip()}"
            ) from None
        prepare_connection(conn)
        self._busy.append(conn)
        return conn

    def release(self, conn: PgtddConnection, *, discard: bool = False) -> None:
        """Give ``conn`` back (closed instead when ``discard`` or unusable)."""
        if conn in self._busy:
            self._busy.remove(conn)
        if discard or conn.closed or conn.broken:
            conn.pgtdd_scope = None
            with contextlib.suppress(psycopg.Error):
                conn.close()
            return
        self._free.append(conn)

    @contextlib.contextmanager
    def test(self, test: ClientTest, failed: Any = None) -> Iterator[PgtddConnection]:
        """A connection inside ``test``'s transaction; rolled back and checked at exit.

        ``failed`` is a callable telling whether the test itself failed (then a failed
        transaction it left is not also warned about).
        """
        conn = self.acquire()
        try:
            begin(conn, test)
        except BaseException:
            self.release(conn, discard=True)
            raise
        result = CheckResult(discard_connection=True)
        body_error: BaseException | None = None
        try:
            yield conn
        except BaseException as exc:
            body_error = exc
            raise
        finally:
            try:
                has_failed = body_error is not None or bool(failed and failed())
                result = end(conn, test, test_failed=has_failed)
            finally:
                self.release(conn, discard=result.discard_connection)
            report(result, body_error)

    def close(self) -> None:
        """Close every connection of the slot."""
        for conn in [*self._free, *self._busy]:
            conn.pgtdd_scope = None
            with contextlib.suppress(psycopg.Error):
                conn.close()
        self._free.clear()
        self._busy.clear()
