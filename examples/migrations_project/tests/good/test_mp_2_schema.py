"""The migrations build exactly the schema that schema/*.sql declares."""

from __future__ import annotations

from pgtdd.migrations.fixtures import MigratedDatabase
from pgtdd.migrations.snapshot import SchemaSnapshot


def test_migrations_build_the_declared_schema(
    migrated_schema: MigratedDatabase, declared_schema: SchemaSnapshot
) -> None:
    diff = declared_schema.diff(migrated_schema.snapshot())
    assert diff.is_empty, f"migrations and schema/*.sql differ:\n{diff}"
