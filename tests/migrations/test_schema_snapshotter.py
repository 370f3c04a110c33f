"""SchemaSnapshotter: every section read from pg_catalog, JSON round trip, structured diffs."""

from __future__ import annotations

import json

import psycopg

from pgtdd.migrations import SchemaSnapshot, SchemaSnapshotter
from pgtdd.server import ServerInfo

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
