"""Layouts, read from folders only: detection, each tool's order, sections, transaction rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgtdd.config.profile import MIGRATION_LAYOUTS
from pgtdd.migrations.execution import make_plan
from pgtdd.migrations.layouts import LAYOUT_NAMES, detect, discover, load
from pgtdd.migrations.layouts.flyway import checksum, version_key
from pgtdd.migrations.model import AS_IS, STATEMENTS, TRANSACTION, MigrationError

SAMPLES = Path(__file__).parent / "samples"


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def test_profile_validates_the_same_layout_names() -> None:
    assert set(MIGRATION_LAYOUTS) == set(LAYOUT_NAMES)


@pytest.mark.parametrize(
    ("folder", "layout"),
    [
        ("golang_migrate", "golang-migrate"),
        ("diesel", "diesel"),
        ("dbmate", "dbmate"),
        ("goose", "goose"),
        ("flyway", "flyway"),
    ],
)
def test_each_sample_is_detected_as_its_tool(folder: str, layout: str) -> None:
    assert detect(SAMPLES / folder).name == layout


def test_a_folder_of_no_layout_names_the_layouts_and_what_it_saw(tmp_path: Path) -> None:
    folder = _write(tmp_path, {"schema.sql": "CREATE TABLE a (i int);", "seed.sql": ""})
    with pytest.raises(MigrationError) as caught:
        discover(folder)
    message = str(caught.value)
    assert "no migration layout matches" in message and "schema.sql, seed.sql" in message
    for layout in ("golang-migrate", "diesel", "dbmate", "goose", "flyway"):
        assert layout in message
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(MigrationError, match="the folder is empty"):
        discover(empty)


def test_two_matching_layouts_are_an_error_not_a_guess(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        {
            "1_a.up.sql": "CREATE TABLE a (i int);",
            "20200101_b.sql": "-- migrate:up\nCREATE TABLE b (i int);\n-- migrate:down\n",
        },
    )
    with pytest.raises(MigrationError) as caught:
        detect(folder)
    message = str(caught.value)
    assert "golang-migrate (1_a.up.sql)" in message and "dbmate (20200101_b.sql)" in message
    assert "--layout" in message
    assert [m.label for m in discover(folder, "golang-migrate")] == ["1_a"]


def test_golang_migrate_pairs_by_version_and_orders_numerically() -> None:
    found = discover(SAMPLES / "golang_migrate")
    assert [m.version for m in found] == [1, 2, 9, 10, 11]
    second = found[1]
    assert second.up_path.name == "2_account_names.up.sql"
    assert second.down_path is not None and second.down_path.name == "2_drop_account_names.down.sql"
    assert all(m.transaction("up") == AS_IS for m in found)
    plans = [make_plan(m, "up").mode for m in found]
    # its own BEGIN/COMMIT, a CALL that commits and a CONCURRENTLY index go as is; the
    # multi-statement file without them is one implicit transaction: pgtdd makes it explicit
    assert plans == [TRANSACTION, AS_IS, TRANSACTION, AS_IS, AS_IS]


def test_diesel_orders_by_version_string_with_dashes_removed() -> None:
    found = load(SAMPLES / "diesel")
    assert [m.id for m in found.migrations] == [
        "00000000000000",
        "20200101120000",
        "20200201120000",
        "202003011200000000",  # string order: before 20200302000000 although numerically larger
        "20200302000000",
    ]
    index = found.migrations[3]
    assert index.title == "2020-03-01-120000-0000_index_posts"
    assert index.transaction("up") == AS_IS and found.migrations[1].transaction("up") == TRANSACTION
    assert found.ignored == ["notes.sql"]


def test_diesel_metadata_without_the_key_means_no_transaction(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        {"2020-01-01-000000_a/up.sql": "SELECT 1;", "2020-01-01-000000_a/metadata.toml": ""},
    )
    assert discover(folder)[0].transaction("up") == AS_IS  # serde's default for a missing bool
    _write(folder, {"2020-01-02-000000_b/down.sql": "SELECT 1;"})
    with pytest.raises(MigrationError, match="2020-01-02-000000_b: a Diesel migration folder"):
        discover(folder)


def test_dbmate_sections_options_and_lines() -> None:
    found = load(SAMPLES / "dbmate")
    first, index, prices = found.migrations
    assert [m.id for m in found.migrations] == [
        "20200101000000",
        "20200102000000",
        "20200103000000",
    ]
    assert first.section("up").line == 2 and first.section("down").line == 8
    assert first.read("up").startswith("-- migrate:up\nCREATE TABLE items")
    assert index.transaction("up") == AS_IS and index.transaction("down") == AS_IS
    assert first.transaction("up") == TRANSACTION
    units = prices.section("up").units
    assert units is not None and [u.line for u in units] == [1, 7]  # two up blocks, file order
    assert found.ignored == ["README.txt"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("CREATE TABLE a (i int);\n-- migrate:up\n", r"x\.sql:1: dbmate does not support"),
        ("-- migrate:down\nSELECT 1;\n-- migrate:up\n", r"x\.sql:1: dbmate requires every"),
        ("SELECT 1;\n", "define an up block with '-- migrate:up'"),
        ("-- migrate:up transaction:maybe\n", r"x\.sql:1: transaction must be true or false"),
    ],
)
def test_dbmate_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path, {"1_x.sql": text})
    with pytest.raises(MigrationError, match=message):
        discover(tmp_path, "dbmate")


def test_goose_blocks_keep_their_semicolons_and_no_transaction_splits() -> None:
    orders, index, notes = discover(SAMPLES / "goose")
    assert [m.version for m in (orders, index, notes)] == [1, 2, 3]
    assert orders.transaction("up") == TRANSACTION and index.transaction("up") == STATEMENTS
    assert "RETURN coalesce(total, 0);" in orders.read(
        "up"
    ) and "-- +goose Down" not in orders.read("up")
    units = index.section("up").units
    assert units is not None and len(units) == 2  # CREATE INDEX, then the whole DO block
    assert units[0].sql.strip().startswith("CREATE INDEX CONCURRENTLY") and units[0].line == 3
    assert "COMMIT;" in units[1].sql and units[1].line == 6
    assert index.transaction("down") == STATEMENTS
    assert not notes.has_down and notes.down_path is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT 1;\n", r"x\.sql:1: SQL before '-- \+goose Up'"),
        ("-- only a comment\n", r"x\.sql: a goose migration starts with '-- \+goose Up'"),
        (
            "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n",
            "missing '-- \\+goose StatementEnd'",
        ),
        ("-- +goose Up\n -- +goose Down\n", r"x\.sql:2: a goose annotation must start the line"),
        ("-- +goose Up\n-- +goose Sideways\n", r"x\.sql:2: unknown goose annotation"),
        ("-- +goose Up\n-- +goose ENVSUB ON\n", r"x\.sql:2: .*not supported by pgtdd"),
    ],
)
def test_goose_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path, {"1_x.sql": text})
    with pytest.raises(MigrationError, match=message):
        discover(tmp_path, "goose")


def test_goose_go_migrations_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, {"1_x.sql": "-- +goose Up\nSELECT 1;\n", "2_y.go": "package migrations\n"})
    with pytest.raises(MigrationError, match=r"goose Go migrations \(2_y\.go\)"):
        discover(tmp_path)


def test_flyway_versions_sub_folders_undo_and_repeatables_last() -> None:
    found = load(SAMPLES / "flyway", placeholders={"owner": "sales"})
    ids = [m.id for m in found.migrations]
    assert ids == ["1", "1.1", "1.2", "2", "3", "10", "customer totals"]
    assert [m.version for m in found.migrations] == [1, 2, 3, 4, 5, 6, 7]  # positions
    invoices = found.migrations[3]
    assert invoices.meta["script"] == "sub/V2__create_invoices.sql"
    assert invoices.down_path is not None and invoices.down_path.name == "U2__create_invoices.sql"
    assert found.migrations[-1].repeatable
    assert "owned by sales" in found.migrations[0].read("up")
    assert found.migrations[4].transaction("up") == STATEMENTS  # V3__analyze.sql.conf


def test_flyway_missing_placeholder_and_duplicate_versions(tmp_path: Path) -> None:
    with pytest.raises(
        MigrationError, match=r"V1__create_customers\.sql:5: no value .*\$\{owner\}"
    ):
        discover(SAMPLES / "flyway")
    _write(tmp_path, {"V1__a.sql": "SELECT 1;", "V1.0__b.sql": "SELECT 2;"})
    with pytest.raises(
        MigrationError, match=r"more than one migration with version 1 \(also .*V1\.0__b\.sql\)"
    ):
        discover(tmp_path)


def test_flyway_version_order_and_checksum_match_flyway() -> None:
    assert version_key("1.0") == version_key("1") < version_key("1.0.1") < version_key("1.10")
    assert version_key("2_6_0_20180807192421") == (2, 6, 0, 20180807192421)
    # Flyway's ChecksumCalculator: CRC-32 of the lines without line breaks, BOM dropped, signed
    assert checksum("SELECT 1;\r\nSELECT 2;\n") == checksum("\ufeffSELECT 1;\nSELECT 2;")
    # reference values computed with java.util.zip.CRC32 over BufferedReader.readLine() lines
    assert checksum("SELECT 8;") == -714045419
    assert checksum("CREATE TABLE t (id int);\n-- \u00e9 comment\r\nSELECT 2;") == 1239336482


def test_rewrite_replaces_one_section_and_keeps_the_rest() -> None:
    orders = discover(SAMPLES / "goose")[0]
    path, text = orders.rewrite("down", "\nDROP TABLE orders CASCADE;\n")
    assert path == orders.up_path
    assert text.startswith(path.read_text().split("-- +goose Down")[0])
    assert text.endswith("-- +goose Down\n\nDROP TABLE orders CASCADE;\n")
