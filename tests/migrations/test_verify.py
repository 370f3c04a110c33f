"""``verify``: every migration's down against its up, on a real server, with each kind of
finding, failure, the transaction and copy paths, and the ignore rules."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from pgtdd.databases.janitor import DatabaseJanitor
from pgtdd.migrations import verify_migrations
from pgtdd.migrations.verify_report import (
    FAILED,
    IRREVERSIBLE,
    LISTED,
    NOT_CHECKED,
    REDO_DIFFERS,
    REVERSIBLE,
    VerifyReport,
)
from pgtdd.migrations.verify_rules import VerifyRules, VerifyRulesError
from pgtdd.serverinfo import ServerInfo
from tests.migrations.conftest import MIGRATIONS

TOUCH = "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"
# version, name, up, down (None: no down file)
HISTORY: list[tuple[int, str, str, str | None]] = [
    (1, "users", "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);",
     "DROP TABLE users;"),
    (2, "add_name", "ALTER TABLE users ADD COLUMN name text DEFAULT 'x';",
     "-- nothing to undo here\n/* really */\n"),
    (3, "email_index", "CREATE UNIQUE INDEX users_email_idx ON users (email);\n"
     "ALTER TABLE users ALTER COLUMN email SET DEFAULT '';", "DROP INDEX users_email_idx;"),
    (4, "concurrent_index", "CREATE INDEX CONCURRENTLY users_name_idx ON users (name);",
     "DROP INDEX CONCURRENTLY users_name_idx;"),
    (5, "bad_up", "ALTER TABLE users ADD COLUMN x int;\n\n-- the typo\nALTER TABLE nope ADD y int;",
     "ALTER TABLE users DROP COLUMN x;"),
    (6, "mood", "CREATE TYPE mood AS ENUM ('sad');", "DROP TYPE mood;"),
    (7, "happy", "ALTER TYPE mood ADD VALUE 'happy';", "-- PostgreSQL cannot drop an enum value"),
    (8, "settings", "CREATE TABLE settings (v text);", "DROP TABLE settings;"),
    (9, "first_run", "INSERT INTO settings VALUES ('v9');\n"
     "DO $$ BEGIN IF (SELECT count(*) FROM settings) = 1 THEN "
     "EXECUTE 'CREATE TABLE first_run (i int)'; END IF; END $$;",
     "DROP TABLE IF EXISTS first_run;"),
    (10, "grant", "GRANT SELECT ON users TO PUBLIC;\nCOMMENT ON TABLE users IS 'people';",
     "COMMENT ON TABLE users IS NULL;"),
    (11, "procedure_commit", "CREATE PROCEDURE tick() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;"
     "\nCALL tick();", "DROP PROCEDURE tick();"),
    (12, "own_transaction", "BEGIN;\nCREATE TABLE tx (i int);\nCOMMIT;", "DROP TABLE tx;"),
    (13, "trigger", f"{TOUCH};\nCREATE TRIGGER users_touch BEFORE UPDATE ON users "
     "FOR EACH ROW EXECUTE FUNCTION touch();", "DROP FUNCTION touch() CASCADE;"),
    (14, "bad_down", "CREATE TABLE z (i int);", "DROP TABLE zz;"),
    (15, "no_down", "CREATE VIEW emails AS SELECT email FROM users;", None),
    (16, "nothing", "-- a placeholder", "-- a placeholder"),
]  # fmt: skip


def write_history(folder: Path, history: list[tuple[int, str, str, str | None]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for version, name, up, down in history:
        (folder / f"{version:03d}_{name}.up.sql").write_text(up, encoding="utf-8")
        if down is not None:
            (folder / f"{version:03d}_{name}.down.sql").write_text(down, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_history(tmp_path_factory.mktemp("verify") / "migrations", HISTORY)


@pytest.fixture(scope="module")
def report(history: Path, pgtdd_server: ServerInfo) -> VerifyReport:
    return verify_migrations(pgtdd_server, history)


def test_each_migration_gets_its_verdict(report: VerifyReport) -> None:
    statuses = {c.label: c.status for c in report.checks}
    assert statuses == {
        "001_users": REVERSIBLE,
        "002_add_name": IRREVERSIBLE,
        "003_email_index": IRREVERSIBLE,
        "004_concurrent_index": REVERSIBLE,
        "005_bad_up": FAILED,
        "006_mood": REVERSIBLE,
        "007_happy": IRREVERSIBLE,
        "008_settings": REVERSIBLE,
        "009_first_run": REDO_DIFFERS,
        "010_grant": IRREVERSIBLE,
        "011_procedure_commit": REVERSIBLE,
        "012_own_transaction": REVERSIBLE,
        "013_trigger": REVERSIBLE,
        "014_bad_down": FAILED,
        "015_no_down": IRREVERSIBLE,
        "016_nothing": REVERSIBLE,
    }
    assert report.exit_code == 1 and not report.ok


def test_what_a_down_leaves_is_named_at_object_level(report: VerifyReport) -> None:
    checks = {c.label: c for c in report.checks}
    add_name = checks["002_add_name"]
    assert add_name.notes == ["irreversible: the down holds only comments"]
    assert [d.line() for d in add_name.differences] == [
        "column public.users.name: left behind by the down"
    ]
    default = checks["003_email_index"].differences
    assert [d.line() for d in default] == [
        "column public.users.email: default None before the up, \"''::text\" after the down"
    ]
    happy = checks["007_happy"].differences[0]
    assert (happy.kind, happy.name, happy.fields) == (
        "type", "public.mood", {"labels": [["sad"], ["sad", "happy"]]}
    )  # fmt: skip
    grant = checks["010_grant"].differences[0]
    assert grant.kind == "table" and list(grant.fields) == ["privileges"]
    assert "=r/" in json.dumps(grant.fields["privileges"][1])  # PUBLIC's SELECT
    assert checks["015_no_down"].notes[0] == "irreversible: no down SQL"
    assert checks["015_no_down"].differences[0].line() == (
        "view public.emails: left behind by the down"
    )


def test_a_redo_that_differs_is_reported_apart(report: VerifyReport) -> None:
    check = {c.label: c for c in report.checks}["009_first_run"]
    assert [(d.check, d.line()) for d in check.differences] == [
        (
            "redo",
            "table public.first_run: missing after down and up again (with 1 object of its own)",
        )
    ]


def test_failures_name_file_statement_line_and_the_servers_error(report: VerifyReport) -> None:
    checks = {c.label: c for c in report.checks}
    up = checks["005_bad_up"].failure
    assert up is not None
    assert (up.step, up.file, up.line, up.sqlstate) == ("up", "005_bad_up.up.sql", 4, "42P01")
    assert up.statement == "ALTER TABLE nope ADD y int"
    assert 'relation "nope" does not exist' in up.message
    down = checks["014_bad_down"].failure
    assert down is not None and (down.step, down.file, down.line) == (
        "down",
        "014_bad_down.down.sql",
        1,
    )
    # the failed up left nothing behind, and the run went on without it
    assert "checked without the failed up of 005_bad_up" in checks["006_mood"].notes
    assert "ALTER TABLE nope ADD y int" in report.render()


def test_statements_refused_in_a_transaction_run_on_a_copy(report: VerifyReport) -> None:
    paths = {c.label: c.path for c in report.checks}
    assert paths["001_users"] == "transaction"
    assert paths["004_concurrent_index"] == "clone"  # CREATE INDEX CONCURRENTLY
    assert paths["011_procedure_commit"] == "clone"  # COMMIT inside a procedure
    assert paths["012_own_transaction"] == "clone"  # its own BEGIN/COMMIT


def test_the_run_leaves_no_database(
    report: VerifyReport, pgtdd_migrations_janitor: DatabaseJanitor
) -> None:
    assert report.database_prefix.startswith("pgtdd_verify")
    assert pgtdd_migrations_janitor.list(report.database_prefix) == []


def test_text_and_json_reports(report: VerifyReport) -> None:
    text = report.render()
    assert "IRREVERSIBLE 002_add_name\n  irreversible: the down holds only comments" in text
    assert "001_users" not in text  # reversible migrations are not listed
    assert text.splitlines()[-1].startswith(f"verify {report.project}: 16 migrations (")
    data = json.loads(report.to_json())
    assert data["ok"] is False and data["counts"]["failed"] == 2
    assert data["migrations"][4]["failure"]["statement"] == "ALTER TABLE nope ADD y int"


def test_stop_at_the_first_failure(history: Path, pgtdd_server: ServerInfo) -> None:
    stopped = verify_migrations(pgtdd_server, history, rules=VerifyRules(on_error="stop"))
    statuses = [c.status for c in stopped.checks]
    assert statuses[4] == FAILED and set(statuses[5:]) == {NOT_CHECKED}
    assert len(statuses) == len(HISTORY) and stopped.exit_code == 1


def test_ignore_rules_by_kind_field_name_and_listed_migration(
    history: Path, pgtdd_server: ServerInfo
) -> None:
    rules = VerifyRules(
        ignore_kinds=("column.default", "*.privileges"),
        ignore_names=("public.emails",),
        irreversible=("002_*", "7", "first_run"),
    )
    ruled = verify_migrations(pgtdd_server, history, rules=rules)
    statuses = {c.label: c.status for c in ruled.checks}
    assert statuses["003_email_index"] == REVERSIBLE  # only the ignored default differed
    assert statuses["015_no_down"] == IRREVERSIBLE  # no down file: ignoring the view is not enough
    assert statuses["010_grant"] == REVERSIBLE
    assert [statuses[k] for k in ("002_add_name", "007_happy", "009_first_run")] == [LISTED] * 3
    default = {c.label: c for c in ruled.checks}["003_email_index"].differences[0]
    assert default.ignored_by == "kind column.default"
    text = ruled.render(show_ignored=True)
    assert "LISTED 002_add_name (listed as irreversible: 002_*)" in text
    assert "(ignored: kind column.default)" in text


def test_bad_rules_name_the_choices() -> None:
    with pytest.raises(VerifyRulesError, match=r"unknown kind 'colum'; use one of .*column"):
        VerifyRules(ignore_kinds=("colum",))
    with pytest.raises(VerifyRulesError, match="column has no field 'positon'; its fields: "):
        VerifyRules(ignore_kinds=("column.positon",))
    with pytest.raises(VerifyRulesError, match="name a field"):
        VerifyRules(ignore_kinds=("*",))
    with pytest.raises(VerifyRulesError, match="on_error='later'"):
        VerifyRules(on_error="later")


def test_a_column_put_back_at_the_end_is_one_finding(
    tmp_path: Path, pgtdd_server: ServerInfo
) -> None:
    folder = write_history(tmp_path / "m", [
        (1, "t", "CREATE TABLE t (a int, b int, c int, d int);", "DROP TABLE t;"),
        (2, "drop_b", "ALTER TABLE t DROP COLUMN b;", "ALTER TABLE t ADD COLUMN b int;"),
    ])  # fmt: skip
    check = verify_migrations(pgtdd_server, folder).checks[1]
    assert [d.line() for d in check.differences] == [
        "column public.t: columns in another order: b 2nd before the up, 4th after the down"
    ]
    ignored = verify_migrations(
        pgtdd_server, folder, rules=VerifyRules(ignore_kinds=("column.position",))
    )
    assert ignored.ok and ignored.checks[1].differences[0].ignored_by == "kind column.position"


def test_sample_project_is_reversible(pgtdd_server: ServerInfo) -> None:
    result = verify_migrations(pgtdd_server, MIGRATIONS)
    assert result.ok, result.render()
    assert [c.status for c in result.checks] == [REVERSIBLE] * 5


def test_an_empty_or_unknown_folder_is_an_error(tmp_path: Path, pgtdd_server: ServerInfo) -> None:
    from pgtdd.migrations.runner import MigrationError

    with pytest.raises(MigrationError, match="no migration layout matches"):
        verify_migrations(pgtdd_server, tmp_path)
    with pytest.raises(MigrationError, match="not found"):
        verify_migrations(pgtdd_server, tmp_path / "missing")


def test_fixture_applies_the_given_rules(migration_verifier: object, history: Path) -> None:
    report = migration_verifier(history, irreversible=["*"])  # type: ignore[operator]
    assert {c.status for c in report.checks} == {LISTED}
    assert report.ok


def test_ownership_difference(tmp_path: Path, pgtdd_server: ServerInfo) -> None:
    role = "pgtdd_verify_owner_test"
    folder = write_history(tmp_path / "m", [
        (1, "t", "CREATE TABLE t (a int);", "DROP TABLE t;"),
        (2, "owner", f"ALTER TABLE t OWNER TO {role};", "-- keep it"),
    ])  # fmt: skip
    with psycopg.connect(pgtdd_server.url, autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {role}")
        conn.execute(f"CREATE ROLE {role}")
        try:
            check = verify_migrations(pgtdd_server, folder).checks[1]
        finally:
            conn.execute(f"DROP ROLE {role}")
    owner = check.differences[0]
    assert (owner.kind, owner.name, owner.fields["owner"][1]) == ("table", "public.t", role)


SAMPLES = Path(__file__).resolve().parent / "samples"


@pytest.mark.parametrize(
    ("layout", "statuses"),
    [
        ("golang_migrate", {"10_run_backfill": IRREVERSIBLE}),
        ("diesel", {}),
        ("dbmate", {}),
        ("goose", {"00003_order_notes": IRREVERSIBLE}),
        ("flyway", {"V2__create_invoices": REVERSIBLE}),
    ],
)
def test_every_layout_is_read_as_its_tool_reads_it(
    layout: str, statuses: dict[str, str], pgtdd_server: ServerInfo
) -> None:
    placeholders = {"owner": "sales"} if layout == "flyway" else None
    report = verify_migrations(pgtdd_server, SAMPLES / layout, placeholders=placeholders)
    found = {c.label: c.status for c in report.checks}
    assert NOT_CHECKED not in found.values() and FAILED not in found.values(), report.render()
    if layout == "flyway":  # no undo migration but V2's: the others are irreversible, as named
        assert found.pop("V2__create_invoices") == REVERSIBLE
        assert set(found.values()) == {IRREVERSIBLE}
        return
    assert {k: v for k, v in found.items() if v != REVERSIBLE} == statuses
