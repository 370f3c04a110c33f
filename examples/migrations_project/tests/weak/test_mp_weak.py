"""Weak tests: they only check that the migrations run and create the tables.

Run ``pgtdd mutate examples/migrations_project/migrations --tests`` on this folder to see
the mutants they let through.
"""

from __future__ import annotations

from pgtdd.migrations.fixtures import MigratedDatabase


def test_migrations_leave_nothing_pending(migrated_db: MigratedDatabase) -> None:
    with migrated_db.runner() as runner:
        assert runner.pending() == []


def test_tables_exist(migrated_db: MigratedDatabase) -> None:
    tables = {name.split(".")[1] for name in migrated_db.snapshot().tables}
    assert {"users", "posts", "comments", "user_stats"} <= tables
