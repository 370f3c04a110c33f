"""The mutation catalogue: counts, ids, queries, and every mutation doing real, valid work."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pgtdd.migrations import MutationRegistry
from pgtdd.migrations.mutation.catalogue import CATEGORIES, SEVERITIES
from pgtdd.migrations.runner import MigrationError, MigrationRunner, discover
from pgtdd.migrations.sql_ast import parse, same_statements
from pgtdd.serverinfo import ServerInfo
from tests.migrations.conftest import MIGRATIONS

REGISTRY = MutationRegistry()
ALL = REGISTRY.get_all_mutations()
MIGRATION_LIST = discover(MIGRATIONS)


def test_catalogue_has_the_spec_counts_per_category() -> None:
    counts = {c: len(REGISTRY.get_category_mutations(c)) for c in CATEGORIES}
    assert counts == {"SCHEMA": 6, "DATA": 7, "ROLLBACK": 5, "PERFORMANCE": 6}
    assert len(REGISTRY.schema_mutations) == 6
    assert len(REGISTRY.data_mutations) == 7
    assert len(REGISTRY.rollback_mutations) == 5
    assert len(REGISTRY.performance_mutations) == 6
    assert {c: len(v) for c, v in REGISTRY.mutations.items()} == counts


def test_ids_are_sequential_per_category() -> None:
    prefixes = {"SCHEMA": "SCH", "DATA": "DAT", "ROLLBACK": "RBK", "PERFORMANCE": "PRF"}
    for category, prefix in prefixes.items():
        ids = [m.id for m in REGISTRY.get_category_mutations(category)]
        assert ids == [f"{prefix}_{n:03d}" for n in range(1, len(ids) + 1)]


def test_each_mutation_has_the_spec_properties() -> None:
    for mutation in ALL:
        assert mutation.severity in SEVERITIES
        assert mutation.category in CATEGORIES
        assert mutation.description and mutation.keywords
        assert callable(mutation.apply_function)


def test_query_methods() -> None:
    assert REGISTRY.has_mutation("SCH_002") and not REGISTRY.has_mutation("SCH_999")
    mutation = REGISTRY.get_mutation_by_id("SCH_002")
    assert mutation is not None and mutation.category == "SCHEMA"
    assert REGISTRY.get_mutation_by_id("nope") is None
    critical = REGISTRY.get_mutations_by_severity("critical")
    assert critical and all(m.severity == "CRITICAL" for m in critical)
    assert {m.id for m in REGISTRY.get_mutations_by_keyword("concurrently")} == {"PRF_002"}
    with pytest.raises(ValueError, match="unknown mutation category"):
        REGISTRY.get_category_mutations("SYNTAX")
    with pytest.raises(ValueError, match="unknown severity"):
        REGISTRY.get_mutations_by_severity("URGENT")


def _files(direction: str) -> list[tuple[str, str]]:
    return [(f"{m.label}.{direction}.sql", m.read(direction)) for m in MIGRATION_LIST]


@pytest.mark.parametrize("mutation", ALL, ids=[m.id for m in ALL])
def test_mutation_turns_a_sample_migration_into_different_valid_sql(mutation: object) -> None:
    from pgtdd.migrations.mutation.catalogue import Mutation

    assert isinstance(mutation, Mutation)
    produced = 0
    for _name, sql in _files(mutation.direction):
        original = parse(sql)
        for mutant in mutation.mutants(sql):
            mutated = parse(mutant.sql)  # parses
            assert not same_statements(original, mutated), mutant.site
            produced += 1
        whole = mutation.apply_function(sql)
        if mutation.sites(sql):
            assert not same_statements(original, parse(whole))
        else:
            assert whole == sql
    assert produced, f"{mutation.id} changed nothing in the sample project"


@pytest.mark.parametrize("mutation", ALL, ids=[m.id for m in ALL])
def test_a_mutant_runs_on_postgresql_in_its_migrations_place(
    mutation: object, db_at: Callable[[int], ServerInfo], tmp_path: Path
) -> None:
    """Valid SQL for real: a mutant file, put in its migration's place, runs on the server."""
    from pgtdd.migrations.mutation.catalogue import Mutation

    assert isinstance(mutation, Mutation)
    errors = []
    for position, migration in enumerate(MIGRATION_LIST):
        for number, mutant in enumerate(mutation.mutants(migration.read(mutation.direction))):
            folder = tmp_path / f"{migration.version}_{number}"
            shutil.copytree(MIGRATIONS, folder)
            (folder / f"{migration.label}.{mutation.direction}.sql").write_text(mutant.sql)
            up = mutation.direction == "up"
            server = db_at(position if up else position + 1)
            try:
                with MigrationRunner(server, folder) as runner:
                    if up:
                        runner.up(target=migration.version)
                    else:
                        runner.down()
            except MigrationError as exc:
                errors.append(f"{migration.label}: {mutant.site}: {exc}")
                continue
            return
    pytest.fail(f"no mutant of {mutation.id} ran: {errors}")


CASES = {
    "lower case, several lines, comments": (
        "SCH_003",
        "-- keep NOT NULL here: create table x (a int not null)\n"
        "create table t (\n  a int /* not null */ not null,\n  b text\n);",
        "CREATE TABLE t (a integer, b text)",
    ),
    "keyword inside a string literal is not touched": (
        "DAT_001",
        "UPDATE notes SET body = 'WHERE x = 1' WHERE id = 1;",
        "UPDATE notes SET body = 'WHERE x = 1'",
    ),
    "negation keeps precedence": (
        "DAT_003",
        "delete from t where a = 1 or b = 2",
        "DELETE FROM t WHERE NOT (a = 1 OR b = 2)",
    ),
    "CONCURRENTLY in a comment does not count": (
        "PRF_002",
        "-- CREATE INDEX CONCURRENTLY i ON t (a)\nCREATE INDEX CONCURRENTLY j ON t (b);",
        "CREATE INDEX j ON t (b)",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_mutations_work_on_the_parse_tree(case: str) -> None:
    mutation_id, sql, expected = CASES[case]
    mutation = REGISTRY.get_mutation_by_id(mutation_id)
    assert mutation is not None
    mutants = mutation.mutants(sql)
    assert len(mutants) == 1
    assert same_statements(parse(mutants[0].sql), parse(expected)), mutants[0].sql
    if sql.startswith("--"):  # comments before the statement stay as written
        assert mutants[0].sql.startswith(sql.split("\n")[0])


def test_mutation_without_a_site_leaves_sql_unchanged() -> None:
    mutation = REGISTRY.get_mutation_by_id("DAT_002")
    assert mutation is not None
    assert mutation.sites("CREATE TABLE t (a int)") == []
    assert mutation.apply_function("CREATE TABLE t (a int)") == "CREATE TABLE t (a int)"
