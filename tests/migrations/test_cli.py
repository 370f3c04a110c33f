"""``pgtdd migrate`` and ``pgtdd mutate`` (the parsers pgtdd.migrations.cli adds)."""

from __future__ import annotations

import argparse
import json

import psycopg
import pytest

from pgtdd.migrations.cli import add_subcommands
from pgtdd.server import ServerInfo
from tests.migrations.conftest import MIGRATIONS, PROJECT


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
