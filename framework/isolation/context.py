"""TDD configuration, errors and the per-test context (``TDDTestContext``).

Public names are re-exported by :mod:`pgtdd.tdd_support`.
"""

from __future__ import annotations

import math
import os
import re
import secrets
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from pgtdd.config.profile import Profile
from pgtdd.config.settings import current_or_resolved
from pgtdd.isolation.checks import TransactionOutcome

DEFAULT_DATABASE_URL = (
    "postgresql://dataflow_test:dataflow_test_password@localhost:5433/dataflow_test"
)
TRUE_VALUES = frozenset({"true", "yes", "1", "on", "enabled"})
ISOLATION_LEVELS = ("READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE")
_SAVEPOINT_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


# --------------------------------------------------------------------------- errors


class TDDError(RuntimeError):
    """Base of every error the TDD infrastructure raises."""


class TDDInfrastructureError(TDDError):
    """The TDD infrastructure could not start, stop or be used (the cause is chained)."""


class SavepointError(TDDError):
    """A transaction or savepoint operation failed or was used in the wrong state."""


class ConnectionPoolExhaustedError(TDDError):
    """No pool connection became free within the acquire timeout."""


class TDDIsolationError(TDDError):
    """A test broke its isolation (ended its transaction); raised by the after-test check."""


class TDDIsolationWarning(UserWarning):
    """A test left something behind that pgtdd cleaned up (failed transaction, connections)."""


# --------------------------------------------------------------------------- configuration


def is_tdd_mode() -> bool:
    """Whether ``DATAFLOW_TDD_MODE`` is true/yes/1/on/enabled (any case, spaces ignored)."""
    return os.environ.get("DATAFLOW_TDD_MODE", "").strip().lower() in TRUE_VALUES


_session_url: str | None = None


def set_session_database_url(url: str | None) -> None:
    """Set (or clear) the session database's URL that ``initialize()`` uses by default.

    The pgtdd plugin calls this with the ``pgtdd_server`` URL (this worker's database).
    """
    global _session_url
    _session_url = url


def session_database_url() -> str | None:
    """The session database's URL while a pgtdd session runs, else ``None``."""
    return _session_url


def resolve_database_url(explicit: str | None = None) -> str:
    """``explicit``, else the session server, else ``TEST_DATABASE_URL``, else the default."""
    return explicit or _session_url or os.environ.get("TEST_DATABASE_URL") or DEFAULT_DATABASE_URL


def _profile() -> Profile:
    return current_or_resolved().profile


def configured_pool_size() -> int:
    """The session pool's size: the profile's ``pool.max_size`` (``DATAFLOW_TDD_POOL_SIZE``
    sets it)."""
    return _profile().pool.max_size


def configured_acquire_timeout() -> float:
    """Seconds a test waits for a pool connection: the profile's ``pool.acquire_timeout``."""
    return float(_profile().pool.acquire_timeout)


def configured_timeout() -> int:
    """A context's default statement timeout in seconds (0: none): the profile's
    ``timeouts.statement`` (``DATAFLOW_TDD_TIMEOUT`` sets it)."""
    return math.ceil(_profile().timeouts.statement)


# Seconds the client waits beyond timeouts.statement before it gives up on a silent server:
# the server's own statement_timeout fires first whenever the server runs at all.
CLIENT_TIMEOUT_MARGIN = 5.0


def client_timeout(statement_seconds: float | None = None) -> float | None:
    """The client-side limit of one statement: ``timeouts.statement`` (or the context's
    ``statement_seconds``) plus :data:`CLIENT_TIMEOUT_MARGIN`; ``None`` when it is 0 (off)."""
    seconds = _profile().timeouts.statement if statement_seconds is None else statement_seconds
    return None if seconds <= 0 else float(seconds) + CLIENT_TIMEOUT_MARGIN


def configured_connect_timeout() -> float:
    """Seconds one connection attempt may take: the profile's ``timeouts.connect``."""
    return float(_profile().timeouts.connect)


def setting_source(key: str) -> str:
    """``timeouts.statement (profiles/ci.yaml:9)``: a profile key and where its value came
    from, for messages that tell how to change it."""
    return f"{key} ({_profile().source_of(key)})"


def normalize_isolation_level(level: str) -> str:
    """``"read_committed"`` -> ``"READ COMMITTED"``; anything unknown raises ``ValueError``."""
    normal = " ".join(level.replace("_", " ").upper().split())
    if normal not in ISOLATION_LEVELS:
        raise ValueError(
            f"unknown isolation level {level!r}; use one of {', '.join(ISOLATION_LEVELS)}"
        )
    return normal


def validate_savepoint_name(name: str) -> str:
    """Return ``name`` if it is a lower-case SQL identifier of at most 63 characters."""
    if not _SAVEPOINT_NAME.match(name):
        raise ValueError(
            f"invalid savepoint name {name!r}: use lower-case letters, digits and '_', "
            "starting with a letter or '_', at most 63 characters"
        )
    return name


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(6)}"


# --------------------------------------------------------------------------- the context


@dataclass
class ContextMetrics:
    """Measured timings of one context (milliseconds)."""

    setup_time_ms: float = 0.0
    acquisition_time_ms: float = 0.0
    teardown_time_ms: float | None = None
    preheated_connection: bool = False
    queries: int = 0


class TDDTestContext:
    """One test's isolation: its connection, transaction settings and savepoints.

    ``test_id`` and ``savepoint_name`` are generated when not given (``tdd_<12 hex>``,
    ``sp_<12 hex>``); ``timeout`` (seconds) becomes the transaction's ``statement_timeout``
    and defaults to ``DATAFLOW_TDD_TIMEOUT``. ``rollback_on_error``: when the context recorded
    an error, ``end_test_transaction(..., rollback=False)`` rolls back instead of committing.
    """

    def __init__(
        self,
        test_id: str | None = None,
        isolation_level: str = "READ COMMITTED",
        timeout: int | None = None,
        rollback_on_error: bool = True,
        savepoint_name: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.test_id: str = test_id or _new_id("tdd")
        self.isolation_level: str = normalize_isolation_level(isolation_level)
        self.timeout: int = configured_timeout() if timeout is None else int(timeout)
        if self.timeout < 0:
            raise ValueError(f"timeout must be >= 0 seconds (0 disables it), got {timeout}")
        self.rollback_on_error: bool = rollback_on_error
        self.savepoint_name: str = validate_savepoint_name(savepoint_name or _new_id("sp"))
        self.connection: Any | None = None
        self.savepoint_created: bool = False
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.metrics = ContextMetrics()
        self.error: BaseException | None = None
        self.outcome: TransactionOutcome | None = None
        self.commit_guarded: bool = False
        self.parent: TDDTestContext | None = None
        self.owner: TDDTestContext | None = None
        self.savepoints: list[str] = []

    def is_within(self, other: TDDTestContext) -> bool:
        """Whether this context was opened (directly or not) while ``other`` was active."""
        seen = self.owner
        while seen is not None:
            if seen is other:
                return True
            seen = seen.owner
        return False

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(test_id={self.test_id!r}, "
            f"isolation_level={self.isolation_level!r}, timeout={self.timeout}, "
            f"savepoint_name={self.savepoint_name!r}, connected={self.connection is not None})"
        )


_CURRENT: ContextVar[TDDTestContext | None] = ContextVar("pgtdd_tdd_context", default=None)


def current_tdd_context() -> TDDTestContext | None:
    """The context active in this task (each asyncio task sees only its own)."""
    return _CURRENT.get()
