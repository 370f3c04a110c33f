"""The escape log: writes committed outside a test's rolled-back transaction, by table.

Per-test rollback isolates what a test writes through *its* connection. Code under test that
opens another connection (``psycopg.connect(pgtdd_server.url)``), switches to autocommit or
runs ``COMMIT`` really commits, and the rows stay for every later test. To see that cheaply,
the session database carries, in schema ``pgtdd``:

* ``pgtdd.escapes``: one row per committed write *statement* (table, operation, backend pid,
  ``application_name``), appended by a statement-level trigger ``pgtdd_escape`` on every user
  table (``AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE``). The test's own transaction sets
  ``pgtdd.in_test`` locally, so its writes log nothing (and they are rolled back anyway); a
  write by any other transaction is logged, and the row exists only if that transaction
  commits.
* an event trigger (where the role may create one: superusers) that arms tables created later
  and logs a ``CREATE TABLE`` committed outside a test.

A fixture reads the log's high-water mark when its test begins (:data:`MARK_EXPR`, in the same
round trip as ``BEGIN``) and again when it ends (in the same round trip as ``ROLLBACK``); only
when the mark moved does it read the rows above it (:func:`check_sql`). The log is installed
into the schema template (so every clone has it) or into the session database at first use;
:func:`install` is idempotent.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pgtdd.lazy import lazy_module
from pgtdd.serverinfo import ServerInfo

if TYPE_CHECKING:
    import psycopg
else:
    psycopg = lazy_module("psycopg")  # the plugin reads this module's SQL without a connection

SCHEMA = "pgtdd"
TRIGGER = "pgtdd_escape"
IN_TEST_SETTING = "pgtdd.in_test"
VERSION = "1"
SEQUENCE = f"{SCHEMA}.escape_ids"
# The log's high-water mark: its sequence's last value (0 before the first write). A sequence
# is not transactional, so a write logged by any transaction, even one not committed yet,
# moves it: an unchanged mark means nothing was logged, and only a changed one costs a read of
# the log (the rows above the mark that were committed).
MARK_EXPR = f"coalesce(pg_sequence_last_value('{SEQUENCE}'::regclass), 0)"
MARK_SQL = f"SELECT {MARK_EXPR}"
# Rows read after a test: enough to name every table, bounded so a bulk leak stays cheap.
_SHOWN_ROWS = 200
# The SQLSTATE of pgtdd.raise_escapes (what the asyncpg fixtures' end of test reads).
ESCAPE_SQLSTATE = "PGE01"

_LOG_SQL = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {SCHEMA}.escapes (
  id bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME {SEQUENCE}) PRIMARY KEY,
  relation text NOT NULL,
  operation text NOT NULL,
  backend integer NOT NULL DEFAULT pg_backend_pid(),
  application text NOT NULL DEFAULT current_setting('application_name'),
  at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE OR REPLACE FUNCTION {SCHEMA}.note_escape() RETURNS trigger
LANGUAGE plpgsql AS $pgtdd$
BEGIN
  IF current_setting('{IN_TEST_SETTING}', true) = 'on' THEN
    RETURN NULL;
  END IF;
  INSERT INTO {SCHEMA}.escapes (relation, operation)
    VALUES (quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_TABLE_NAME), TG_OP);
  RETURN NULL;
END
$pgtdd$;
CREATE OR REPLACE FUNCTION {SCHEMA}.arm_table(rel regclass) RETURNS boolean
LANGUAGE plpgsql AS $pgtdd$
BEGIN
  EXECUTE format('CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                 'ON %s FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.note_escape()', rel);
  RETURN true;
EXCEPTION WHEN insufficient_privilege OR duplicate_object OR lock_not_available THEN
  RETURN false;
END
$pgtdd$;
CREATE OR REPLACE FUNCTION {SCHEMA}.raise_escapes(mark bigint) RETURNS void
LANGUAGE plpgsql AS $pgtdd$
DECLARE
  found json;
BEGIN
  IF {MARK_EXPR} = mark THEN
    RETURN;
  END IF;
  SELECT json_agg(json_build_array(relation, operation, backend, application)) INTO found
    FROM (SELECT * FROM {SCHEMA}.escapes WHERE id > mark ORDER BY id LIMIT {_SHOWN_ROWS}) e;
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'pgtdd: writes committed outside the test' USING
      ERRCODE = '{ESCAPE_SQLSTATE}', DETAIL = found::text;
  END IF;
END
$pgtdd$;
CREATE OR REPLACE FUNCTION {SCHEMA}.unarmed() RETURNS SETOF regclass
LANGUAGE sql STABLE AS $pgtdd$
  SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
    AND n.nspname NOT IN ('pg_catalog', 'information_schema', '{SCHEMA}')
    AND n.nspname NOT LIKE 'pg\\_toast%'
    AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = '{TRIGGER}')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                    AND d.objid = c.oid AND d.deptype = 'e')
$pgtdd$;
CREATE OR REPLACE FUNCTION {SCHEMA}.arm_all() RETURNS integer
LANGUAGE plpgsql AS $pgtdd$
DECLARE
  rel regclass;
  armed integer := 0;
BEGIN
  FOR rel IN SELECT * FROM {SCHEMA}.unarmed() LOOP
    IF {SCHEMA}.arm_table(rel) THEN
      armed := armed + 1;
    END IF;
  END LOOP;
  RETURN armed;
END
$pgtdd$;
"""

_DDL_WATCH_SQL = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.watch_ddl() RETURNS event_trigger
LANGUAGE plpgsql AS $pgtdd$
DECLARE
  created record;
BEGIN
  IF current_setting('{IN_TEST_SETTING}', true) = 'on' THEN
    RETURN;  -- inside a test transaction: rolled back with it
  END IF;
  FOR created IN
    SELECT c.objid, c.object_identity, c.command_tag FROM pg_event_trigger_ddl_commands() c
    JOIN pg_class r ON r.oid = c.objid
    WHERE c.classid = 'pg_class'::regclass AND r.relkind IN ('r', 'p')
      AND r.relpersistence = 'p' AND c.schema_name IS DISTINCT FROM '{SCHEMA}'
  LOOP
    PERFORM {SCHEMA}.arm_table(created.objid::regclass);
    INSERT INTO {SCHEMA}.escapes (relation, operation)
      VALUES (created.object_identity, created.command_tag);
  END LOOP;
END
$pgtdd$;
DROP EVENT TRIGGER IF EXISTS pgtdd_watch_ddl;
CREATE EVENT TRIGGER pgtdd_watch_ddl ON ddl_command_end
  WHEN TAG IN ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO')
  EXECUTE FUNCTION {SCHEMA}.watch_ddl();
"""


# Arming a table (CREATE TRIGGER) waits for its lock; a table another connection holds (a
# transaction left open) is skipped after this long instead of stalling the session's start.
ARM_LOCK_TIMEOUT_SQL = "SET LOCAL lock_timeout = '1s'"


def fingerprint() -> str:
    """What the escape log's SQL is, for the key of a template that contains it."""
    return hashlib.sha256((_LOG_SQL + _DDL_WATCH_SQL).encode()).hexdigest()[:12]


def _comment(watches: bool) -> str:
    ddl = "ddl" if watches else "no-ddl"
    return f"pgtdd escape log {fingerprint()} {ddl}"


@dataclass(frozen=True)
class Installed:
    """What :func:`install` did: tables armed now, whether new tables are armed by DDL."""

    armed: int
    watches_ddl: bool
    unarmed: tuple[str, ...] = ()


def install(conn: psycopg.Connection[Any]) -> Installed:
    """Create (or update) the escape log on ``conn``'s database and arm every user table.

    ``conn`` must be in autocommit mode. The DDL watch needs a role allowed to create event
    triggers (a superuser); without it, tables created later are armed at the next install.
    A table that is locked by another connection for over a second, or that the role may not
    alter, is left unarmed (``Installed.unarmed`` names it).
    """
    with conn.transaction():
        conn.execute(ARM_LOCK_TIMEOUT_SQL)
        conn.execute(f"SELECT pg_advisory_xact_lock(hashtext('{SCHEMA}.escapes'))")
        conn.execute(_LOG_SQL.encode())
        row = conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        watches = bool(row and row[0])
        if watches:
            conn.execute(_DDL_WATCH_SQL.encode())
        conn.execute(f"COMMENT ON SCHEMA {SCHEMA} IS '{_comment(watches)}'".encode())
        armed_row = conn.execute(f"SELECT {SCHEMA}.arm_all()").fetchone()
        left = conn.execute(f"SELECT rel::text FROM {SCHEMA}.unarmed() rel").fetchall()
    return Installed(int(armed_row[0]) if armed_row else 0, watches, tuple(r[0] for r in left))


def ensure(conn: psycopg.Connection[Any]) -> Installed:
    """:func:`install` unless this version is there already (then only arm new tables)."""
    row = conn.execute(
        "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s",
        (SCHEMA,),
    ).fetchone()
    comment = str(row[0]) if row and row[0] else ""
    if comment not in (_comment(True), _comment(False)):
        return install(conn)
    with conn.transaction():
        conn.execute(ARM_LOCK_TIMEOUT_SQL)
        armed = arm_new(conn)
        left = conn.execute(f"SELECT rel::text FROM {SCHEMA}.unarmed() rel").fetchall()
    return Installed(armed, comment == _comment(True), tuple(r[0] for r in left))


def install_at(server: ServerInfo) -> Installed:
    """:func:`install` on ``server``'s database through a connection of its own."""
    with psycopg.connect(server.url, autocommit=True) as conn:
        return install(conn)


def ensure_at(server: ServerInfo) -> Installed:
    """:func:`ensure` on ``server``'s database through a connection of its own."""
    with psycopg.connect(server.url, autocommit=True) as conn:
        return ensure(conn)


def arm_new(conn: psycopg.Connection[Any]) -> int:
    """Arm the tables created since the last install (autocommit ``conn``); how many."""
    row = conn.execute(f"SELECT {SCHEMA}.arm_all()").fetchone()
    return int(row[0]) if row else 0


def check_sql(mark: int) -> str:
    """The query returning the log rows written since ``mark`` (an integer: no injection)."""
    return (
        f"SELECT relation, operation, backend, application FROM {SCHEMA}.escapes "
        f"WHERE id > {int(mark)} ORDER BY id LIMIT {_SHOWN_ROWS}"
    )


@dataclass(frozen=True)
class Escape:
    """Writes committed outside the test's transaction while it ran."""

    rows: tuple[tuple[str, str, int, str], ...]

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def tables(self) -> list[str]:
        """The tables written, in the order first seen."""
        return list(dict.fromkeys(row[0] for row in self.rows))

    def describe(self) -> str:
        """``INSERT on public.users (2 statements), UPDATE on public.orders``, then who."""
        counts = Counter((row[0], row[1]) for row in self.rows)
        parts = []
        for (relation, operation), count in counts.items():
            times = f" ({count} statements)" if count > 1 else ""
            parts.append(f"{operation} on {relation}{times}")
        backends = dict.fromkeys(
            f"pid {row[2]}" + (f" '{row[3]}'" if row[3] else "") for row in self.rows
        )
        more = " (and more)" if len(self.rows) >= _SHOWN_ROWS else ""
        return f"{', '.join(parts)}{more}, committed by connection(s) {', '.join(backends)}"


def escape_from_detail(detail: str | None) -> Escape:
    """The :class:`Escape` that ``pgtdd.raise_escapes`` reported in its error's DETAIL."""
    return escape_from(json.loads(detail or "[]"))


def escape_from(rows: Iterable[Sequence[Any]]) -> Escape:
    """An :class:`Escape` from the rows of :func:`check_sql`."""
    return Escape(tuple((str(r[0]), str(r[1]), int(r[2]), str(r[3] or "")) for r in rows))


FRESH_DATABASE_FIX = (
    "If the test must commit (code that opens its own connections, LISTEN/NOTIFY, a "
    "migration outside a transaction), give it a database of its own with the "
    "`pgtdd_fresh_database` fixture (cloned from the schema template, dropped after the test)"
)


def escape_message(test_id: str, escape: Escape, *, through: str, fix: str = "") -> str:
    """The after-test failure: what was committed, by whom, why it matters and the way out."""
    return (
        f"test {test_id} committed data outside the transaction pgtdd rolls back: "
        f"{escape.describe()}. What they wrote stays in the database for every later test "
        f"of the session. Fix: do the work through {through}, not through a second "
        f"connection, autocommit or a raw COMMIT. {fix or FRESH_DATABASE_FIX}."
    )
