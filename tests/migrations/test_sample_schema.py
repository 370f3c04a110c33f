"""The spec's five sample schema files: real SQL, the same as the sample project declares."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg

from pgtdd.migrations import MigrationRunner, SchemaSnapshotter
from pgtdd.migrations.sample_schema import FILES
from pgtdd.serverinfo import ServerInfo
from tests.migrations.conftest import MIGRATIONS, PROJECT


def test_fixture_files_are_the_sample_projects_declared_schema() -> None:
    for name, text in FILES.items():
        assert (PROJECT / "schema" / name).read_text() == text, name


def test_files_apply_cleanly_and_build_what_the_migrations_build(
    sample_confiture_schema: dict[str, Path], db_at: Callable[[int], ServerInfo]
) -> None:
    declared, migrated = db_at(0), db_at(0)
    with psycopg.connect(declared.url) as conn:
        for path in sample_confiture_schema.values():
            conn.execute(path.read_text().encode())
        conn.commit()
    with MigrationRunner(migrated, MIGRATIONS) as runner:
        runner.up()
    with SchemaSnapshotter(declared) as a, SchemaSnapshotter(migrated) as b:
        diff = a.capture().diff(b.capture())
    assert diff.is_empty, str(diff)
