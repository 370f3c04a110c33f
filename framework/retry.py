"""Retry policies, defined once: which errors are transient, how long to keep trying."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import TypeVar

import psycopg
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_delay,
    wait_exponential,
)

from pgtdd.config.profile import RetryPolicy

T = TypeVar("T")

# SQLSTATEs a starting or restarting server answers with: cannot_connect_now, too many clients
# (transiently, while other sessions close), admin_shutdown, crash_shutdown.
TRANSIENT_SQLSTATES = frozenset({"57P03", "53300", "57P01", "57P02"})
_TRANSIENT_TEXT = (
    "connection refused",
    "the database system is starting up",
    "the database system is shutting down",
    "server closed the connection unexpectedly",
    "connection reset",
    "could not receive data",
    "no route to host",
    "timeout expired",
    "is the server running",
    "consuming input failed",
    "server conn crashed",
    "eof detected",
    "ssl syscall error",
)


def is_transient(exc: BaseException) -> bool:
    """True for faults a server that is still starting (or briefly unreachable) produces.

    Wrong passwords, unknown databases and SQL errors are permanent and never retried.
    """
    if isinstance(
        exc, ConnectionRefusedError | ConnectionResetError | socket.timeout | TimeoutError
    ):
        return True
    sqlstate = getattr(exc, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in TRANSIENT_SQLSTATES
    if isinstance(exc, psycopg.OperationalError | OSError):
        text = str(exc).lower()
        return any(fragment in text for fragment in _TRANSIENT_TEXT)
    return False


def retrying(
    policy: RetryPolicy,
    *,
    deadline: float | None = None,
    transient: Callable[[BaseException], bool] = is_transient,
    before_sleep: Callable[[RetryCallState], None] | None = None,
) -> Retrying:
    """A tenacity ``Retrying`` that retries only ``transient`` errors until the deadline.

    Exponential back-off from ``policy.initial_wait`` up to ``policy.max_wait``; when the
    deadline passes the last error is re-raised unchanged (``reraise=True``).
    """
    return Retrying(
        retry=retry_if_exception(transient),
        stop=stop_after_delay(policy.deadline if deadline is None else deadline),
        wait=wait_exponential(
            multiplier=policy.initial_wait, min=policy.initial_wait, max=policy.max_wait
        ),
        reraise=True,
        before_sleep=before_sleep,
    )
