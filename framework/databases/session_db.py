"""The session database: the profile's database, or a clone of a schema template per run/worker.

A template is built once per content key (the schema sources' contents + server version +
settings + pgtdd's escape log), under an advisory lock, published by rename, and reused by later
sessions on the same (reused) server. Each run (and each xdist worker) then gets its own clone,
named by run, and dropped at the end.

A schema source is anything with a ``label``, a content ``key()`` and ``apply(server)``: SQL
files here, and in :mod:`pgtdd.schema` migration folders, Alembic, SQLAlchemy ``MetaData`` and
callables.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pgtdd.config.settings import connect_timeout
from pgtdd.databases import escapes
from pgtdd.databases.janitor import DatabaseJanitor, owner_comment, validate_database_name
from pgtdd.databases.sweep import lock_key, sweep_half_made, template_comment
from pgtdd.lazy import lazy_module
from pgtdd.providers.ownership import owner_alive
from pgtdd.serverinfo import ServerInfo

# psycopg loads when this layer first connects, not with the pytest plugin.
if TYPE_CHECKING:
    import psycopg
else:
    psycopg = lazy_module("psycopg")

TEMPLATE_PREFIX = "pgtdd_tpl_"
RUN_PREFIX = "pgtdd_run_"


class SchemaError(RuntimeError):
    """A schema source is missing, not understood, or does not apply."""


@runtime_checkable
class SchemaSource(Protocol):
    """Something that puts the user's schema into a (template) database."""

    @property
    def label(self) -> str:
        """What the header names it by."""
        ...

    def key(self) -> bytes:
        """Everything that makes what :meth:`apply` creates (a change rebuilds the template)."""
        ...

    def apply(self, server: ServerInfo) -> None:
        """Create the schema in ``server``'s database; raise :class:`SchemaError` naming why."""
        ...


@dataclass(frozen=True)
class SqlFile:
    """One SQL file, run in one transaction."""

    path: Path

    @property
    def label(self) -> str:
        """``SQL file schema.sql``."""
        return f"SQL file {self.path.name}"

    def key(self) -> bytes:
        """The file's name and bytes."""
        return self.path.name.encode() + b"\0" + self.path.read_bytes()

    def apply(self, server: ServerInfo) -> None:
        """Run the file on ``server``."""
        apply_schema(server, [self.path])


def as_sources(items: Sequence[SchemaSource | Path]) -> list[SchemaSource]:
    """Sources as given, a path as the :class:`SqlFile` it names."""
    return [SqlFile(Path(item)) if isinstance(item, (str, Path)) else item for item in items]


def template_key(sources: Sequence[SchemaSource | Path], server: ServerInfo) -> str:
    """Hash of everything that makes a template: the sources' keys, server and settings, and
    pgtdd's escape log."""
    digest = hashlib.sha256()
    for source in as_sources(sources):
        digest.update(source.key() + b"\0")
    digest.update(
        json.dumps(
            [server.version, server.image, sorted(server.settings.items()), escapes.fingerprint()]
        ).encode()
    )
    return digest.hexdigest()[:16]


def apply_schema(server: ServerInfo, files: Sequence[Path]) -> None:
    """Run each file in its own transaction on ``server``; name the file that fails."""
    with psycopg.connect(server.url, connect_timeout=connect_timeout()) as conn:
        for path in files:
            try:
                conn.execute(path.read_text(encoding="utf-8").encode())
                conn.commit()
            except psycopg.Error as exc:
                from pgtdd.providers.embedded import extension_hint

                hint = extension_hint(str(exc), server)
                raise SchemaError(f"schema file {path} failed: {exc}{hint}") from exc


@dataclass(frozen=True)
class RunIdentity:
    """Who owns a run database: written as the database comment for the orphan sweep.

    ``pid`` (this process by default) makes the name unique per process: two pytest runs that
    were handed the same run id (started from inside one xdist worker) never share a clone.
    """

    run: str
    worker: str
    pid: int = field(default_factory=os.getpid)

    @property
    def database(self) -> str:
        """``pgtdd_run_<run>_<worker>_<pid>``."""
        return validate_database_name(f"{RUN_PREFIX}{self.run}_{self.worker}_{self.pid}")

    @staticmethod
    def owner_comment() -> str:
        """JSON naming this process (pid, start time, host)."""
        return owner_comment()


class SessionDatabases:
    """Prepares the database the session's tests use, and drops what it created."""

    def __init__(
        self,
        server: ServerInfo,
        identity: RunIdentity,
        sources: Sequence[SchemaSource | Path],
        project: str = "",
        janitor: DatabaseJanitor | None = None,
    ) -> None:
        self.server = server
        self.identity = identity
        self.sources = as_sources(sources)
        self.project = project
        self.swept: list[str] = []
        # The session's maintenance connection when given (one connection for the budget
        # check, the sweeps, the clone and its drop: a new one costs ~4 ms with SCRAM).
        self.janitor = janitor or DatabaseJanitor(server)
        self.created: str | None = None
        self.template: str | None = None
        self.built_seconds: float | None = None  # None: the template was there already

    @property
    def files(self) -> list[Path]:
        """The SQL files among the sources."""
        return [source.path for source in self.sources if isinstance(source, SqlFile)]

    def template_name(self) -> str:
        """``pgtdd_tpl_<key>`` of the sources on this server."""
        return f"{TEMPLATE_PREFIX}{template_key(self.sources, self.server)}"

    def build_template(self) -> str:
        """The template's name, built now (timed in ``built_seconds``) unless it exists."""
        name = self.template = self.template_name()
        with self.janitor.locked(lock_key(name)):
            self._ensure(name)
        return name

    def _ensure(self, name: str) -> None:
        self.janitor.ensure_template(name, self._build)
        self.janitor.set_comment(name, template_comment(self.project, owner_comment()))

    def _build(self, target: ServerInfo) -> None:
        started = time.perf_counter()
        for source in self.sources:
            source.apply(target)
        escapes.install_at(target)
        self.built_seconds = time.perf_counter() - started

    def describe(self) -> str:
        """``schema: alembic upgrade head (alembic.ini) -> template pgtdd_tpl_... (cached)``."""
        if self.template is None:
            return ""
        labels = ", ".join(source.label for source in self.sources) or "none"
        state = "cached" if self.built_seconds is None else f"built in {self.built_seconds:.2f}s"
        return f"schema: {labels} -> template {self.template} ({state})"

    def prepare(self) -> ServerInfo:
        """Build or reuse the template, sweep dead runs' clones, clone this run's database."""
        self.sweep_dead_runs()
        name = self.template = self.template_name()
        self.swept = sweep_half_made(self.janitor, current=[name])
        # Built and cloned under its lock: a concurrent sweep never drops it mid-clone.
        with self.janitor.locked(lock_key(name)):
            self._ensure(name)
            clone = self.janitor.clone(name, self.identity.database)
        self.created = clone.database
        return clone

    def sweep_dead_runs(self) -> list[str]:
        """Drop run databases whose owning process is gone (never a live run's)."""
        dropped = []
        for name, comment in self.janitor.comments(RUN_PREFIX).items():
            try:
                owner = json.loads(comment or "{}")
            except ValueError:
                continue
            if owner and not owner_alive(owner):
                self.janitor.drop(name)
                dropped.append(name)
        return dropped

    def cleanup(self) -> None:
        """Drop this run's clone and close the maintenance connection."""
        try:
            if self.created is not None:
                self.janitor.drop(self.created)
                self.created = None
        finally:
            self.janitor.close()
