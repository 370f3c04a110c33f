"""``pgtdd migrate`` and ``pgtdd mutate`` (the parsers pgtdd.migrations.cli adds)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from pgtdd.databases.janitor import DatabaseJanitor, unique_name
from pgtdd.migrations.cli import add_subcommands
from pgtdd.serverinfo import ServerInfo
from tests.migrations.conftest import MIGRATIONS, PROJECT

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def blank_cli_db(pgtdd_migrations_janitor: DatabaseJanitor) -> Iterator[ServerInfo]:
    """An empty database of its own, no history table of any tool."""
    server = pgtdd_migrations_janitor.create(unique_name("cli_layout"))
    yield server
    pgtdd_migrations_janitor.drop(server.database)


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="pgtdd")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_migrate_up_status_down(empty_db: ServerInfo, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("migrate", "up", str(MIGRATIONS), "--url", empty_db.url, "--target", "2") == 0
    out = capsys.readouterr().out
    assert "up: 001_create_users, 002_create_posts" in out
    assert "0003 create_comments" in out and "pending" in out
    assert _run("migrate", "status", str(MIGRATIONS), "--url", empty_db.url) == 0
    assert _run("migrate", "down", str(MIGRATIONS), "--url", empty_db.url, "--target", "0") == 0
    assert "down: 002_create_posts, 001_create_users" in capsys.readouterr().out
    with psycopg.connect(empty_db.url) as conn:
        assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone() == (0,)


def test_migrate_without_a_server_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    assert _run("migrate", "status", str(MIGRATIONS)) == 2
    assert "pass --url" in capsys.readouterr().err


def test_mutate_prints_kill_rate_survivors_and_stillborn(
    pgtdd_server: ServerInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    weak = str(PROJECT / "tests" / "weak")
    code = _run(
        "mutate", str(MIGRATIONS), "--tests", weak, "--url", pgtdd_server.url,
        "--mutations", "SCH_001,DAT_005", "--min-kill-rate", "90", "--keep-templates",
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 1 and "below --min-kill-rate 90" in out.err
    assert "Kill rate:" in out.out
    assert "DAT_005 [MEDIUM] Seed row missing from an INSERT ... VALUES" in out.out
    assert "-    ('reader', 'Reads published posts')," in out.out  # the survivor's diff
    assert "Stillborn:" in out.out and "roles.name PRIMARY KEY" in out.out
    assert pgtdd_server.password not in out.out + out.err


def test_mutate_json(pgtdd_server: ServerInfo, capsys: pytest.CaptureFixture[str]) -> None:
    good = str(PROJECT / "tests" / "good")
    code = _run(
        "mutate", str(MIGRATIONS), "--tests", good, "--url", pgtdd_server.url,
        "--mutations", "RBK_002,PRF_004", "--json", "--keep-templates", "--workers", "2",
    )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["statistics"]["kill_rate"] == 100.0
    assert {r["mutation_id"] for r in report["results"]} == {"RBK_002", "PRF_004"}


def _verify_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    files = {
        "001_t.up.sql": "CREATE TABLE t (a int, b int, c int);",
        "001_t.down.sql": "DROP TABLE t;",
        "002_drop_b.up.sql": "ALTER TABLE t DROP COLUMN b;",
        "002_drop_b.down.sql": "ALTER TABLE t ADD COLUMN b int;",
        "003_note.up.sql": "COMMENT ON TABLE t IS 'rows';",
        "003_note.down.sql": "-- forgot it",
    }
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_verify_exit_codes_text_and_json(
    tmp_path: Path, pgtdd_server: ServerInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(_verify_folder(tmp_path))
    assert _run("migrate", "verify", folder, "--url", pgtdd_server.url) == 1
    out = capsys.readouterr().out
    assert "IRREVERSIBLE 002_drop_b\n  column public.t: columns in another order: b 2nd" in out
    assert "IRREVERSIBLE 003_note\n  irreversible: the down holds only comments" in out
    assert pgtdd_server.password not in out
    code = _run(
        "migrate", "verify", folder, "--url", pgtdd_server.url, "--json",
        "--ignore-kind", "column.position", "--irreversible", "003_note",
    )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["ok"] is True
    assert report["counts"] == {
        "reversible": 2, "irreversible": 0, "redo_differs": 0, "failed": 0, "listed": 1,
        "not_checked": 0,
    }  # fmt: skip


def test_verify_takes_its_rules_from_the_profile(
    tmp_path: Path,
    pgtdd_server: ServerInfo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = str(_verify_folder(tmp_path))
    profile = tmp_path / "team.yaml"
    profile.write_text(
        "extends: local\nmigration_verify:\n  ignore_kinds: [column.position, '*.comment']\n"
    )
    monkeypatch.setenv("PGTDD_PROFILE", str(profile))
    monkeypatch.setenv("TEST_DATABASE_URL", pgtdd_server.url)
    assert _run("migrate", "verify", folder) == 1  # 003's down still holds only comments
    out = capsys.readouterr().out
    assert "002_drop_b" not in out and "IRREVERSIBLE 003_note" in out
    assert _run("migrate", "verify", folder, "--irreversible", "3") == 0
    capsys.readouterr()
    profile.write_text("extends: local\nmigration_verify:\n  ignore_kinds: [colum]\n")
    assert _run("migrate", "verify", folder) == 2
    err = capsys.readouterr().err
    assert "team.yaml:3: migration_verify.ignore_kinds:" in err and "unknown kind 'colum'" in err


def test_verify_on_error_stop(
    tmp_path: Path, pgtdd_server: ServerInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _verify_folder(tmp_path)
    (folder / "002_drop_b.down.sql").write_text("ALTER TABLE t ADD COLUMN b int\nALTER nothing;")
    code = _run(
        "migrate", "verify", str(folder), "--url", pgtdd_server.url, "--on-error", "stop"
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED 002_drop_b\n  down failed in 002_drop_b.down.sql line 2" in out
    assert "NOT CHECKED 003_note" in out


def test_migrate_reads_each_layout_and_prints_its_notes(
    blank_cli_db: ServerInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    diesel = str(SAMPLES / "diesel")
    assert _run("migrate", "up", diesel, "--url", blank_cli_db.url) == 0
    out = capsys.readouterr()
    assert "layout: diesel (history table __diesel_schema_migrations)" in out.out
    assert "note: not diesel migrations, ignored: notes.sql" in out.err
    assert "20200302000000 create_comments" in out.out and "pending" not in out.out
    assert blank_cli_db.password not in out.out + out.err


def test_a_folder_of_no_layout_is_an_error_not_nothing_to_do(
    blank_cli_db: ServerInfo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "schema.sql").write_text("CREATE TABLE a (i int);")
    assert _run("migrate", "up", str(tmp_path), "--url", blank_cli_db.url) == 2
    err = capsys.readouterr().err
    assert "no migration layout matches" in err and "schema.sql" in err and "goose" in err


def test_layout_option_and_profile_key_force_the_layout(
    blank_cli_db: ServerInfo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    profile = tmp_path / "mine.yaml"
    profile.write_text("extends: container\nmigrations_layout: pgtdd\n")
    monkeypatch.setenv("PGTDD_PROFILE", str(profile))
    assert _run("migrate", "up", str(MIGRATIONS), "--url", blank_cli_db.url, "--target", "1") == 0
    assert "layout: pgtdd (history table pgtdd_schema_migrations)" in capsys.readouterr().out
    with psycopg.connect(blank_cli_db.url) as conn:
        assert conn.execute("SELECT version FROM pgtdd_schema_migrations").fetchall() == [(1,)]
    # --layout wins over the profile; the database's pgtdd history then stops golang-migrate
    code = _run("migrate", "up", str(MIGRATIONS), "--url", blank_cli_db.url,
                "--layout", "golang-migrate")  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "has pgtdd_schema_migrations (the history of pgtdd)" in err
    profile.write_text("extends: container\nmigrations_layout: liquibase\n")
    assert _run("migrate", "status", str(MIGRATIONS), "--url", blank_cli_db.url) == 2
    err = capsys.readouterr().err
    assert "mine.yaml:2: migrations_layout must be one of golang-migrate, diesel" in err


def test_verify_reads_a_flyway_folder_with_its_placeholders(
    pgtdd_server: ServerInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    samples = Path(__file__).resolve().parent / "samples" / "flyway"
    args = ("migrate", "verify", str(samples), "--url", pgtdd_server.url, "--json")
    assert _run(*args) == 2  # ${owner} has no value
    assert "--placeholder owner=VALUE" in capsys.readouterr().err
    assert _run(*args, "--layout", "flyway", "--placeholder", "owner=sales") == 1
    report = json.loads(capsys.readouterr().out)
    statuses = {m["migration"]: m["status"] for m in report["migrations"]}
    assert statuses["V2__create_invoices"] == "reversible"  # its undo migration U2 undoes it
    assert statuses["V1__create_customers"] == "irreversible"


def test_each_migration_verify_key_in_the_profile_takes_effect(
    tmp_path: Path,
    pgtdd_server: ServerInfo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = str(_verify_folder(tmp_path))
    profile = tmp_path / "team.yaml"
    monkeypatch.setenv("PGTDD_PROFILE", str(profile))
    monkeypatch.setenv("TEST_DATABASE_URL", pgtdd_server.url)

    def verify(section: str) -> tuple[int, str]:
        profile.write_text("extends: local\n" + section)
        code = _run("migrate", "verify", folder)
        return code, capsys.readouterr().out

    code, out = verify("")
    assert code == 1 and "IRREVERSIBLE 002_drop_b" in out and "IRREVERSIBLE 003_note" in out
    # 002's only difference is the column order; 003's only finding is its empty down.
    _, out = verify("migration_verify:\n  ignore_kinds: [column.position]\n")
    assert "IRREVERSIBLE 002_drop_b" not in out and "IRREVERSIBLE 003_note" in out
    _, out = verify("migration_verify:\n  ignore_names: 'public.t*'\n")
    assert "IRREVERSIBLE 002_drop_b" not in out and "columns in another order" not in out
    code, out = verify(
        "migration_verify:\n  ignore_kinds: [column.position]\n  irreversible: ['3']\n"
    )
    assert code == 0, out
    (tmp_path / "migrations" / "002_drop_b.down.sql").write_text("ALTER nothing;")
    _, out = verify("migration_verify:\n  on_error: stop\n")
    assert "FAILED 002_drop_b" in out and "NOT CHECKED 003_note" in out
