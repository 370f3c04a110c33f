"""MigrationRunner: discovery, tracking, up/down/redo, one transaction each, checksums."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from pgtdd.migrations import MigrationError, MigrationRunner, SchemaSnapshotter
from pgtdd.migrations.runner import discover, needs_autocommit
from pgtdd.serverinfo import ServerInfo
from tests.migrations.conftest import MIGRATIONS


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def _tables(server: ServerInfo) -> set[str]:
    with psycopg.connect(server.url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r[0] for r in rows}


def test_discovery_orders_by_version_and_pairs_down_files(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "m",
        {"10_b.up.sql": "", "2_a.up.sql": "", "2_a.down.sql": "", "100_c.up.sql": ""},
    )
    found = discover(folder)
    assert [(m.version, m.name) for m in found] == [(2, "a"), (10, "b"), (100, "c")]
    assert found[0].down_path is not None and found[1].down_path is None


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"1_a.sql": ""}, "NNN_name.up.sql"),
        ({"1_a.up.sql": "", "01_b.up.sql": ""}, "two up files for version 1"),
        ({"1_a.down.sql": ""}, "without an up file"),
    ],
)
def test_malformed_folders_are_named(tmp_path: Path, files: dict[str, str], message: str) -> None:
    with pytest.raises(MigrationError, match=message):
        discover(_write(tmp_path / "m", files))


def test_up_status_down_on_the_sample_project(empty_db: ServerInfo) -> None:
    with MigrationRunner(empty_db, MIGRATIONS) as runner:
        assert [m.version for m in runner.pending()] == [1, 2, 3, 4, 5]
        applied = runner.up(target=3)
        assert [m.version for m in applied] == [1, 2, 3]
        status = runner.status()
        assert [a.version for a in status.applied] == [1, 2, 3]
        assert [m.version for m in status.pending] == [4, 5]
        assert status.current_version == 3 and status.is_clean
        assert [m.version for m in runner.down(2)] == [3, 2]
        assert runner.current_version() == 1
        assert [m.version for m in runner.up()] == [2, 3, 4, 5]
        assert runner.pending() == []
    assert {"users", "posts", "comments", "user_stats"} <= _tables(empty_db)


def test_pending_is_computed_by_version_not_by_count(empty_db: ServerInfo, tmp_path: Path) -> None:
    folder = _write(tmp_path / "m", {"1_a.up.sql": "CREATE TABLE a (i int)", "3_c.up.sql": ""})
    with MigrationRunner(empty_db, folder, layout="pgtdd") as runner:
        runner.up()
        _write(folder, {"2_b.up.sql": "CREATE TABLE b (i int)"})  # added later, lower version
        assert [m.version for m in runner.pending()] == [2]
        runner.up()
    assert {"a", "b"} <= _tables(empty_db)


def test_golang_migrate_applies_only_versions_above_the_current_one(
    empty_db: ServerInfo, tmp_path: Path
) -> None:
    folder = _write(tmp_path / "m", {"1_a.up.sql": "CREATE TABLE a (i int)", "3_c.up.sql": ""})
    with MigrationRunner(empty_db, folder) as runner:
        assert runner.layout.name == "golang-migrate"
        runner.up()
        _write(folder, {"2_b.up.sql": "CREATE TABLE b (i int)"})  # added later, lower version
        assert runner.pending() == []  # golang-migrate keeps only the current version, 3
        assert [a.version for a in runner.applied()] == [1, 2, 3]
        rows = runner.conn.execute("SELECT version, dirty FROM schema_migrations").fetchall()
    assert rows == [(3, False)] and "b" not in _tables(empty_db)


def test_each_migration_runs_in_its_own_transaction(empty_db: ServerInfo, tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "m",
        {
            "1_ok.up.sql": "CREATE TABLE ok (i int);",
            "2_bad.up.sql": "CREATE TABLE half (i int);\nSELECT no_such_column FROM ok;",
        },
    )
    with MigrationRunner(empty_db, folder) as runner:
        with pytest.raises(MigrationError, match=r"2_bad.up.sql failed at line 2.*42703"):
            runner.up()
        assert [a.version for a in runner.applied()] == [1]
    tables = _tables(empty_db)
    assert "ok" in tables and "half" not in tables


def test_edited_applied_migration_is_reported(empty_db: ServerInfo, tmp_path: Path) -> None:
    folder = _write(tmp_path / "m", {"1_a.up.sql": "CREATE TABLE a (i int);"})
    with MigrationRunner(empty_db, folder, layout="pgtdd") as runner:
        runner.up()
        (folder / "1_a.up.sql").write_text("CREATE TABLE a (i bigint);")
        status = runner.status()
        assert [m.version for m in status.modified] == [1] and not status.is_clean
        assert "MODIFIED since applied" in "\n".join(status.lines())
        _write(folder, {"2_b.up.sql": "CREATE TABLE b (i int);"})
        with pytest.raises(MigrationError, match=r"edited since they ran: 1_a\.up\.sql"):
            runner.up()
        assert [m.version for m in runner.up(allow_modified=True)] == [2]


def test_redo_reverts_and_reapplies(empty_db: ServerInfo) -> None:
    with MigrationRunner(empty_db, MIGRATIONS, layout="pgtdd") as runner:
        runner.up()
        first = {a.version: a.applied_at for a in runner.applied()}
        assert [m.version for m in runner.redo(2)] == [5, 4]
        second = {a.version: a.applied_at for a in runner.applied()}
    assert second.keys() == first.keys()
    assert second[5] > first[5] and second[3] == first[3]


def test_missing_down_file_is_an_error_naming_the_fix(empty_db: ServerInfo, tmp_path: Path) -> None:
    folder = _write(tmp_path / "m", {"1_a.up.sql": "CREATE TABLE a (i int);"})
    with MigrationRunner(empty_db, folder) as runner:
        runner.up()
        with pytest.raises(MigrationError, match=r"add 1_a\.down\.sql"):
            runner.down()


def test_concurrently_runs_outside_a_transaction(empty_db: ServerInfo, tmp_path: Path) -> None:
    sql = "CREATE TABLE t (i int);\nCREATE INDEX CONCURRENTLY t_i ON t (i);"
    assert needs_autocommit(sql) and not needs_autocommit("CREATE INDEX t_i ON t (i)")
    assert needs_autocommit("-- pgtdd:no-transaction\nSELECT 1")
    folder = _write(tmp_path / "m", {"1_a.up.sql": sql})
    with MigrationRunner(empty_db, folder) as runner:
        runner.up()
        assert [a.version for a in runner.applied()] == [1]


def test_non_transactional_migration_refuses_an_open_transaction(
    empty_db: ServerInfo, tmp_path: Path
) -> None:
    folder = _write(tmp_path / "m", {"1_a.up.sql": "CREATE INDEX CONCURRENTLY i ON x (a);"})
    with psycopg.connect(empty_db.url) as conn:
        conn.execute("SELECT 1")  # the caller's transaction is open
        with pytest.raises(MigrationError, match="must run outside a transaction"):
            MigrationRunner(conn, folder).up()


def test_up_down_up_leaves_an_identical_snapshot(empty_db: ServerInfo) -> None:
    with psycopg.connect(empty_db.url, autocommit=True) as conn:
        runner, snapshotter = MigrationRunner(conn, MIGRATIONS), SchemaSnapshotter(conn)
        empty = snapshotter.capture()
        runner.up()
        first = snapshotter.capture()
        runner.down(target=0)
        assert empty.diff(snapshotter.capture()).is_empty
        runner.up()
        again = snapshotter.capture()
    assert first.diff(again).is_empty, str(first.diff(again))
    assert len(first.tables) == 5


def test_tracking_table_name_is_configurable(
    empty_db: ServerInfo, db_at: Callable[[int], ServerInfo], tmp_path: Path
) -> None:
    folder = tmp_path / "m"
    shutil.copytree(MIGRATIONS, folder)
    with MigrationRunner(empty_db, folder, tracking_table="my_versions", layout="pgtdd") as runner:
        runner.up(target=1)
        rows = runner.conn.execute("SELECT version, checksum FROM my_versions").fetchall()
    assert rows == [(1, discover(folder)[0].checksum)]
    with MigrationRunner(db_at(0), folder, tracking_table="public.gm_versions") as runner:
        runner.up(target=2)
        rows = runner.conn.execute("SELECT version, dirty FROM gm_versions").fetchall()
    assert rows == [(2, False)]


def test_non_autocommit_connection_commits_each_migration(empty_db: ServerInfo) -> None:
    with psycopg.connect(empty_db.url) as conn:  # psycopg's default: not autocommit
        MigrationRunner(conn, MIGRATIONS).up(target=2)
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    with psycopg.connect(empty_db.url) as other:  # visible from another session: committed
        rows = other.execute("SELECT version, dirty FROM schema_migrations").fetchall()
    assert rows == [(2, False)]
