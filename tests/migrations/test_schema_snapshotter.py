"""SchemaSnapshotter: every section read from pg_catalog, JSON round trip, structured diffs."""

from __future__ import annotations

import json

import psycopg

from pgtdd.migrations import SchemaSnapshot, SchemaSnapshotter
from pgtdd.serverinfo import ServerInfo

DDL = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE DOMAIN short_text AS varchar(20) NOT NULL CHECK (VALUE <> '');
CREATE TABLE parent (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code short_text UNIQUE);
CREATE TABLE child (
    id serial PRIMARY KEY,
    parent_id bigint NOT NULL REFERENCES parent (id) ON DELETE CASCADE,
    price numeric(10, 2) DEFAULT 0 CHECK (price >= 0),
    feeling mood,
    note text COLLATE "C"
);
CREATE INDEX child_parent_idx ON child (parent_id) WHERE price > 0;
CREATE VIEW expensive AS SELECT id FROM child WHERE price > 100;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER child_touch BEFORE UPDATE ON child FOR EACH ROW EXECUTE FUNCTION touch();
CREATE SEQUENCE invoice_seq START 100 INCREMENT 5;
"""


def _snapshot(server: ServerInfo) -> SchemaSnapshot:
    with SchemaSnapshotter(server) as snapshotter:
        return snapshotter.capture()


def test_every_section_is_captured(empty_db: ServerInfo) -> None:
    with psycopg.connect(empty_db.url, autocommit=True) as conn:
        conn.execute(DDL.encode())
    snap = _snapshot(empty_db)
    assert set(snap.tables) == {"public.parent", "public.child"}  # tracking table left out
    price = snap.columns["public.child.price"]
    assert price["type"] == "numeric(10,2)" and price["default"] == "0" and price["nullable"]
    assert snap.columns["public.child.parent_id"]["nullable"] is False
    assert snap.columns["public.parent.id"]["identity"] == "a"
    assert snap.columns["public.child.note"]["collation"] == "C"
    assert snap.constraints["public.child.child_price_check"]["definition"] == (
        "CHECK ((price >= (0)::numeric))"
    )
    fk = snap.foreign_keys["public.child.child_parent_id_fkey"]
    assert fk["references"] == "public.parent" and fk["on_delete"] == "c"
    assert fk["columns"] == ["parent_id"] and fk["referenced_columns"] == ["id"]
    assert "WHERE (price > (0)::numeric)" in snap.indexes["public.child_parent_idx"]["definition"]
    assert "price > 100" in snap["views"]["public.expensive"]["definition"]
    assert "public.touch()" in snap["functions"]
    assert not any("similarity" in name for name in snap["functions"])  # extension's own
    assert snap["sequences"]["public.invoice_seq"]["increment"] == 5
    assert snap["sequences"]["public.child_id_seq"]["owned_by"] == "public.child.id"
    assert "pg_trgm" in snap["extensions"]
    assert "public.child.child_touch" in snap["triggers"]
    assert snap["types"]["public.mood"]["labels"] == ["sad", "happy"]
    assert snap["types"]["public.short_text"]["not_null"] is True
    assert "pgtdd_schema_migrations" not in json.dumps(snap.to_dict())


def test_json_round_trip(empty_db: ServerInfo) -> None:
    with psycopg.connect(empty_db.url, autocommit=True) as conn:
        conn.execute(DDL.encode())
    snap = _snapshot(empty_db)
    back = SchemaSnapshot.from_json(snap.to_json())
    assert back.to_dict() == snap.to_dict() and back.diff(snap).is_empty


def test_diff_is_structured(empty_db: ServerInfo) -> None:
    with psycopg.connect(empty_db.url, autocommit=True) as conn:
        conn.execute(DDL.encode())
        before = SchemaSnapshotter(conn).capture()
        conn.execute(
            "ALTER TABLE child ALTER COLUMN price SET DEFAULT 1, ADD COLUMN extra int;"
            "DROP INDEX child_parent_idx; CREATE INDEX child_feeling_idx ON child (feeling)"
        )
        after = SchemaSnapshotter(conn).capture()
    diff = before.diff(after)
    assert not diff.is_empty
    assert diff.added["columns"] == ["public.child.extra"]
    assert diff.added["indexes"] == ["public.child_feeling_idx"]
    assert diff.removed["indexes"] == ["public.child_parent_idx"]
    assert diff.changed["columns"]["public.child.price"] == {"default": ["0", "1"]}
    assert json.loads(json.dumps(diff.to_dict())) == diff.to_dict()
    assert "~ column public.child.price: default '0' -> '1'" in str(diff)


def test_snapshot_sees_uncommitted_ddl_of_its_transaction(empty_db: ServerInfo) -> None:
    with psycopg.connect(empty_db.url) as conn:
        conn.execute("CREATE TABLE pending (i int)")
        assert "public.pending" in SchemaSnapshotter(conn).capture().tables
        conn.rollback()
        assert "public.pending" not in SchemaSnapshotter(conn).capture().tables


MORE_DDL = """
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'money';
CREATE TYPE billing.pair AS (a int, b text);
CREATE TYPE billing.span AS RANGE (subtype = int4);
CREATE TABLE billing.invoice_lines_with_a_name_longer_than_sixty_three_bytes_in_all (
    id int PRIMARY KEY, amount numeric, note text
);
CREATE TABLE billing.invoice (id int PRIMARY KEY, owner_name text, total numeric);
COMMENT ON TABLE billing.invoice IS 'one per order';
COMMENT ON COLUMN billing.invoice.total IS 'with tax';
GRANT SELECT ON billing.invoice TO PUBLIC;
GRANT UPDATE (total) ON billing.invoice TO PUBLIC;
ALTER TABLE billing.invoice ADD COLUMN note text;
ALTER TABLE billing.invoice ALTER COLUMN note SET STATISTICS 500;
ALTER TABLE billing.invoice ALTER COLUMN total SET (n_distinct = 100);
ALTER TABLE billing.invoice ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON billing.invoice FOR SELECT USING (owner_name = current_user);
CREATE RULE no_delete AS ON DELETE TO billing.invoice DO INSTEAD NOTHING;
CREATE STATISTICS billing.invoice_stats ON owner_name, total FROM billing.invoice;
ALTER DEFAULT PRIVILEGES IN SCHEMA billing GRANT SELECT ON TABLES TO PUBLIC;
CREATE COLLATION billing.german (provider = libc, locale = 'C');
CREATE AGGREGATE billing.total_of (numeric) (sfunc = numeric_add, stype = numeric, initcond = '0');
"""


def test_ownership_privileges_comments_and_the_rarer_kinds(empty_db: ServerInfo) -> None:
    with psycopg.connect(empty_db.url, autocommit=True) as conn:
        conn.execute(MORE_DDL.encode())
    snap = _snapshot(empty_db)
    assert snap["schemas"]["billing"]["comment"] == "money"
    assert snap["schemas"]["billing"]["owner"] == empty_db.user
    invoice = snap.tables["billing.invoice"]
    assert invoice["comment"] == "one per order" and invoice["row_security"] is True
    assert any(p.startswith("=r/") for p in invoice["privileges"])  # PUBLIC may SELECT
    total = snap.columns["billing.invoice.total"]
    assert total["comment"] == "with tax" and total["options"] == ["n_distinct=100"]
    assert any(p.startswith("=w/") for p in total["privileges"])  # column-level UPDATE
    assert snap.columns["billing.invoice.note"]["statistics"] == 500
    long_name = "billing.invoice_lines_with_a_name_longer_than_sixty_three_bytes_in_all"
    assert len(long_name) > 63 and long_name in snap.tables  # keys are text, not name
    assert snap["policies"]["billing.invoice.own"]["using"] == "(owner_name = CURRENT_USER)"
    assert "DO INSTEAD NOTHING" in snap["rules"]["billing.invoice.no_delete"]["definition"]
    assert "billing.invoice_stats" in snap["statistics"]
    assert snap["types"]["billing.pair"]["attributes"] == ["a integer", "b text"]
    assert snap["types"]["billing.span"]["range_of"] == "integer"
    assert f"{empty_db.user} billing r" in snap["default_privileges"]
    assert "collation billing.german" in snap["other_objects"]
    aggregate = snap["functions"]["billing.total_of(numeric)"]
    assert aggregate["kind"] == "a" and aggregate["aggregate"]["initial"] == "0"


def test_a_grant_undone_by_a_revoke_compares_equal(empty_db: ServerInfo) -> None:
    with psycopg.connect(empty_db.url, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (a int)")
        before = SchemaSnapshotter(conn).capture()
        conn.execute("GRANT SELECT ON t TO PUBLIC")
        granted = SchemaSnapshotter(conn).capture()
        conn.execute("REVOKE SELECT ON t FROM PUBLIC")
        after = SchemaSnapshotter(conn).capture()
    assert list(before.diff(granted).changed["tables"]["public.t"]) == ["privileges"]
    assert before.diff(after).is_empty


def test_every_section_declares_its_fields() -> None:
    from pgtdd.migrations.snapshot import KINDS
    from pgtdd.migrations.snapshot_queries import QUERIES, fields

    assert set(fields()) == set(QUERIES) == set(KINDS)
    assert fields()["columns"][:4] == ("position", "type", "nullable", "default")
    assert fields()["other_objects"] == ()


def test_the_session_search_path_does_not_change_a_snapshot(empty_db: ServerInfo) -> None:
    with psycopg.connect(empty_db.url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA audit; CREATE TABLE audit.log (id serial PRIMARY KEY)")
        plain = SchemaSnapshotter(conn).capture()
        conn.execute("SET search_path TO audit, public")
        with conn.transaction():
            inside = SchemaSnapshotter(conn).capture()
            path = conn.execute("SHOW search_path").fetchone()
        after = SchemaSnapshotter(conn).capture()
    assert plain.diff(inside).is_empty and plain.diff(after).is_empty
    assert plain.columns["audit.log.id"]["default"] == "nextval('audit.log_id_seq'::regclass)"
    assert path == ("audit, public",)  # the caller's path is put back
