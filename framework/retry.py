"""Retry and wait policies, defined once: which errors are transient, how long to keep trying.

* :func:`retrying` / :func:`async_retrying`: tenacity policies that retry only the errors a
  predicate calls transient, bounded by a deadline or a number of attempts;
* :func:`poll_until` / :func:`apoll_until`: wait for a condition, bounded by a deadline.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import psycopg
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
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


def async_retrying(
    attempts: int,
    transient: Callable[[BaseException], bool],
    *,
    first_wait: float = 0.05,
    max_wait: float = 1.0,
) -> AsyncRetrying:
    """An asyncio tenacity policy: ``attempts`` tries, exponential back-off, only ``transient``
    errors retried; the last error is re-raised unchanged."""
    return AsyncRetrying(
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=first_wait, max=max_wait),
        retry=retry_if_exception(transient),
        reraise=True,
    )


def poll_until(check: Callable[[], T | None], timeout: float, interval: float) -> T | None:
    """Call ``check`` every ``interval`` seconds until it returns something other than None
    (returned) or ``timeout`` seconds pass (None). ``check`` runs at least once."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found is not None or time.monotonic() >= deadline:
            return found
        time.sleep(interval)


async def apoll_until(
    check: Callable[[], Awaitable[T | None]], timeout: float, interval: float
) -> T | None:
    """:func:`poll_until` for a coroutine ``check``, sleeping without blocking the loop."""
    deadline = time.monotonic() + timeout
    while True:
        found = await check()
        if found is not None or time.monotonic() >= deadline:
            return found
        await asyncio.sleep(interval)
