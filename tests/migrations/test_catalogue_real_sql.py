"""The catalogue on SQL as real projects write it: every site mutated or skipped with a reason
the report counts, never an exception; PL/pgSQL bodies mutated where the catalogue claims it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pglast import ast

from pgtdd.migrations import MutationRegistry, MutationRunner
from pgtdd.migrations.mutation.catalogue import LOOPS, NOT_PRINTED, Mutation
from pgtdd.migrations.mutation.checks import MutantContext
from pgtdd.migrations.mutation.coverage import CatalogueCoverage
from pgtdd.migrations.mutation.mutants import generate_mutants
from pgtdd.migrations.mutation.plpgsql import DYNAMIC, body_statements
from pgtdd.migrations.runner import discover
from pgtdd.migrations.sql_ast import Site, SqlParseError, parse, rewrite, walk
from pgtdd.serverinfo import ServerInfo

REGISTRY = MutationRegistry()
BATCH = "UPDATE t SET c = 0 WHERE id IN (SELECT id FROM t WHERE c IS NULL LIMIT 1000);"
CTE_LOOP = """DO $$
DECLARE n int;
BEGIN
  LOOP
    WITH batch AS (SELECT id FROM t WHERE c IS NULL LIMIT 100)
    UPDATE t SET c = 0 FROM batch WHERE t.id = batch.id;
    GET DIAGNOSTICS n = ROW_COUNT;
    EXIT WHEN n = 0;
  END LOOP;
END $$;"""


def _mutation(mutation_id: str) -> Mutation:
    found = REGISTRY.get_mutation_by_id(mutation_id)
    assert found is not None
    return found


def test_a_batched_update_loses_its_limit() -> None:
    made, skipped = _mutation("PRF_003").generate(BATCH)
    assert not skipped and len(made) == 1
    (tree,) = parse(made[0].sql)
    assert "LIMIT" not in made[0].sql.upper() and isinstance(tree.stmt, ast.UpdateStmt)
    assert _mutation("PRF_003").apply_function(BATCH) == made[0].sql


def test_a_batch_loop_in_a_do_block_runs_over_all_rows_at_once(empty_db: ServerInfo) -> None:
    made, _ = _mutation("PRF_003").generate(CTE_LOOP)
    assert [m.site for m in made] == [
        "UPDATE t: batch LIMIT removed (one statement for all rows) (in DO block)"
    ]
    with psycopg.connect(empty_db.url, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id int PRIMARY KEY, c int)")
        conn.execute("INSERT INTO t SELECT g, NULL FROM generate_series(1, 250) g")
        conn.execute("CREATE TABLE log (n int)")
        counted = made[0].sql.replace("EXIT WHEN", "INSERT INTO log VALUES (n);\n    EXIT WHEN")
        conn.execute(counted.encode())
        updates = [n for (n,) in conn.execute("SELECT n FROM log").fetchall()]
    assert updates == [250, 0]  # one statement for every row (the original: 100, 100, 50, 0)


def test_ddl_inside_a_do_block_is_mutated_and_data_changes_are_counted_as_skipped() -> None:
    sql = (
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk') THEN "
        "ALTER TABLE child ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES parent (id); "
        "UPDATE child SET p = NULL WHERE p = 0; END IF; END $$;"
    )
    made, _ = _mutation("SCH_002").generate(sql)
    assert len(made) == 1 and "THEN NULL;" in made[0].sql and "UPDATE child" in made[0].sql
    made, skipped = _mutation("DAT_001").generate(sql)
    assert not made and skipped == {f"in a PL/pgSQL body: {LOOPS}": 1}


def test_each_mutation_says_whether_it_works_inside_plpgsql() -> None:
    inside = {m.id for m in REGISTRY.get_all_mutations() if not m.plpgsql}
    assert inside == {
        "SCH_001", "SCH_002", "SCH_003", "SCH_004", "SCH_005", "SCH_006", "DAT_004", "DAT_005",
        "RBK_001", "RBK_002", "RBK_004", "PRF_001", "PRF_003", "PRF_004", "PRF_005", "PRF_006",
    }  # fmt: skip
    for mutation in REGISTRY.get_all_mutations():
        assert mutation.plpgsql == "" or len(mutation.plpgsql) > 20  # a reason, in words


def _unprintable(stmts: Sequence[Any]) -> list[Site]:
    """The LIMIT taken away but not its option: printed, it parses to another tree (the way
    PRF_003 once failed on ``WHERE id IN (SELECT ... LIMIT 1000)``)."""

    def apply() -> Any:
        for node in walk(stmts[0].stmt):
            if isinstance(node, ast.SelectStmt) and node.limitCount is not None:
                node.limitCount = None
        return rewrite(0, stmts[0])

    return [Site("half", apply)] if stmts and isinstance(stmts[0].stmt, ast.UpdateStmt) else []


def test_a_change_the_printer_cannot_print_back_is_a_skipped_site() -> None:
    broken = Mutation("XXX_001", "test", "DATA", "LOW", ["x"], _unprintable)
    made, skipped = broken.generate(BATCH)
    assert made == [] and skipped == {NOT_PRINTED: 1}
    assert broken.apply_function(BATCH) == BATCH


def test_a_file_the_parser_refuses_is_listed_never_raised(tmp_path: Path) -> None:
    (tmp_path / "001_ok.up.sql").write_text("CREATE TABLE a (id int PRIMARY KEY);")
    (tmp_path / "002_placeholder.up.sql").write_text("CREATE TABLE ${schema}.b (id int);")
    coverage = CatalogueCoverage()
    mutants = generate_mutants(discover(tmp_path), REGISTRY, coverage=coverage)
    assert [m.mutation.id for m in mutants] == ["SCH_001"]
    assert len(coverage.unparsed) == 1 and coverage.unparsed[0].startswith(
        "002_placeholder.up.sql: SQL does not parse"
    )
    with pytest.raises(SqlParseError):
        _mutation("SCH_001").generate("CREATE TABLE ${schema}.b (id int);")


def test_non_ascii_text_before_a_statement_does_not_shift_the_splice() -> None:
    sql = "COMMENT ON SCHEMA public IS 'Größe, été';\nALTER TABLE t ALTER COLUMN c SET NOT NULL;"
    (mutant,) = _mutation("SCH_003").mutants(sql)
    assert mutant.sql == "COMMENT ON SCHEMA public IS 'Größe, été';\n"


def test_coverage_counts_per_mutation_applied_skipped_and_why(tmp_path: Path) -> None:
    (tmp_path / "001_t.up.sql").write_text(
        "CREATE TABLE t (id int PRIMARY KEY, c int NOT NULL DEFAULT 0);\n"
        "CREATE INDEX t_c ON t (c);\n"
        "DO $$ BEGIN UPDATE t SET c = 1 WHERE c = 0; EXECUTE 'SELECT 1'; END $$;"
    )
    (tmp_path / "001_t.down.sql").write_text("DROP TABLE t;")
    coverage = CatalogueCoverage.of(m.id for m in REGISTRY.get_all_mutations())
    generate_mutants(discover(tmp_path), REGISTRY, max_mutations=3, coverage=coverage)
    rows = coverage.to_dict()["operators"]
    assert rows["SCH_001"] == {"applied": 1, "skipped": {}}
    assert rows["DAT_001"] == {"applied": 0, "skipped": {f"in a PL/pgSQL body: {LOOPS}": 1}}
    assert rows["PRF_001"]["skipped"] == {"beyond max_mutations": 1}
    assert sum(r["applied"] for r in rows.values()) == 3
    assert coverage.unread == {DYNAMIC: 1}
    lines = "\n".join(coverage.lines())
    assert "  SCH_001: 1 applied, 0 skipped" in lines and f"not read: 1 {DYNAMIC}" in lines
    assert json.loads(json.dumps(coverage.to_dict())) == coverage.to_dict()


def test_body_statements_are_found_in_source_order() -> None:
    found, unread = body_statements(parse(CTE_LOOP))
    assert [s.query.split()[0] for s in found] == ["WITH"]
    assert not unread


SAMPLES = Path(__file__).resolve().parent / "samples"


@pytest.mark.parametrize("layout", ["golang_migrate", "diesel", "dbmate", "goose"])
def test_mutants_of_every_layout_are_written_into_their_files_and_put_back(
    layout: str, tmp_path: Path
) -> None:
    folder = tmp_path / layout
    shutil.copytree(SAMPLES / layout, folder)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    coverage = CatalogueCoverage()
    mutants = generate_mutants(discover(folder), REGISTRY, coverage=coverage)
    assert mutants
    for mutant in mutants:
        path, original = mutant.write()
        assert mutant.sql in path.read_text() and path.is_relative_to(folder)
        path.write_text(original)
    assert before == {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    if layout == "dbmate":  # a file whose up (and down) SQL is in two blocks is not mutated
        assert sorted(e.split(":")[0] for e in coverage.unparsed) == [
            "20200103000000_prices.sql (down)", "20200103000000_prices.sql (up)"
        ]  # fmt: skip
    names = {m.file_name for m in mutants}
    expected = {
        "golang_migrate": "1_create_accounts.up.sql",
        "diesel": "20200101120000_create_posts/up.sql",
        "dbmate": "20200101000000_create_items.sql (up)",
        "goose": "00001_create_orders.sql (up)",
    }
    assert expected[layout] in names


def test_a_mutation_run_on_a_diesel_folder_leaves_the_project_untouched(
    pgtdd_server: ServerInfo, tmp_path: Path
) -> None:
    folder = tmp_path / "diesel"
    shutil.copytree(SAMPLES / "diesel", folder)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    seen: list[str] = []

    def check(context: MutantContext) -> None:
        with context.connect() as conn:
            conn.execute("SELECT count(*) FROM posts")  # reaches the mutant's database
        seen.append(context.mutant.file_name if context.mutant else "baseline")

    runner = MutationRunner(
        verbose=False, migrations_dir=folder, server=pgtdd_server, check=check,
        keep_templates=False,
    )  # fmt: skip
    report = runner.run_mutation_suite(timeout_seconds=30, max_mutations=4)
    assert report.total_mutations == 4 and seen[0] == "baseline" and len(seen) >= 4
    assert any("/up.sql" in name for name in seen[1:])
    assert before == {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_missing_drop_names_what_it_drops() -> None:
    sites = _mutation("RBK_001").sites("DROP FUNCTION f(int); DROP TYPE public.mood; DROP TABLE t;")
    assert sites == ["DROP FUNCTION f", "DROP TYPE public.mood", "DROP TABLE t"]
