"""The checks a real history's mutants are judged by, for a project whose own tests pgtdd cannot
run: the (mutated) history must build the schema and the seed data the unmutated one builds, and
its downs must leave what the unmutated downs leave. Not collected by the test suite (the file
name is not ``test_*``): name it to pytest, with ``PGTDD_CORPUS_DIR`` set to the unmutated
folder, e.g. ``pgtdd mutate DIR --tests tests/migrations/corpus_checks/check_history.py``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from pgtdd.databases.janitor import DatabaseJanitor
from pgtdd.migrations.data_validator import DataValidator
from pgtdd.migrations.fixtures import MigratedDatabase, migrated_database_fixture
from pgtdd.migrations.runner import MigrationError, MigrationRunner, discover
from pgtdd.migrations.snapshot import SchemaSnapshot, SchemaSnapshotter
from pgtdd.migrations.templates import chain_names, ensure_chain

if "PGTDD_CORPUS_DIR" not in os.environ:
    raise RuntimeError("set PGTDD_CORPUS_DIR to the unmutated migrations folder these checks use")
PRISTINE = Path(os.environ["PGTDD_CORPUS_DIR"])

migrated_db = migrated_database_fixture(PRISTINE)
migrated_head = migrated_database_fixture(PRISTINE, read_only=True)


@dataclass
class Expected:
    """What the unmutated history gives: the head's schema and data, and the schema after each
    down from the head (as far as the downs run)."""

    schema: SchemaSnapshot
    data: dict[str, str]
    after_downs: list[SchemaSnapshot]


_EXPECTED: dict[tuple[str, str], Expected] = {}  # per server and content: kept for the process


@pytest.fixture
def expected(pgtdd_migrations_janitor: DatabaseJanitor) -> Expected:
    janitor = pgtdd_migrations_janitor
    migrations = discover(PRISTINE)
    key = (janitor.server.safe_url, chain_names(migrations)[-1])
    if key not in _EXPECTED:
        head = ensure_chain(janitor, str(PRISTINE), migrations).head
        with (
            janitor.temporary_clone(head, prefix="pgtdd_corpus") as server,
            psycopg.connect(server.url, autocommit=True) as conn,
        ):
            schema = SchemaSnapshotter(conn).capture()
            data = DataValidator(conn).table_checksums()
            after = _downs(conn, len(migrations))
        _EXPECTED[key] = Expected(schema, data, after)
    return _EXPECTED[key]


def _downs(conn: psycopg.Connection[object], count: int) -> list[SchemaSnapshot]:
    """The schema after each down from the head, stopping at the first that fails."""
    runner = MigrationRunner(conn, PRISTINE)
    snapshots = []
    for _ in range(count):
        try:
            runner.down()
        except MigrationError:
            break
        snapshots.append(SchemaSnapshotter(conn).capture())
    return snapshots


def test_the_history_builds_the_unmutated_schema(
    migrated_head: MigratedDatabase, expected: Expected
) -> None:
    diff = expected.schema.diff(migrated_head.snapshot())
    assert diff.is_empty, f"the schema differs from the unmutated history's:\n{diff}"


def test_the_history_writes_the_unmutated_seed_data(
    migrated_head: MigratedDatabase, expected: Expected
) -> None:
    with psycopg.connect(migrated_head.url) as conn:
        data = DataValidator(conn).table_checksums()
    changed = sorted(
        t for t in set(data) | set(expected.data) if data.get(t) != expected.data.get(t)
    )
    assert not changed, f"tables whose rows differ from the unmutated history's: {changed}"


def test_each_down_leaves_what_the_unmutated_down_leaves(
    migrated_db: MigratedDatabase, expected: Expected
) -> None:
    with psycopg.connect(migrated_db.url, autocommit=True) as conn:
        runner = MigrationRunner(conn, migrated_db.migrations_dir)
        for step, wanted in enumerate(expected.after_downs, 1):
            runner.down()
            diff = wanted.diff(SchemaSnapshotter(conn).capture())
            assert diff.is_empty, f"after {step} down(s) the schema differs:\n{diff}"
