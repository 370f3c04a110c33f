"""Each layout's sample applied, reverted and read back, with the history rows its tool writes."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgtdd.databases.janitor import DatabaseJanitor, unique_name
from pgtdd.migrations.fixtures import MigratedDatabase, migrated_database_fixture
from pgtdd.migrations.layouts.flyway import checksum
from pgtdd.migrations.model import MigrationError
from pgtdd.migrations.runner import MigrationRunner
from pgtdd.serverinfo import ServerInfo

SAMPLES = Path(__file__).parent / "samples"
FLYWAY = {"owner": "sales"}
PROJECT_MIGRATIONS = Path(__file__).resolve().parents[2] / "examples/migrations_project/migrations"
pgtdd_layout_db = migrated_database_fixture(PROJECT_MIGRATIONS, layout="pgtdd")


@pytest.fixture
def blank_db(pgtdd_migrations_janitor: DatabaseJanitor) -> Iterator[Callable[[], ServerInfo]]:
    """``blank_db()``: a new empty database (no history table of any tool)."""
    made: list[str] = []

    def make() -> ServerInfo:
        server = pgtdd_migrations_janitor.create(unique_name("layout"))
        made.append(server.database)
        return server

    yield make
    for name in made:
        pgtdd_migrations_janitor.drop(name)


def _rows(server: ServerInfo, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(server.url) as conn:
        return conn.execute(query).fetchall()


def _copy(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLES / name, tmp_path / name))


def test_golang_migrate_sample(blank_db: Callable[[], ServerInfo]) -> None:
    db = blank_db()
    with MigrationRunner(db, SAMPLES / "golang_migrate") as runner:
        assert [m.version for m in runner.up()] == [1, 2, 9, 10, 11]
        assert runner.notes == []  # each file ran as golang-migrate runs it
        assert _rows(db, "SELECT version, dirty FROM schema_migrations") == [(11, False)]
        status = runner.status()
        assert [a.id for a in status.applied] == ["1", "2", "9", "10", "11"] and status.is_clean
        assert [m.version for m in runner.down(2)] == [11, 10]
        assert _rows(db, "SELECT version, dirty FROM schema_migrations") == [(9, False)]
        assert [m.version for m in runner.down(target=1)] == [9, 2]
        assert [m.version for m in runner.down()] == [1]
        assert _rows(db, "SELECT count(*) FROM schema_migrations") == [(0,)]
        runner.up()
    assert _rows(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'accounts_email_idx'") == [
        (1,)
    ]


def test_golang_migrate_failure_outside_a_transaction_leaves_the_database_dirty(
    blank_db: Callable[[], ServerInfo], tmp_path: Path
) -> None:
    db = blank_db()
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "1_a.up.sql").write_text("CREATE TABLE a (i int);\nSELECT nope FROM a;")
    (folder / "2_b.up.sql").write_text("BEGIN;\nCREATE TABLE b (i int);\nCOMMIT;\nSELECT 1/0;")
    with MigrationRunner(db, folder) as runner:
        with pytest.raises(MigrationError, match=r"1_a\.up\.sql failed at line 2"):
            runner.up()
        assert runner.status().applied == []  # one implicit transaction: nothing left, clean
        (folder / "1_a.up.sql").write_text("CREATE TABLE a (i int);")
        # sent as one query, as golang-migrate sends it: PostgreSQL does not say which
        # statement failed, and the COMMIT before it is kept
        with pytest.raises(MigrationError, match=r"2_b\.up\.sql failed: division .*left dirty"):
            runner.up()
        status = runner.status()
        assert status.dirty == "2" and not status.is_clean
        assert any(line.endswith("DIRTY") for line in status.lines())
        with pytest.raises(MigrationError, match=r"dirty at version 2.*force 2"):
            runner.up()
    assert _rows(db, "SELECT version, dirty FROM schema_migrations") == [(2, True)]


def test_diesel_sample(blank_db: Callable[[], ServerInfo], tmp_path: Path) -> None:
    db = blank_db()
    with MigrationRunner(db, SAMPLES / "diesel") as runner:
        assert len(runner.up()) == 5 and runner.notes == []
        rows = _rows(db, "SELECT version, run_on IS NOT NULL FROM __diesel_schema_migrations")
        assert sorted(rows) == [
            ("00000000000000", True),
            ("20200101120000", True),
            ("20200201120000", True),
            ("202003011200000000", True),
            ("20200302000000", True),
        ]
        # the audit migration's SET search_path did not leak into the next migration
        assert _rows(db, "SELECT to_regclass('public.comments') IS NOT NULL") == [(True,)]
        assert [m.title for m in runner.down()] == ["2020-03-02-000000_create_comments"]
        assert [m.id for m in runner.redo()] == ["202003011200000000"]  # now the last applied
        assert [m.id for m in runner.up()] == ["20200302000000"]
    folder = _copy("diesel", tmp_path)
    (folder / "2020-03-01-120000-0000_index_posts" / "metadata.toml").unlink()
    with MigrationRunner(blank_db(), folder) as runner:
        runner.up()
        assert runner.notes == [
            "2020-03-01-120000-0000_index_posts (up): diesel runs it in a transaction, where "
            "PostgreSQL refuses CREATE INDEX CONCURRENTLY; pgtdd ran it outside a transaction; "
            "put `run_in_transaction = false` in the migration's metadata.toml for Diesel"
        ]


def test_dbmate_sample(blank_db: Callable[[], ServerInfo]) -> None:
    db = blank_db()
    with MigrationRunner(db, SAMPLES / "dbmate") as runner:
        assert len(runner.up()) == 3 and runner.notes == []
        assert sorted(_rows(db, "SELECT version FROM schema_migrations")) == [
            ("20200101000000",),
            ("20200102000000",),
            ("20200103000000",),
        ]
        assert _rows(db, "SELECT name, price FROM items ORDER BY id") == [
            ("pen", 1.5),
            ("ink", 4.0),
        ]
        assert [m.id for m in runner.down()] == ["20200103000000"]  # both down blocks ran
        assert _rows(db, "SELECT count(*) FROM items") == [(0,)]
        assert [m.id for m in runner.down()] == ["20200102000000"]  # transaction:false
    cols = _rows(db, "SELECT data_type FROM information_schema.columns WHERE table_name = "
                 "'schema_migrations'")  # fmt: skip
    assert cols == [("character varying",)]


def test_dbmate_refuses_golang_migrates_table_of_the_same_name(
    blank_db: Callable[[], ServerInfo],
) -> None:
    db = blank_db()
    with MigrationRunner(db, SAMPLES / "golang_migrate") as runner:
        runner.up(target=1)
    with (
        MigrationRunner(db, SAMPLES / "dbmate") as runner,
        pytest.raises(
            MigrationError, match=r"schema_migrations is golang-migrate's history .*not dbmate's"
        ),
    ):
        runner.up()


def test_goose_sample(blank_db: Callable[[], ServerInfo]) -> None:
    db = blank_db()
    with MigrationRunner(db, SAMPLES / "goose") as runner:
        assert [m.version for m in runner.up(target=2)] == [1, 2]
        assert runner.notes == []
        assert _rows(db, "SELECT version_id, is_applied FROM goose_db_version ORDER BY id") == [
            (0, True),
            (1, True),
            (2, True),
        ]
        assert _rows(db, "SELECT order_total(1)") == [(0,)]  # the StatementBegin block's body
        assert [m.version for m in runner.down()] == [2]  # NO TRANSACTION: one by one
        assert _rows(db, "SELECT max(version_id) FROM goose_db_version") == [(1,)]
        assert [m.version for m in runner.up()] == [2, 3]
        with pytest.raises(MigrationError, match=r"has no down migration.*'-- \+goose Down'"):
            runner.down()


def test_goose_refuses_a_version_below_the_applied_ones(
    blank_db: Callable[[], ServerInfo], tmp_path: Path
) -> None:
    folder = _copy("goose", tmp_path)
    late = folder / "00002_index_orders.sql"
    late.rename(tmp_path / "later.sql")
    with MigrationRunner(blank_db(), folder) as runner:
        assert [m.version for m in runner.up()] == [1, 3]
        (tmp_path / "later.sql").rename(late)  # added after version 3 was applied
        with pytest.raises(MigrationError, match=r"1 missing migration\(s\) before .* 3: 00002"):
            runner.up()
        assert any("up refuses" in note for note in runner.status().notes)


def test_flyway_sample_history_rows(blank_db: Callable[[], ServerInfo]) -> None:
    db = blank_db()
    with MigrationRunner(db, SAMPLES / "flyway", placeholders=FLYWAY) as runner:
        assert len(runner.up()) == 7
        assert runner.notes == [
            "V1_2__customer_email_index (up): has CREATE INDEX CONCURRENTLY, so it ran outside "
            "a transaction (as Flyway does)"
        ]
        rows = _rows(
            db,
            "SELECT installed_rank, version, description, type, script, checksum, success,"
            " installed_by = current_user, execution_time >= 0 FROM flyway_schema_history"
            " ORDER BY installed_rank",
        )
    files = ["V1__create_customers.sql", "V1.1__add_customer_email.sql",
             "V1_2__customer_email_index.sql", "sub/V2__create_invoices.sql", "V3__analyze.sql",
             "V10__invoice_totals.sql", "R__customer_totals.sql"]  # fmt: skip
    crcs = [checksum((SAMPLES / "flyway" / f).read_text()) for f in files]
    assert rows == [
        (1, "1", "create customers", "SQL", files[0], crcs[0], True, True, True),
        (2, "1.1", "add customer email", "SQL", files[1], crcs[1], True, True, True),
        (3, "1.2", "customer email index", "SQL", files[2], crcs[2], True, True, True),
        (4, "2", "create invoices", "SQL", files[3], crcs[3], True, True, True),
        (5, "3", "analyze", "SQL", files[4], crcs[4], True, True, True),
        (6, "10", "invoice totals", "SQL", files[5], crcs[5], True, True, True),
        (7, None, "customer totals", "SQL", files[6], crcs[6], True, True, True),
    ]
    assert _rows(db, "SELECT obj_description('customers'::regclass)") == [("owned by sales",)]


def test_flyway_repeatable_runs_again_when_changed_and_edits_are_refused(
    blank_db: Callable[[], ServerInfo], tmp_path: Path
) -> None:
    folder = _copy("flyway", tmp_path)
    with MigrationRunner(blank_db(), folder, placeholders=FLYWAY) as runner:
        runner.up()
        assert runner.up() == []
        view = folder / "R__customer_totals.sql"
        view.write_text(view.read_text() + "-- counts every invoice\n")
        assert [m.label for m in runner.pending()] == ["R__customer_totals"]
        assert [m.label for m in runner.up()] == ["R__customer_totals"]
        first = folder / "V1__create_customers.sql"
        first.write_text(first.read_text() + "\n-- edited\n")
        status = runner.status()
        assert [m.id for m in status.modified] == ["1"] and not status.is_clean
        with pytest.raises(MigrationError, match=r"edited since they ran: V1__create_customers"):
            runner.up()


def test_flyway_undo_and_validation(blank_db: Callable[[], ServerInfo], tmp_path: Path) -> None:
    folder = _copy("flyway", tmp_path)
    db = blank_db()
    with MigrationRunner(db, folder, placeholders=FLYWAY) as runner:
        runner.up(target="2")
        assert [m.id for m in runner.down()] == ["2"]
        assert ("2", "UNDO_SQL", "sub/U2__create_invoices.sql") in _rows(
            db, "SELECT version, type, script FROM flyway_schema_history"
        )
        assert [m.id for m in runner.pending()][:1] == ["2"]
        runner.up()
        (folder / "V1.5__late.sql").write_text("SELECT 1;")
        with pytest.raises(MigrationError, match=r"not applied to the database.*V1\.5__late"):
            runner.up()


def test_flyway_failed_run_outside_a_transaction_is_recorded(
    blank_db: Callable[[], ServerInfo], tmp_path: Path
) -> None:
    folder = _copy("flyway", tmp_path)
    (folder / "V3__analyze.sql").write_text("INSERT INTO customers (name) VALUES (NULL);")
    db = blank_db()
    with MigrationRunner(db, folder, placeholders=FLYWAY) as runner:
        with pytest.raises(MigrationError, match="failed row, as Flyway writes it"):
            runner.up()
        with pytest.raises(MigrationError, match=r"failed migration\(s\): 3 \(analyze\)"):
            runner.up()
        assert not runner.status().is_clean
    assert _rows(db, "SELECT version, success FROM flyway_schema_history WHERE NOT success") == [
        ("3", False)
    ]


def test_another_tools_history_stops_a_wrongly_read_folder(
    blank_db: Callable[[], ServerInfo],
) -> None:
    db = blank_db()
    with MigrationRunner(db, SAMPLES / "goose") as runner:
        runner.up(target=1)
    with (
        MigrationRunner(db, SAMPLES / "golang_migrate") as runner,
        pytest.raises(MigrationError, match=r"has goose_db_version .*history of goose"),
    ):
        runner.up()


def test_a_failing_history_row_is_named_and_rolls_the_migration_back(
    blank_db: Callable[[], ServerInfo], tmp_path: Path
) -> None:
    folder = tmp_path / "m"
    (folder / "20200101000000_a").mkdir(parents=True)
    (folder / "20200101000000_a" / "up.sql").write_text(
        "CREATE TABLE a (i int);\n"
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('20200101000000');\n"
    )
    db = blank_db()
    written = r"up\.sql ran, but writing its row in __diesel_schema_migrations failed: duplicate"
    with MigrationRunner(db, folder) as runner, pytest.raises(MigrationError, match=written):
        runner.up()
    assert _rows(db, "SELECT to_regclass('a') IS NULL") == [(True,)]


def test_flyway_schemas_setting(blank_db: Callable[[], ServerInfo]) -> None:
    db = blank_db()
    folder = SAMPLES / "flyway"
    with MigrationRunner(db, folder, placeholders=FLYWAY, schemas=["sales", "extra"]) as runner:
        assert len(runner.up()) == 7
        assert runner.status().is_clean and runner.history.table == "sales.flyway_schema_history"
    rows = _rows(db, "SELECT installed_rank, type, script, version FROM sales.flyway_schema_history"
                 " WHERE installed_rank < 2 ORDER BY 1")  # fmt: skip
    assert rows == [
        (0, "SCHEMA", '"sales","extra"', None),
        (1, "SQL", "V1__create_customers.sql", "1"),
    ]
    assert _rows(db, "SELECT to_regclass('sales.customers') IS NOT NULL") == [(True,)]
    with (
        MigrationRunner(db, SAMPLES / "goose", schemas=["sales"]) as runner,
        pytest.raises(MigrationError, match="is Flyway's setting; the folder is goose"),
    ):
        runner.up()


def test_migrated_database_fixture_takes_the_layout(pgtdd_layout_db: MigratedDatabase) -> None:
    rows = _rows(pgtdd_layout_db.server, "SELECT version FROM pgtdd_schema_migrations ORDER BY 1")
    assert rows == [(1,), (2,), (3,), (4,), (5,)]
    assert _rows(pgtdd_layout_db.server, "SELECT to_regclass('schema_migrations')") == [(None,)]
    with pgtdd_layout_db.runner() as runner:
        assert runner.layout.name == "pgtdd" and runner.status().is_clean


def test_golang_migrate_refuses_a_current_version_the_folder_lacks(
    blank_db: Callable[[], ServerInfo], tmp_path: Path
) -> None:
    folder = _copy("golang_migrate", tmp_path)
    db = blank_db()
    with MigrationRunner(db, folder) as runner:
        runner.up()
        for path in folder.glob("11_*"):
            path.unlink()
        status = runner.status()
        assert [a.id for a in status.missing] == ["11"] and not status.is_clean
        with pytest.raises(MigrationError, match="at version 11, which the folder does not have"):
            runner.up()
