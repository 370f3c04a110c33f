"""DataValidator: exact counts, checksums, NULLs, orphans per foreign key, invalid indexes."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from pgtdd.migrations import DataValidator
from pgtdd.serverinfo import ServerInfo

SETUP = """
CREATE TABLE parent (id int PRIMARY KEY, code text);
CREATE TABLE child (id int PRIMARY KEY, a int, b int, note text);
CREATE TABLE pair (x int, y int, PRIMARY KEY (x, y));
INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 50) g;
INSERT INTO pair VALUES (1, 1), (1, 2);
INSERT INTO child VALUES (1, 1, 1, 'ok'), (2, 99, 1, NULL), (3, NULL, NULL, NULL), (4, 1, 7, 'x');
ALTER TABLE child ADD CONSTRAINT child_parent FOREIGN KEY (a) REFERENCES parent NOT VALID;
ALTER TABLE child ADD CONSTRAINT child_pair FOREIGN KEY (a, b) REFERENCES pair NOT VALID;
"""


@pytest.fixture
def conn(empty_db: ServerInfo) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    with psycopg.connect(empty_db.url, autocommit=True) as connection:
        connection.execute(SETUP.encode())
        yield connection


def test_row_counts_are_exact(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    # No ANALYZE ran: the planner's estimate (reltuples) is unknown, the count is exact.
    counts = DataValidator(conn).row_counts()
    assert counts == {"public.child": 4, "public.pair": 2, "public.parent": 50}


def test_checksums_change_exactly_when_contents_do(
    conn: psycopg.Connection[tuple[object, ...]],
) -> None:
    validator = DataValidator(conn)
    before = validator.capture()
    conn.execute("UPDATE parent SET code = code WHERE id = 1")  # same contents
    assert validator.check_unchanged(before).passed
    conn.execute("UPDATE parent SET code = 'changed' WHERE id = 2")
    check = validator.check_unchanged(before)
    assert not check.passed
    assert check.details == {
        "public.parent": {"rows_before": 50, "rows_after": 50, "content_changed": True}
    }


def test_null_checks(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    validator = DataValidator(conn)
    assert validator.null_count("public.child", "note") == 2
    assert validator.check_no_nulls("public.child", ["id"]).passed
    failed = validator.check_no_nulls("public.child", ["id", "note"])
    assert not failed.passed and failed.details == {"note": 2}


def test_orphans_are_counted_for_every_foreign_key(
    conn: psycopg.Connection[tuple[object, ...]],
) -> None:
    validator = DataValidator(conn)
    assert validator.orphaned_rows() == {
        "public.child.child_pair": 2,  # (99, 1) and (1, 7); (NULL, NULL) is not checked
        "public.child.child_parent": 1,  # a = 99
    }
    check = validator.check_foreign_keys()
    assert not check.passed and check.details["checked"] == 2
    conn.execute("DELETE FROM child WHERE id IN (2, 4)")
    assert validator.check_foreign_keys().passed


def test_invalid_index_is_found(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    conn.execute("INSERT INTO parent VALUES (51, 'p1')")  # duplicate code
    with pytest.raises(psycopg.errors.UniqueViolation):
        conn.execute("CREATE UNIQUE INDEX CONCURRENTLY parent_code_key ON parent (code)")
    validator = DataValidator(conn)
    assert validator.invalid_indexes() == ["public.parent_code_key"]
    assert not validator.check_indexes().passed


def test_an_error_is_never_a_pass(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    validator = DataValidator(conn)
    with pytest.raises(psycopg.errors.UndefinedTable):
        validator.row_counts(["public.missing"])

    def broken() -> object:
        return validator.check_no_nulls("public.child", ["no_such_column"])

    report = validator.validate([broken])  # type: ignore[list-item]
    assert not report.passed
    assert report.failures[-1].error and "no_such_column" in report.failures[-1].error
