"""The session's server: provisioned once (or received from the xdist controller), its test
database prepared, its connection budget checked, everything released once at the end."""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pgtdd import loss
from pgtdd.config.profile import PROFILE_DIR
from pgtdd.config.settings import Settings, connect_timeout
from pgtdd.databases.guard import ensure_profile_target, ensure_test_database
from pgtdd.databases.janitor import FREE_CONNECTIONS, DatabaseJanitor
from pgtdd.databases.session_db import RunIdentity, SchemaSource, SessionDatabases
from pgtdd.lazy import lazy_module
from pgtdd.log import get_logger
from pgtdd.providers.base import Provider, make_provider
from pgtdd.redact import redact
from pgtdd.serverinfo import ServerInfo

# psycopg loads when this layer first connects, not with the pytest plugin.
if TYPE_CHECKING:
    import psycopg
else:
    psycopg = lazy_module("psycopg")

log = get_logger(__name__)

# Connections the framework itself may hold besides the pools: janitor, checks, a margin.
RESERVED_CONNECTIONS = 3


class ConnectionBudgetError(RuntimeError):
    """Pools times workers would exceed the server's ``max_connections``."""


class NothingRunningError(RuntimeError):
    """``start_server(running_only=True)`` found no running server to use."""


def server_to_wire(server: ServerInfo) -> dict[str, Any]:
    """A ``ServerInfo`` as plain data for xdist's ``workerinput``."""
    return dataclasses.asdict(server)


def server_from_wire(data: Mapping[str, Any]) -> ServerInfo:
    """The inverse of :func:`server_to_wire`."""
    fields = dict(data)
    fields["notes"] = tuple(fields.get("notes", ()))
    return ServerInfo(**fields)


def check_connection_budget(
    server: ServerInfo,
    pool_max: int,
    workers: int,
    *,
    max_connections: int = 0,
    max_connections_source: str = "default",
    janitor: DatabaseJanitor | None = None,
) -> int:
    """Raise before any test runs when ``workers`` pools of ``pool_max`` cannot fit in the
    server's free connections, or in ``max_connections`` (``pool.max_connections``, set by
    ``DATAFLOW_TDD_MAX_CONNECTIONS``; 0: no limit of pgtdd's own). Returns the room found.

    ``janitor``: ask through the session's maintenance connection (else a connection of its
    own to the server's database)."""
    if janitor is not None:
        available = janitor.free_connections()
    else:
        with psycopg.connect(
            server.url, autocommit=True, connect_timeout=connect_timeout()
        ) as conn:
            row = conn.execute(FREE_CONNECTIONS).fetchone()
        available = int(row[0]) if row else 0
    needed = workers * (pool_max + RESERVED_CONNECTIONS)
    usage = f"{workers} worker(s) x (pool.max_size {pool_max} + {RESERVED_CONNECTIONS} reserved)"
    if max_connections and needed > max_connections:
        raise ConnectionBudgetError(
            f"{usage} = {needed} connections, over pool.max_connections = {max_connections} "
            f"({max_connections_source}). Lower pool.max_size or -n, or raise "
            "pool.max_connections (DATAFLOW_TDD_MAX_CONNECTIONS)."
        )
    if needed > available:
        raise ConnectionBudgetError(
            f"{usage} = {needed} connections, but the server has {available} free (max_connections "
            "minus reserved and in use). Lower pool.max_size or -n, or raise max_connections "
            "in the profile's server_settings."
        )
    return min(available, max_connections) if max_connections else available


def probe_of(provider: Provider | None) -> loss.Probe | None:
    """The provider's ``health`` (are you still alive, and if not why), when it has one."""
    health = getattr(provider, "health", None)
    return health if callable(health) else None


def start_server(settings: Settings, *, running_only: bool = False) -> tuple[Provider, ServerInfo]:
    """Start the profile's server behind the test-database guard; the caller stops the provider.

    An external profile's target is checked before anything connects; the started server is
    registered with the guard, so pools opened on it later by URL are allowed. The profile's
    ``timeouts.startup`` bounds the whole start (image, container or cluster, readiness).
    ``running_only``: only a server the provider finds running (:class:`NothingRunningError`
    when there is none): nothing is started.
    """
    from pgtdd.providers.readiness import bounded_start  # with the provider: on first start

    ensure_profile_target(settings)
    provider = make_provider(settings.profile)
    with bounded_start(settings.profile):  # timeouts.startup: the whole start
        found = provider.find_running() if running_only else provider.start()
    if found is None:
        raise NothingRunningError(f"no running server for profile {settings.profile.name}")
    server = found
    try:
        ensure_test_database(server, settings)
    except BaseException:
        provider.stop()
        raise
    return provider, server


class ServerManager:
    """Starts the session's server on first need and stops it once at the end.

    ``worker`` is the xdist worker id (``gw0``...) or ``None``; ``attached`` is the server the
    xdist controller provisioned, which a worker uses instead of starting its own.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        rootpath: Path,
        extra_schema: tuple[str, ...] = (),
        schema_base: Path | None = None,
        worker: str | None = None,
        run_id: str | None = None,
        attached: ServerInfo | None = None,
        workers: int = 1,
    ) -> None:
        self.settings = settings
        self.rootpath = rootpath
        self.extra_schema = extra_schema
        self.schema_base = schema_base or rootpath
        self.schema_note = ""  # what the header says about the schema (template, cached)
        self.extra_sources: Sequence[Any] = ()  # given at run time (a pgtdd_schema fixture)
        self.worker = worker
        self.run_id = (run_id or uuid.uuid4().hex)[:8]
        self.attached = attached
        self.workers = workers
        self.provider: Provider | None = None
        self.server: ServerInfo | None = None  # the server as provisioned
        self.session: ServerInfo | None = None  # seen through the session's database
        self.databases: SessionDatabases | None = None
        self.janitor: DatabaseJanitor | None = None  # the maintenance connection, on a
        # server pgtdd provisioned (an external one may have no `postgres` database)
        self.error: BaseException | None = None
        self.start_seconds = 0.0
        self.announced = False
        self.restarts = 0
        self._prefetch: threading.Thread | None = None

    def prefetch(self) -> None:
        """Look for the profile's running reusable server in the background while pytest
        collects (the TDD inner loop: a reused server is ready when the first test needs it).
        Nothing is started: without a running server the first need starts it as ever. A
        failure other than that is kept and raised where :meth:`provision` would raise it."""
        if self.server is not None or self.error is not None or self.attached is not None:
            return
        self._prefetch = threading.Thread(
            target=self._provision, kwargs={"running_only": True}, name="pgtdd-prefetch"
        )
        self._prefetch.daemon = True  # an interpreter exiting on an error does not wait
        self._prefetch.start()

    @staticmethod
    def _janitor_for(server: ServerInfo, provider: Provider) -> DatabaseJanitor | None:
        """The session's maintenance connection: the provider's own when it kept one (to the
        server's database), else one to ``postgres``; none on an external server."""
        handed = provider.take_connection()
        if handed is not None:
            return DatabaseJanitor(server, server.database, connection=handed)
        return DatabaseJanitor(server) if server.provider != "external" else None

    def _wait_prefetch(self) -> None:
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is not None:
            prefetch.join()

    def provision(self) -> ServerInfo:
        """The provisioned server (started now if needed); a failed start is raised again."""
        self._wait_prefetch()
        if self.server is None and self.error is None:
            self._provision()
        if self.error is not None:
            raise self.error
        assert self.server is not None
        return self.server

    def _provision(self, *, running_only: bool = False) -> None:
        """Start (or find) the server; a failure is kept in ``error`` (``running_only`` and
        nothing running: no server and no error)."""
        started = time.perf_counter()
        try:
            if self.attached is None:
                self.provider, self.server = start_server(self.settings, running_only=running_only)
                self.janitor = self._janitor_for(self.server, self.provider)
                profile = self.settings.profile
                check_connection_budget(
                    self.server,
                    profile.pool.max_size,
                    self.workers,
                    max_connections=profile.pool.max_connections,
                    max_connections_source=profile.source_of("pool.max_connections"),
                    janitor=self.janitor,
                )
            else:
                self.server = self.attached
                ensure_test_database(self.server, self.settings)
                if self.server.provider != "external":
                    self.janitor = DatabaseJanitor(self.server)
        except NothingRunningError:
            return
        except BaseException as exc:  # noqa: BLE001 - kept, and raised by provision()
            self.error, self.server = exc, None
            self._release()
            return
        finally:
            self.start_seconds = time.perf_counter() - started
        server = self.server
        assert server is not None
        log.info(
            "PostgreSQL %s ready at %s in %.2f s (profile %s)",
            server.version,
            server.safe_url,
            self.start_seconds,
            self.settings.profile.name,
        )

    def get(self, extra: Sequence[Any] = ()) -> ServerInfo:
        """The server seen through this session's test database.

        ``extra`` are schema entries given at run time (a ``pgtdd_schema`` fixture), loaded
        after the profile's and the ini's (and again after a restart).
        """
        if self.session is not None:
            return self.session
        server = self.provision()
        self.extra_sources = tuple(extra) or self.extra_sources
        try:
            sources = self.schema_sources(self.extra_sources)
            if sources or self.worker is not None or self.settings.profile.reuse:
                identity = RunIdentity(self.run_id, self.worker or "main")
                self.databases = SessionDatabases(
                    server, identity, sources, str(self.rootpath), janitor=self.janitor
                )
                self.session = self.databases.prepare()
                self.schema_note = self.databases.describe()
            else:
                self.session = server
                self._close_janitor()  # no clone to drop at the end: no connection to keep
        except BaseException as exc:
            self.error = exc
            raise
        profile = self.settings.profile
        loss.watch(
            server,
            probe_of(self.provider),
            mode=profile.on_server_loss,
            source=profile.source_of("on_server_loss"),
            owner=id(self),
        )
        return self.session

    def restart(self) -> ServerInfo:
        """Provision a new server after the session's was lost (``on_server_loss: restart``):
        the dead one is removed, the template is built again from the schema sources, and
        this process gets a new clone. An xdist worker provisions a server of its own."""
        lost = loss.current()
        databases, self.databases = self.databases, None  # on the lost server: no drop
        if databases is not None:
            with contextlib.suppress(psycopg.Error, OSError):
                databases.janitor.close()
        self._close_janitor()
        self.janitor = None
        provider, self.provider = self.provider, None
        if provider is not None:
            provider.stop()
        self.server = self.session = self.attached = None
        self.error = None
        self.restarts += 1
        server = self.get()
        loss.restarted(lost.state.what if lost is not None else "server lost")
        return server

    def schema_sources(self, extra: Sequence[Any] = ()) -> list[SchemaSource]:
        """The profile's ``schema`` entries, then the ini's, then ``extra``, as sources."""
        profile = self.settings.profile
        if not (profile.schema or self.extra_schema or extra):
            return []  # the common case, without loading the schema layer (~2 ms)
        from pgtdd.schema import sources_of

        builtin = profile.path.parent == PROFILE_DIR
        base = self.rootpath if builtin else profile.path.parent
        layout = profile.migrations_layout
        return [
            *sources_of(profile.schema, base, layout=layout),
            *sources_of(self.extra_schema, self.schema_base, layout=layout),
            *sources_of(extra, self.schema_base, layout=layout),
        ]

    def build_template(self) -> str:
        """Build (or find) the schema template without cloning it, for the xdist controller:
        its workers then find it ready. Returns what the header says about it."""
        server = self.provision()
        sources = self.schema_sources()
        if not sources:
            return ""
        identity = RunIdentity(self.run_id, "controller")
        databases = SessionDatabases(
            server, identity, sources, str(self.rootpath), janitor=self.janitor
        )
        try:
            databases.build_template()
            self.schema_note = databases.describe()
        finally:
            databases.janitor.close()
        return self.schema_note

    def stop(self, *, wait: bool = True) -> None:
        """Drop the session's clone and release the server (idempotent).

        ``wait=False`` (the session's end) lets the provider finish the removal after this
        returns: the container provider's watchdog removes the container as the process exits.
        """
        self._wait_prefetch()
        try:
            self._drop_databases()
        finally:
            self._release(wait=wait)

    def _release(self, *, wait: bool = True) -> None:
        self._close_janitor()
        provider, self.provider = self.provider, None
        if provider is not None:
            if wait:
                provider.stop()
            else:
                provider.release()

    def _close_janitor(self) -> None:
        if self.janitor is not None:
            with contextlib.suppress(psycopg.Error, OSError):
                self.janitor.close()

    def _drop_databases(self) -> None:
        # A server that died mid-run (or a clone still in use) must not turn the session's end
        # into a traceback: say so; the container is still removed, and the next run's sweep
        # drops a clone left behind on a server that lives on.
        databases, self.databases = self.databases, None
        if databases is None:
            return
        if loss.current() is not None:  # the server is gone or paused: ask it nothing
            with contextlib.suppress(psycopg.Error, OSError):
                databases.janitor.close()
            return
        try:
            databases.cleanup()
        except psycopg.OperationalError as exc:
            sys.stderr.write(
                f"pgtdd: could not drop this run's database {databases.identity.database} "
                "(the next run's sweep drops it): "
                f"{redact(str(exc)).strip()}\n"
            )
