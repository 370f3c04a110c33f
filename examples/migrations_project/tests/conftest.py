"""Fixtures of the sample project's tests.

``migrated_db`` gives each test its own database at the head of ``migrations/`` (under
``pgtdd mutate`` it is the mutant's database and folder instead). ``declared_schema`` is the
schema the ``schema/*.sql`` files declare: the migrations must build exactly that.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pgtdd.migrations.fixtures import (
    current_migrations_dir,
    declared_schema_fixture,
    migrated_database_fixture,
)

PROJECT = Path(__file__).resolve().parents[1]
MIGRATIONS = PROJECT / "migrations"
SCHEMA_FILES = [
    PROJECT / "schema" / name
    for name in ("extensions.sql", "users.sql", "posts.sql", "comments.sql", "user_stats.sql")
]

migrated_db = migrated_database_fixture(MIGRATIONS)
# The template itself, for tests that only read (no clone to pay for).
migrated_schema = migrated_database_fixture(MIGRATIONS, read_only=True)
declared_schema = declared_schema_fixture(SCHEMA_FILES)


@pytest.fixture
def migrations_dir() -> Path:
    """The migrations folder the tests judge (the mutated copy under ``pgtdd mutate``)."""
    return current_migrations_dir(MIGRATIONS)
