"""The environment through which a mutation run hands its migrated database to the user's
tests: the pytest check sets these, the migration fixtures read them.

A module of its own so that the fixtures (loaded with the pytest plugin) read the names without
importing the mutation toolkit (pglast and the catalogue: some 60 ms)."""

from __future__ import annotations

ENV_MIGRATIONS_DIR = "PGTDD_MIGRATIONS_DIR"
ENV_MIGRATED_DATABASE = "PGTDD_MIGRATED_DATABASE"
ENV_MUTANT = "PGTDD_MUTANT"
