"""The session database: the profile's database, or a clone of a schema template per run/worker.

A template is built once per content key (schema files + server version + settings), under an
advisory lock, published by rename, and reused by later sessions on the same (reused) server.
Each run (and each xdist worker) then gets its own clone, named by run, and dropped at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from pgtdd.config.settings import connect_timeout
from pgtdd.databases.janitor import DatabaseJanitor, owner_comment, validate_database_name
from pgtdd.databases.sweep import lock_key, sweep_half_made, template_comment
from pgtdd.providers.ownership import owner_alive
from pgtdd.server import ServerInfo

TEMPLATE_PREFIX = "pgtdd_tpl_"
RUN_PREFIX = "pgtdd_run_"


class SchemaError(RuntimeError):
    """A schema file is missing or does not apply."""


def schema_files(paths: Sequence[str], base: Path | None = None) -> list[Path]:
    """The SQL files a profile's ``schema`` names, in apply order.

    A folder contributes its ``*.up.sql`` files when it has any (a migrations folder), else
    its ``*.sql`` files, sorted by name.
    """
    files: list[Path] = []
    for entry in paths:
        path = Path(entry)
        if not path.is_absolute() and base is not None:
            path = base / path
        if path.is_dir():
            ups = sorted(path.glob("*.up.sql"))
            files += ups or sorted(path.glob("*.sql"))
        elif path.is_file():
            files.append(path)
        else:
            raise SchemaError(f"schema path not found: {path} (the profile's `schema` list)")
    return files


def template_key(files: Sequence[Path], server: ServerInfo) -> str:
    """Hash of everything that makes a template: file names and contents, server and settings."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(
        json.dumps([server.version, server.image, sorted(server.settings.items())]).encode()
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
                raise SchemaError(f"schema file {path} failed: {exc}") from exc


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
        files: Sequence[Path],
        project: str = "",
    ) -> None:
        self.server = server
        self.identity = identity
        self.files = list(files)
        self.project = project
        self.swept: list[str] = []
        self.janitor = DatabaseJanitor(server)
        self.created: str | None = None
        self.template: str | None = None

    def prepare(self) -> ServerInfo:
        """Build or reuse the template, sweep dead runs' clones, clone this run's database."""
        self.sweep_dead_runs()
        key = template_key(self.files, self.server)
        name = f"{TEMPLATE_PREFIX}{key}"
        self.swept = sweep_half_made(self.janitor, current=[name])
        files = self.files
        self.template = name
        # Built and cloned under its lock: a concurrent sweep never drops it mid-clone.
        with self.janitor.locked(lock_key(name)):
            self.janitor.ensure_template(name, lambda target: apply_schema(target, files))
            self.janitor.set_comment(name, template_comment(self.project, owner_comment()))
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
