"""Turn a migration folder and the catalogue into distinct mutants (one change each)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from pgtdd.migrations.mutation.catalogue import Mutation, MutationRegistry
from pgtdd.migrations.runner import Migration
from pgtdd.migrations.sql_ast import SqlParseError, parse, to_sql


@dataclass
class Mutant:
    """One mutated migration file: which mutation, where, and the SQL it produced."""

    number: int
    mutation: Mutation
    migration: Migration
    direction: str
    site: str
    sql: str
    original: str
    error: str | None = None  # the mutant does not parse (stillborn)
    also_generated_by: list[str] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        """``004_post_slugs.up.sql``."""
        return f"{self.migration.label}.{self.direction}.sql"

    @property
    def label(self) -> str:
        """``SCH_003 003_create_comments.up.sql: comments.body NOT NULL`` (``PGTDD_MUTANT``)."""
        return f"{self.mutation.id} {self.file_name}: {self.site}"

    def diff(self) -> str:
        """Unified diff of the original file and the mutant."""
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.sql.splitlines(keepends=True),
                f"a/{self.file_name}",
                f"b/{self.file_name}",
                n=1,
            )
        )


def _canonical(sql: str) -> str:
    try:
        return ";\n".join(to_sql(stmt.stmt) for stmt in parse(sql) if stmt.stmt is not None)
    except SqlParseError:
        return sql


def generate_mutants(
    migrations: Sequence[Migration],
    registry: MutationRegistry,
    max_mutations: int | None = None,
) -> list[Mutant]:
    """Distinct mutants of every migration file, breadth first across the catalogue.

    Two mutations producing the same SQL for the same file make one mutant (the second is listed
    in ``also_generated_by``). The order interleaves mutations (first site of each, then second
    sites...), so ``max_mutations`` keeps the widest coverage of the catalogue.
    """
    per_mutation: list[list[Mutant]] = []
    seen: dict[tuple[str, str], Mutant] = {}
    for mutation in registry.get_all_mutations():
        produced = []
        for migration in migrations:
            if mutation.direction == "down" and migration.down_path is None:
                continue
            original = migration.read(mutation.direction)
            for mutant_sql in mutation.mutants(original):
                mutant = Mutant(
                    0, mutation, migration, mutation.direction, mutant_sql.site,
                    mutant_sql.sql, original, mutant_sql.error,
                )  # fmt: skip
                key = (mutant.file_name, mutant_sql.error or _canonical(mutant_sql.sql))
                if key in seen:
                    seen[key].also_generated_by.append(mutation.id)
                    continue
                seen[key] = mutant
                produced.append(mutant)
        per_mutation.append(produced)
    ordered: list[Mutant] = []
    depth = max((len(p) for p in per_mutation), default=0)
    for level in range(depth):
        ordered += [p[level] for p in per_mutation if level < len(p)]
    if max_mutations is not None:
        ordered = ordered[:max_mutations]
    for number, mutant in enumerate(ordered, 1):
        mutant.number = number
    return ordered
