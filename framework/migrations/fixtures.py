"""pytest fixtures of the migration toolkit (spec 004), registered by the pgtdd plugin.

- ``test_db_connection``: a psycopg connection to a database of its own, cloned per test from
  an empty template, so the spec's examples that ``commit()`` stay isolated.
- ``temp_project_dir``, ``sample_confiture_schema``, ``mutation_registry``,
  ``performance_profiler``.
- ``migration_verifier``: ``migration_verifier("migrations")`` checks that every migration's
  down undoes its up (the profile's ``migration_verify`` rules apply).

Factories declare variants in a conftest::

    from pgtdd.migrations.fixtures import database_connection_fixture, migrated_database_fixture

    blog_db = database_connection_fixture(schema_files=["schema/users.sql"])
    migrated_db = migrated_database_fixture("migrations")   # a clone at head per test

Under ``pgtdd mutate`` (or a :class:`~pgtdd.migrations.mutation.runner.MutationRunner` with a
pytest check) ``PGTDD_MIGRATIONS_DIR`` and ``PGTDD_MIGRATED_DATABASE`` point
``migrated_database_fixture`` at the mutant: its folder, and its database as the template.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pgtdd.lazy import lazy_module
from pgtdd.migrations.handover import ENV_MIGRATED_DATABASE, ENV_MIGRATIONS_DIR
from pgtdd.serverinfo import ServerInfo

if TYPE_CHECKING:
    import psycopg

    from pgtdd.databases import janitor as janitors
    from pgtdd.databases.janitor import DatabaseJanitor
    from pgtdd.migrations.mutation.catalogue import MutationRegistry
    from pgtdd.migrations.performance import MigrationPerformanceProfiler
    from pgtdd.migrations.runner import MigrationRunner
    from pgtdd.migrations.snapshot import SchemaSnapshot
    from pgtdd.migrations.verify_report import VerifyReport
    from pgtdd.migrations.verify_rules import VerifyRules
else:
    psycopg = lazy_module("psycopg")
    janitors = lazy_module("pgtdd.databases.janitor")

# The toolkit's modules (pglast among them) are imported inside the fixtures that use them: the
# pgtdd plugin registers this module in every session, and most sessions never use it.

EMPTY_TEMPLATE = "pgtdd_mig_empty_v1"
FixtureFunction = Callable[..., Any]


@pytest.fixture(scope="session")
def pgtdd_migrations_janitor(pgtdd_server: ServerInfo) -> Iterator[DatabaseJanitor]:
    """One janitor (one maintenance connection) for the toolkit's fixtures in a session."""
    from pgtdd.migrations.templates import QuickJanitor

    with QuickJanitor(pgtdd_server) as janitor:
        yield janitor


_KNOWN_TEMPLATES: set[tuple[str, int, str]] = set()


def _schema_template(janitor: DatabaseJanitor, files: Sequence[Path]) -> str:
    """A template with ``files`` applied in order (empty when none), built once per content."""
    if not files:
        name = EMPTY_TEMPLATE
    else:
        digest = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in files))
        name = f"pgtdd_mig_schema_{digest.hexdigest()[:12]}"

    def build(target: ServerInfo) -> None:
        with psycopg.connect(target.url) as conn:
            for path in files:
                conn.execute(path.read_text(encoding="utf-8").encode())
            conn.commit()

    key = (janitor.server.host, janitor.server.port, name)
    if key not in _KNOWN_TEMPLATES:  # content-addressed: once built, it stays valid
        janitor.ensure_template(name, build)
        _KNOWN_TEMPLATES.add(key)
    return name


def database_connection_fixture(
    *,
    schema_files: Sequence[str | Path] = (),
    autocommit: bool = False,
    name: str | None = None,
) -> FixtureFunction:
    """A fixture yielding a psycopg connection to a fresh clone (per test) of a template with
    ``schema_files`` applied. The database is dropped after the test."""
    files = [Path(f) for f in schema_files]

    @pytest.fixture(name=name)
    def fixture(pgtdd_migrations_janitor: DatabaseJanitor) -> Iterator[psycopg.Connection[Any]]:
        janitor = pgtdd_migrations_janitor
        template = _schema_template(janitor, files)
        with janitor.temporary_clone(template, prefix="pgtdd_tdb") as server:
            conn = psycopg.connect(server.url, autocommit=autocommit)
            try:
                yield conn
            finally:
                conn.close()

    return fixture


test_db_connection = database_connection_fixture()


@dataclass
class MigratedDatabase:
    """A database of its own at the head of a migration folder."""

    server: ServerInfo
    migrations_dir: Path
    template: str
    layout: str | None = None  # the folder's layout when forced, else detected

    @property
    def url(self) -> str:
        """Connection URL (with the password)."""
        return self.server.url

    def connect(self, **kwargs: Any) -> psycopg.Connection[Any]:
        """A new psycopg connection (close it, or use it in ``with``)."""
        return psycopg.connect(self.server.url, **kwargs)

    def runner(self, conn: psycopg.Connection[Any] | None = None) -> MigrationRunner:
        """A :class:`MigrationRunner` for the folder on this database."""
        from pgtdd.migrations.runner import MigrationRunner

        target = conn if conn is not None else self.server
        return MigrationRunner(target, self.migrations_dir, layout=self.layout)

    def snapshot(self) -> SchemaSnapshot:
        """The schema as it is now."""
        from pgtdd.migrations.snapshot import SchemaSnapshotter

        with SchemaSnapshotter(self.server) as snapshotter:
            return snapshotter.capture()


def migrated_database_fixture(
    migrations_dir: str | Path,
    *,
    name: str | None = None,
    read_only: bool = False,
    layout: str | None = None,
) -> FixtureFunction:
    """A fixture yielding a :class:`MigratedDatabase`: a per-test clone of a template built by
    applying every migration of ``migrations_dir`` (built once per content, then reused).

    ``read_only=True`` hands out the template itself, saving the clone (~15-30 ms): for tests
    that only read. Writing to it would leak into every later test; and a template cannot be
    cloned while such a test holds a connection to it, so avoid it under ``pytest -n``.
    ``layout`` names the folder's layout (see :mod:`pgtdd.migrations.layouts`; detected when
    ``None``)."""
    default_dir = Path(migrations_dir)
    cache: dict[tuple[str, str], str] = {}

    def head_template(janitor: DatabaseJanitor, folder: Path, refresh: bool = False) -> str:
        from pgtdd.migrations.runner import discover
        from pgtdd.migrations.templates import ensure_chain

        key = (janitor.server.safe_url, str(folder))
        if refresh or key not in cache:
            found = discover(folder, layout)
            cache[key] = ensure_chain(janitor, str(folder), found, layout).head
        return cache[key]

    @pytest.fixture(name=name)
    def fixture(pgtdd_migrations_janitor: DatabaseJanitor) -> Iterator[MigratedDatabase]:
        janitor = pgtdd_migrations_janitor
        mutant_folder, template = _mutant_target(os.environ)
        folder = mutant_folder or default_dir
        if template is None:
            template = head_template(janitor, folder)
        if read_only:
            yield MigratedDatabase(
                janitor.server.with_database(template), folder, template, layout
            )
            return
        clone_name = janitors.unique_name(template[:50])
        try:
            server = janitor.clone(template, clone_name)
        except janitors.JanitorError:
            if _mutant_target(os.environ)[1] is not None:
                raise
            template = head_template(janitor, folder, refresh=True)  # dropped meanwhile
            server = janitor.clone(template, clone_name)
        try:
            yield MigratedDatabase(server, folder, template, layout)
        finally:
            janitor.drop(server.database)

    return fixture


_DECLARED: dict[tuple[str, int, str], SchemaSnapshot] = {}


def declared_schema_fixture(
    schema_files: Sequence[str | Path], *, name: str | None = None
) -> FixtureFunction:
    """A fixture giving the :class:`SchemaSnapshot` of a database built from ``schema_files``
    (applied in order): what a migration folder must build. The template is built once per
    content and its snapshot kept for the process (also across in-process mutation runs)."""
    files = [Path(f) for f in schema_files]

    @pytest.fixture(name=name)
    def fixture(pgtdd_migrations_janitor: DatabaseJanitor) -> SchemaSnapshot:
        from pgtdd.migrations.snapshot import SchemaSnapshotter

        janitor = pgtdd_migrations_janitor
        template = _schema_template(janitor, files)
        key = (janitor.server.host, janitor.server.port, template)
        if key not in _DECLARED:
            # Read the template itself: nothing clones it concurrently, and a clone costs more.
            with SchemaSnapshotter(janitor.server.with_database(template)) as snapshotter:
                _DECLARED[key] = snapshotter.capture()
        return _DECLARED[key]

    return fixture


def current_migrations_dir(default: str | Path) -> Path:
    """``default``, or the mutated copy of the folder while a mutation run judges a mutant."""
    folder, _ = _mutant_target(os.environ)
    return folder or Path(default)


def _mutant_target(env: Mapping[str, str]) -> tuple[Path | None, str | None]:
    """The mutant's folder and database when a mutation run set them, else ``(None, None)``."""
    template = env.get(ENV_MIGRATED_DATABASE)
    folder = env.get(ENV_MIGRATIONS_DIR)
    if template and folder:
        return Path(folder), template
    return None, None


@pytest.fixture
def temp_project_dir(tmp_path: Path) -> Path:
    """An empty project directory for migration files, removed with ``tmp_path``."""
    project = tmp_path / "project"
    project.mkdir()
    return project


class SampleSchema(dict[str, Path]):
    """``{"users.sql": Path, ...}``; ``schema["users"]`` works too (the spec uses both)."""

    def __missing__(self, key: str) -> Path:
        if f"{key}.sql" in self:
            return self[f"{key}.sql"]
        raise KeyError(f"{key!r}: the sample schema has {sorted(self)}")


@pytest.fixture
def sample_confiture_schema(tmp_path: Path) -> SampleSchema:
    """The five sample schema files, written to a temporary folder (apply in this order)."""
    from pgtdd.migrations.sample_schema import FILES

    folder = tmp_path / "schema"
    folder.mkdir()
    files = SampleSchema()
    for file_name, text in FILES.items():
        path = folder / file_name
        path.write_text(text, encoding="utf-8")
        files[file_name] = path
    return files


@pytest.fixture
def mutation_registry() -> MutationRegistry:
    """The mutation catalogue."""
    from pgtdd.migrations.mutation.catalogue import MutationRegistry

    return MutationRegistry()


@pytest.fixture
def performance_profiler() -> MigrationPerformanceProfiler:
    """A profiler (thresholds from ``PERF_*_THRESHOLD``)."""
    from pgtdd.migrations.performance import MigrationPerformanceProfiler

    return MigrationPerformanceProfiler()


class MigrationVerifierFixture:
    """``migration_verifier(migrations_dir, ...)``: ``verify_migrations`` on the session's
    server, with the profile's ``migration_verify`` rules plus the ones given, and its
    ``migrations_layout`` unless ``layout`` is given (``placeholders``, ``schemas``: Flyway's)."""

    def __init__(
        self, server: ServerInfo, profile_rules: VerifyRules, layout: str | None = None
    ) -> None:
        self.server, self.profile_rules, self.layout = server, profile_rules, layout

    def __call__(
        self,
        migrations_dir: str | Path,
        *,
        ignore_kinds: Sequence[str] = (),
        ignore_names: Sequence[str] = (),
        irreversible: Sequence[str] = (),
        on_error: str | None = None,
        layout: str | None = None,
        placeholders: Mapping[str, str] | None = None,
        schemas: Sequence[str] = (),
    ) -> VerifyReport:
        from pgtdd.migrations.verify import verify_migrations
        from pgtdd.migrations.verify_rules import VerifyRules

        given = VerifyRules(
            tuple(ignore_kinds),
            tuple(ignore_names),
            tuple(irreversible),
            on_error or self.profile_rules.on_error,
        )
        return verify_migrations(
            self.server,
            migrations_dir,
            rules=self.profile_rules.merged(given),
            layout=layout or self.layout,
            placeholders=dict(placeholders or {}),
            schemas=schemas,
        )


@pytest.fixture
def migration_verifier(pgtdd_server: ServerInfo) -> MigrationVerifierFixture:
    """Check a folder's migrations (up, down, up again) on the session's server; returns a
    :class:`~pgtdd.migrations.verify_report.VerifyReport` (``report.ok``, ``report.render()``)."""
    from pgtdd.config.settings import current
    from pgtdd.migrations.verify_rules import profile_rules

    settings = current()
    layout = settings.profile.migrations_layout if settings is not None else None
    return MigrationVerifierFixture(pgtdd_server, profile_rules(settings), layout)
