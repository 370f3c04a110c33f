"""Data integrity checks around a migration: exact counts, content checksums, NULLs, orphans.

Every check queries the database for real. A check that cannot run raises (a database error is
never turned into "passed"); :meth:`DataValidator.validate` records such an error as a failed
check with the error message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from pgtdd.migrations._db import Target, fetch_all, open_target
from pgtdd.migrations.layouts import HISTORY_TABLES

TABLES_QUERY = """
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_%%' AND c.relname <> ALL(%(skip)s)
      AND NOT c.relispartition
    ORDER BY 1, 2"""

FOREIGN_KEYS_QUERY = """
    SELECT con.conname, n.nspname, c.relname, rn.nspname, rc.relname,
        (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(num, i)
         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num),
        (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(num, i)
         JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num)
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
    WHERE con.contype = 'f' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    ORDER BY 2, 3, 1"""

INVALID_INDEXES_QUERY = """
    SELECT n.nspname || '.' || ic.relname, n.nspname || '.' || tc.relname
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
    WHERE NOT i.indisvalid OR NOT i.indisready ORDER BY 1"""


@dataclass
class CheckResult:
    """The outcome of one check: ``passed``, what was found, and an error if it could not run."""

    name: str
    passed: bool
    details: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def __str__(self) -> str:
        state = "ok" if self.passed else ("ERROR " + (self.error or "") if self.error else "FAILED")
        return f"{self.name}: {state} {self.details if self.details else ''}".rstrip()


@dataclass
class ValidationReport:
    """Several checks; ``passed`` only when every one passed."""

    results: list[CheckResult]

    @property
    def passed(self) -> bool:
        """Every check passed (and there was at least one)."""
        return bool(self.results) and all(r.passed for r in self.results)

    @property
    def failures(self) -> list[CheckResult]:
        """Checks that failed or could not run."""
        return [r for r in self.results if not r.passed]

    def __str__(self) -> str:
        return "\n".join(str(r) for r in self.results)


@dataclass(frozen=True)
class DataSnapshot:
    """Exact row counts and content checksums of tables at one moment."""

    row_counts: dict[str, int]
    checksums: dict[str, str]

    def differences(self, after: DataSnapshot) -> dict[str, dict[str, Any]]:
        """Tables whose count or content changed (or that appeared/disappeared)."""
        out: dict[str, dict[str, Any]] = {}
        for table in sorted(set(self.checksums) | set(after.checksums)):
            before_sum, after_sum = self.checksums.get(table), after.checksums.get(table)
            if before_sum != after_sum:
                out[table] = {
                    "rows_before": self.row_counts.get(table),
                    "rows_after": after.row_counts.get(table),
                    "content_changed": before_sum is not None and after_sum is not None,
                }
        return out


def _qualified(table: str) -> sql.Composable:
    return sql.Identifier(*table.split(".", 1))


class DataValidator:
    """Data checks against the database behind ``target`` (connection, ServerInfo or URL)."""

    def __init__(self, target: Target, *, exclude_tables: tuple[str, ...] = HISTORY_TABLES) -> None:
        self.conn, self._owned = open_target(target)
        self.exclude_tables = list(exclude_tables)

    def close(self) -> None:
        """Close the connection if the validator opened it."""
        if self._owned:
            self.conn.close()

    def __enter__(self) -> DataValidator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def tables(self) -> list[str]:
        """User tables as ``schema.table`` (the history tables left out)."""
        rows = fetch_all(self.conn, TABLES_QUERY, {"skip": self.exclude_tables})
        return [f"{schema}.{name}" for schema, name in rows]

    def row_counts(self, tables: Sequence[str] | None = None) -> dict[str, int]:
        """Exact ``count(*)`` per table (not the planner's estimate)."""
        return {
            t: int(self._scalar(sql.SQL("SELECT count(*) FROM {}").format(_qualified(t))))
            for t in self._pick(tables)
        }

    def table_checksums(self, tables: Sequence[str] | None = None) -> dict[str, str]:
        """MD5 of every row's text, in a stable order, per table: equal only if contents are."""
        query = "SELECT md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) FROM {} r"
        return {
            t: str(self._scalar(sql.SQL(query).format(_qualified(t)))) for t in self._pick(tables)
        }

    def capture(self, tables: Sequence[str] | None = None) -> DataSnapshot:
        """Counts and checksums together."""
        chosen = self._pick(tables)
        return DataSnapshot(self.row_counts(chosen), self.table_checksums(chosen))

    def null_count(self, table: str, column: str) -> int:
        """Rows where ``column`` is NULL."""
        query = sql.SQL("SELECT count(*) FROM {} WHERE {} IS NULL").format(
            _qualified(table), sql.Identifier(column)
        )
        return int(self._scalar(query))

    def check_no_nulls(self, table: str, columns: Sequence[str]) -> CheckResult:
        """Passes when none of ``columns`` holds a NULL."""
        found = {c: n for c in columns if (n := self.null_count(table, c))}
        return CheckResult(f"no NULLs in {table}({', '.join(columns)})", not found, found)

    def orphaned_rows(self) -> dict[str, int]:
        """For every foreign key, rows whose non-NULL key has no parent row."""
        found = {}
        for name, schema, table, rschema, rtable, cols, rcols in fetch_all(
            self.conn, FOREIGN_KEYS_QUERY
        ):
            join = sql.SQL(" AND ").join(
                sql.SQL("p.{} = c.{}").format(sql.Identifier(rc), sql.Identifier(cc))
                for cc, rc in zip(cols, rcols, strict=True)
            )
            not_null = sql.SQL(" AND ").join(
                sql.SQL("c.{} IS NOT NULL").format(sql.Identifier(cc)) for cc in cols
            )
            query = sql.SQL(
                "SELECT count(*) FROM {} c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} p WHERE {})"
            ).format(sql.Identifier(schema, table), not_null, sql.Identifier(rschema, rtable), join)
            found[f"{schema}.{table}.{name}"] = int(self._scalar(query))
        return found

    def check_foreign_keys(self) -> CheckResult:
        """Passes when no foreign key has orphaned rows (NOT VALID or disabled triggers can)."""
        counts = self.orphaned_rows()
        orphans = {k: v for k, v in counts.items() if v}
        return CheckResult("no orphaned rows", not orphans, {"checked": len(counts), **orphans})

    def invalid_indexes(self) -> list[str]:
        """Indexes left invalid or not ready (a failed CREATE INDEX CONCURRENTLY)."""
        return [index for index, _table in fetch_all(self.conn, INVALID_INDEXES_QUERY)]

    def check_indexes(self) -> CheckResult:
        """Passes when every index is valid and ready."""
        invalid = self.invalid_indexes()
        return CheckResult("indexes valid", not invalid, {"invalid": invalid} if invalid else {})

    def check_unchanged(
        self, before: DataSnapshot, tables: Sequence[str] | None = None
    ) -> CheckResult:
        """Passes when the tables' counts and contents equal ``before``."""
        after = self.capture(tables if tables is not None else list(before.checksums))
        changed = before.differences(after)
        return CheckResult("data unchanged", not changed, changed)

    def validate(self, extra: Sequence[Callable[[], CheckResult]] = ()) -> ValidationReport:
        """Foreign keys, indexes, and ``extra`` checks; one that raises is recorded as failed."""
        results = []
        for check in (self.check_foreign_keys, self.check_indexes, *extra):
            try:
                results.append(check())
            except psycopg.Error as exc:
                if self.conn.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
                    self.conn.rollback()  # the failed check aborted the transaction
                results.append(
                    CheckResult(getattr(check, "__name__", "check"), False, error=str(exc))
                )
        return ValidationReport(results)

    def _pick(self, tables: Sequence[str] | None) -> list[str]:
        return list(tables) if tables is not None else self.tables()

    def _scalar(self, query: sql.Composed) -> Any:
        rows = fetch_all(self.conn, query)
        return rows[0][0]
