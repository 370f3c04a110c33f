"""Turn a migration folder and the catalogue into distinct mutants (one change each)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pgtdd.migrations.mutation.catalogue import Mutation, MutationRegistry
from pgtdd.migrations.mutation.coverage import CatalogueCoverage, OperatorCoverage
from pgtdd.migrations.mutation.plpgsql import body_statements
from pgtdd.migrations.runner import Migration, MigrationError
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
    also_generated_by: list[str] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        """The file changed, as its folder names it: ``004_post_slugs.up.sql``,
        ``2017-09-23-182408_tokens/up.sql`` (Diesel); ``20240115_init.sql (down)`` when one file
        holds both directions (goose, dbmate)."""
        return file_label(self.migration, self.direction)

    def write(self) -> tuple[Path, str]:
        """Write the mutant into its migration's file; return the file and its original text
        (to put back). The file is the migration's own: give mutants of a working copy."""
        path, text = self.migration.rewrite(self.direction, self.sql)
        original = path.read_text(encoding="utf-8")
        path.write_text(text, encoding="utf-8")
        return path, original

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


def file_label(migration: Migration, direction: str) -> str:
    """The file of ``direction`` as the folder names it (see :attr:`Mutant.file_name`)."""
    path = migration.up_path if direction == "up" else migration.down_path
    if path is None:
        return f"{migration.label} ({direction})"
    name = path.name
    if path.name in ("up.sql", "down.sql"):  # a folder per migration: name the folder too
        name = f"{path.parent.name}/{path.name}"
    if migration.up_path == migration.down_path:
        name += f" ({direction})"
    return name


def _canonical(sql: str) -> str:
    try:
        return ";\n".join(to_sql(stmt.stmt) for stmt in parse(sql) if stmt.stmt is not None)
    except SqlParseError:
        return sql


def generate_mutants(
    migrations: Sequence[Migration],
    registry: MutationRegistry,
    max_mutations: int | None = None,
    coverage: CatalogueCoverage | None = None,
) -> list[Mutant]:
    """Distinct mutants of every migration file, breadth first across the catalogue.

    Two mutations producing the same SQL for the same file make one mutant (the second is listed
    in ``also_generated_by``). The order interleaves mutations (first site of each, then second
    sites...), so ``max_mutations`` keeps the widest coverage of the catalogue. ``coverage``
    receives what each mutation made and skipped, with why; a file the parser refuses is
    skipped (listed there), never an exception.
    """
    coverage = coverage if coverage is not None else CatalogueCoverage()
    files = _read(migrations, registry, coverage)
    per_mutation: list[list[Mutant]] = []
    seen: dict[tuple[str, str], Mutant] = {}
    for mutation in registry.get_all_mutations():
        produced = []
        coverage.operators.setdefault(mutation.id, OperatorCoverage())
        for migration, original in files.get(mutation.direction, []):
            made, skipped = mutation.generate(original)
            for reason, count in skipped.items():
                coverage.skip(mutation.id, reason, count)
            for mutant_sql in made:
                mutant = Mutant(
                    0, mutation, migration, mutation.direction, mutant_sql.site,
                    mutant_sql.sql, original,
                )  # fmt: skip
                key = (mutant.file_name, mutant_sql.key or _canonical(mutant_sql.sql))
                if key in seen:
                    seen[key].also_generated_by.append(mutation.id)
                    coverage.skip(mutation.id, f"same mutant as {seen[key].mutation.id}'s")
                    continue
                seen[key] = mutant
                produced.append(mutant)
        per_mutation.append(produced)
    ordered: list[Mutant] = []
    depth = max((len(p) for p in per_mutation), default=0)
    for level in range(depth):
        ordered += [p[level] for p in per_mutation if level < len(p)]
    if max_mutations is not None:
        for mutant in ordered[max_mutations:]:
            coverage.skip(mutant.mutation.id, "beyond max_mutations")
        ordered = ordered[:max_mutations]
    for number, mutant in enumerate(ordered, 1):
        mutant.number = number
        coverage.apply(mutant.mutation.id)
    return ordered


def _read(
    migrations: Sequence[Migration], registry: MutationRegistry, coverage: CatalogueCoverage
) -> dict[str, list[tuple[Migration, str]]]:
    """The files the catalogue mutates, by direction: those the parser reads (the others are
    listed in ``coverage.unparsed``; what bodies hide from every mutation in ``unread``)."""
    directions = {m.direction for m in registry.get_all_mutations()}
    files: dict[str, list[tuple[Migration, str]]] = {}
    for direction in sorted(directions):
        for migration in migrations:
            if direction == "down" and not migration.has_down:
                continue
            text = migration.read(direction)
            try:
                migration.rewrite(direction, text)  # a mutant must be writable into its file
                stmts = parse(text)
            except MigrationError as exc:
                coverage.unparsed.append(f"{file_label(migration, direction)}: {exc}")
                continue
            except SqlParseError as exc:
                coverage.unparsed.append(f"{file_label(migration, direction)}: {exc}")
                continue
            coverage.unread.update(body_statements(stmts)[1])
            files.setdefault(direction, []).append((migration, text))
    return files
