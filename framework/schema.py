"""The user's schema, loaded once per session into the template every test database is cloned
from (see :mod:`pgtdd.databases.session_db`), keyed by content.

An entry of the profile's ``schema:`` list, of the ini key ``pgtdd_schema``, or what a
``pgtdd_schema`` fixture returns, is one of:

============================  ================================================================
entry                         what runs
============================  ================================================================
``schema.sql``                the file, in one transaction
``db/migrations/``            the folder's migrations in their tool's layout (golang-migrate,
                              Diesel, dbmate, goose, Flyway: :mod:`pgtdd.migrations.layouts`),
                              with the tool's history table; a folder of plain ``*.sql`` files
                              that no layout claims runs file by file in name order
``alembic.ini``               ``alembic upgrade head`` with that configuration
``myapp.models:Base``         SQLAlchemy ``metadata.create_all`` (a ``MetaData``, or an object
                              with a ``.metadata``, e.g. a declarative base)
``myapp.db:create_schema``    any callable, called with the database URL (``async`` too)
============================  ================================================================

A fixture may also return the objects themselves (a ``MetaData``, a callable, a ``Path``).
The template's key covers each source's content: the files (every file of a migration folder
or of Alembic's script location), the DDL the ``MetaData`` compiles to, the source of a
callable's module (or its ``pgtdd_schema_key`` attribute). Django keeps its own migrations
through pytest-django (:mod:`pgtdd.fixtures.django_db`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib
import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pgtdd.databases.session_db import SchemaError, SchemaSource, SqlFile, apply_schema
from pgtdd.serverinfo import ServerInfo

_OBJECT = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
_SKIPPED_PARTS = ("__pycache__", ".git")


def _digest_tree(folder: Path) -> bytes:
    """Names and bytes of every file under ``folder`` (caches and hidden folders left out)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if any(part in _SKIPPED_PARTS or part.startswith(".") for part in relative.parts):
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


@dataclass(frozen=True)
class SqlFolder:
    """A folder of plain SQL files that no migration layout claims, run in name order."""

    path: Path

    @property
    def files(self) -> list[Path]:
        """The folder's ``*.sql`` files, by name."""
        return sorted(self.path.glob("*.sql"))

    @property
    def label(self) -> str:
        """``SQL folder schema/ (5 files)``."""
        return f"SQL folder {self.path.name}/ ({len(self.files)} files)"

    def key(self) -> bytes:
        """Every file's name and bytes."""
        return b"sql-folder\0" + _digest_tree(self.path)

    def apply(self, server: ServerInfo) -> None:
        """Each file in its own transaction, by name."""
        apply_schema(server, self.files)


@dataclass(frozen=True)
class MigrationsFolder:
    """A migration folder, applied up to its last migration by pgtdd's runner."""

    path: Path
    layout: str | None = None

    @property
    def label(self) -> str:
        """``migrations db/migrations/ (golang-migrate, 5)``."""
        from pgtdd.migrations.layouts import load

        found = load(self.path, self.layout)
        return f"migrations {self.path.name}/ ({found.layout}, {len(found.migrations)})"

    def key(self) -> bytes:
        """Every file of the folder, and the layout asked for."""
        return f"migrations\0{self.layout or ''}\0".encode() + _digest_tree(self.path)

    def apply(self, server: ServerInfo) -> None:
        """``MigrationRunner(server, folder).up()``."""
        from pgtdd.migrations.runner import MigrationError, MigrationRunner

        try:
            with MigrationRunner(server, self.path, layout=self.layout) as runner:
                runner.up()
        except MigrationError as exc:
            raise SchemaError(f"schema migrations {self.path} failed: {exc}") from exc


def _sqlalchemy_url(server: ServerInfo) -> Any:
    from sqlalchemy import URL

    return URL.create(
        "postgresql+psycopg",
        username=server.user,
        password=server.password or None,
        host=server.host,
        port=server.port,
        database=server.database,
    )


@dataclass(frozen=True)
class AlembicConfig:
    """``alembic upgrade head`` with a configuration file (``sqlalchemy.url`` set to the
    template's database, with the psycopg driver)."""

    path: Path

    @contextlib.contextmanager
    def _config(self, url: str | None = None) -> Iterator[Any]:
        try:
            from alembic.config import Config
        except ImportError as exc:
            raise SchemaError(
                f"schema {self.path} is an Alembic configuration but Alembic is not installed "
                f"({exc}); install it with: pip install 'pgtdd[alembic]'"
            ) from None
        with contextlib.chdir(self.path.parent):  # script_location, prepend_sys_path are
            config = Config(str(self.path))  # relative to the working directory
            if not config.file_config.has_section(config.config_ini_section):
                raise SchemaError(
                    f"schema {self.path}: not an Alembic configuration (no "
                    f"[{config.config_ini_section}] section)"
                )
            if url is not None:
                config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
            yield config

    def _script_folder(self, config: Any) -> Path:
        location = config.get_main_option("script_location")
        if not location:
            raise SchemaError(f"schema {self.path}: script_location is not set")
        return (self.path.parent / str(location)).resolve()

    @property
    def label(self) -> str:
        """``alembic upgrade head (alembic.ini, head 3f2a1c)``."""
        from alembic.script import ScriptDirectory

        with self._config() as config:
            heads = ScriptDirectory.from_config(config).get_heads()
        return f"alembic upgrade head ({self.path.name}, head {', '.join(heads) or 'none'})"

    def key(self) -> bytes:
        """The configuration file and every file of the script location."""
        with self._config() as config:
            folder = self._script_folder(config)
        return b"alembic\0" + self.path.read_bytes() + b"\0" + _digest_tree(folder)

    def apply(self, server: ServerInfo) -> None:
        """Run ``alembic upgrade head`` on ``server``'s database."""
        from alembic import command

        url = _sqlalchemy_url(server).render_as_string(hide_password=False)
        with self._config(url) as config:
            try:
                command.upgrade(config, "head")
            except Exception as exc:
                raise SchemaError(
                    f"schema alembic upgrade head ({self.path}) failed: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc


def _resolve(dotted: str) -> Any:
    module_name, _, attribute = dotted.partition(":")
    try:
        value: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise SchemaError(
            f"schema {dotted}: cannot import {module_name} ({exc}). Put its folder on "
            "sys.path (pytest's `pythonpath` ini option) or name it as a file path"
        ) from None
    for part in attribute.split("."):
        try:
            value = getattr(value, part)
        except AttributeError:
            raise SchemaError(
                f"schema {dotted}: {module_name} has no attribute {attribute}"
            ) from None
    return value


def _metadata(value: Any) -> Any | None:
    try:
        from sqlalchemy import MetaData
    except ImportError:
        return None
    if isinstance(value, MetaData):
        return value
    inner = getattr(value, "metadata", None)
    return inner if isinstance(inner, MetaData) else None


@dataclass(frozen=True)
class MetaDataSource:
    """SQLAlchemy ``metadata.create_all`` (schemas named by its tables created first)."""

    metadata: Any
    name: str

    @property
    def label(self) -> str:
        """``SQLAlchemy MetaData app.models:Base (3 tables)``."""
        return f"SQLAlchemy MetaData {self.name} ({len(self.metadata.tables)} tables)"

    def key(self) -> bytes:
        """The DDL the metadata compiles to for PostgreSQL."""
        from sqlalchemy.dialects import postgresql
        from sqlalchemy.schema import CreateIndex, CreateTable

        dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
        parts = [b"metadata"]
        for table in self.metadata.sorted_tables:
            parts.append(str(CreateTable(table).compile(dialect=dialect)).encode())
            for index in sorted(table.indexes, key=lambda i: str(i.name)):
                parts.append(str(CreateIndex(index).compile(dialect=dialect)).encode())
        return b"\0".join(parts)

    def apply(self, server: ServerInfo) -> None:
        """Create the schemas and tables."""
        from sqlalchemy import create_engine, schema

        engine = create_engine(_sqlalchemy_url(server))
        try:
            with engine.begin() as conn:
                for name in sorted({t.schema for t in self.metadata.tables.values() if t.schema}):
                    conn.execute(schema.CreateSchema(name, if_not_exists=True))
                self.metadata.create_all(conn)
        except Exception as exc:
            raise SchemaError(
                f"schema {self.name}: create_all failed: {type(exc).__name__}: {exc}"
            ) from exc
        finally:
            engine.dispose()


@dataclass(frozen=True)
class CallableSource:
    """Any callable, called with the template database's URL (a coroutine is run)."""

    function: Callable[[str], Any]
    name: str
    source_key: bytes = field(default=b"")

    @property
    def label(self) -> str:
        """``callable app.db:create_schema``."""
        return f"callable {self.name}"

    def key(self) -> bytes:
        """``pgtdd_schema_key`` of the callable, else its module's source."""
        custom = getattr(self.function, "pgtdd_schema_key", None)
        if callable(custom):
            custom = custom()
        if custom is not None:
            return f"callable\0{self.name}\0{custom}".encode()
        module = inspect.getmodule(self.function)
        path = getattr(module, "__file__", None)
        text = Path(path).read_bytes() if path else self.name.encode()
        return b"callable\0" + self.name.encode() + b"\0" + text

    def apply(self, server: ServerInfo) -> None:
        """``function(url)``; an awaitable result is awaited."""
        try:
            result = self.function(server.url)
            if inspect.isawaitable(result):
                asyncio.run(_await(result))
        except SchemaError:
            raise
        except Exception as exc:
            raise SchemaError(
                f"schema callable {self.name} failed: {type(exc).__name__}: {exc}"
            ) from exc


async def _await(awaitable: Any) -> Any:
    return await awaitable


def _from_object(value: Any, name: str) -> SchemaSource:
    metadata = _metadata(value)
    if metadata is not None:
        return MetaDataSource(metadata, name)
    if callable(value):
        return CallableSource(value, name)
    raise SchemaError(
        f"schema {name}: a {type(value).__name__} is neither a SQLAlchemy MetaData (or an "
        "object with .metadata) nor a callable taking the database URL"
    )


def _from_folder(path: Path, layout: str | None) -> SchemaSource:
    from pgtdd.migrations.layouts import detect
    from pgtdd.migrations.model import MigrationError

    if layout is not None:
        return MigrationsFolder(path, layout)
    try:
        detect(path)
        return MigrationsFolder(path)
    except MigrationError as exc:
        if "more than one layout" in str(exc) or not any(path.glob("*.sql")):
            raise SchemaError(f"schema folder {path}: {exc}") from None
    return SqlFolder(path)


def _from_path(path: Path, layout: str | None) -> SchemaSource:
    if path.is_dir():
        return _from_folder(path, layout)
    if path.suffix == ".sql":
        return SqlFile(path)
    if path.suffix in (".ini", ".cfg"):
        return AlembicConfig(path)
    raise SchemaError(
        f"schema {path}: not a schema pgtdd understands (a .sql file, a migration folder, an "
        "Alembic .ini, or module:attribute naming a SQLAlchemy MetaData or a callable)"
    )


def source_of(entry: Any, base: Path | None = None, *, layout: str | None = None) -> SchemaSource:
    """The schema source an entry names (see the module's table); ``base`` anchors relative
    paths, ``layout`` forces a migration folder's layout (the profile's
    ``migrations_layout``)."""
    if isinstance(entry, SchemaSource):
        return entry
    if isinstance(entry, str | Path):
        path = Path(entry).expanduser()
        if not path.is_absolute() and base is not None:
            path = base / path
        if path.exists():
            return _from_path(path, layout)
        if isinstance(entry, str) and _OBJECT.match(entry):
            return _from_object(_resolve(entry), entry)
        raise SchemaError(f"schema path not found: {path}")
    metadata = _metadata(entry)
    if metadata is not None:  # an object has no name of its own: name its tables
        return MetaDataSource(metadata, f"<{', '.join(sorted(metadata.tables))}>")
    name = getattr(entry, "__qualname__", None) or type(entry).__name__
    return _from_object(entry, f"{getattr(entry, '__module__', '?')}:{name}")


def sources_of(
    entries: Iterable[Any], base: Path | None = None, *, layout: str | None = None
) -> list[SchemaSource]:
    """:func:`source_of` for each entry (``None`` entries skipped)."""
    return [source_of(entry, base, layout=layout) for entry in entries if entry is not None]
