"""The model layer: mapping, create_tables, CRUD, list/count, bulk_create, config."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

import pytest

from pgtdd.models.dataflow import TDD_CONFIG, DataFlow, DataFlowSchemaError
from pgtdd.models.spec import NOW, model_spec, table_name_for
from pgtdd.tdd_support import TDDTestContext


class Everything:
    text: str
    number: int
    ratio: float
    flag: bool
    amount: decimal.Decimal
    at: dt.datetime
    day: dt.date
    blob: bytes
    key: uuid.UUID
    doc: dict[str, Any]
    items: list[int]
    maybe: str | None
    counted: int = 7
    label: str = "it's"
    stamp: dt.datetime = NOW
    settings: dict[str, Any] = {}  # noqa: RUF012


def test_python_types_map_to_postgresql_types() -> None:
    spec = model_spec(Everything)
    types = {f.name: (f.sql_type, f.nullable) for f in spec.fields}
    assert types == {
        "text": ("TEXT", False),
        "number": ("BIGINT", False),
        "ratio": ("DOUBLE PRECISION", False),
        "flag": ("BOOLEAN", False),
        "amount": ("NUMERIC", False),
        "at": ("TIMESTAMPTZ", False),
        "day": ("DATE", False),
        "blob": ("BYTEA", False),
        "key": ("UUID", False),
        "doc": ("JSONB", False),
        "items": ("JSONB", False),
        "maybe": ("TEXT", True),
        "counted": ("BIGINT", False),
        "label": ("TEXT", False),
        "stamp": ("TIMESTAMPTZ", False),
        "settings": ("JSONB", False),
    }
    ddl = spec.create_sql()
    assert ddl.startswith('CREATE TABLE IF NOT EXISTS "everythings" (id BIGINT GENERATED')
    assert "PRIMARY KEY" in ddl
    assert '"counted" BIGINT NOT NULL DEFAULT 7' in ddl
    assert "\"label\" TEXT NOT NULL DEFAULT 'it''s'" in ddl
    assert '"stamp" TIMESTAMPTZ NOT NULL DEFAULT now()' in ddl
    assert "\"settings\" JSONB NOT NULL DEFAULT '{}'::jsonb" in ddl


@pytest.mark.parametrize(
    ("name", "table"),
    [("User", "users"), ("OrderItem", "order_items"), ("Category", "categories"), ("Box", "boxes")],
)
def test_table_names(name: str, table: str) -> None:
    assert table_name_for(name) == table


def test_unmapped_types_and_names_are_refused() -> None:
    class Bad:
        thing: set[int]

    with pytest.raises(DataFlowSchemaError, match="type set\\[int\\] is not mapped"):
        model_spec(Bad)

    class BadName:
        __tablename__ = "Robert'); DROP TABLE students;--"
        name: str

    with pytest.raises(DataFlowSchemaError, match="not a lower-case SQL identifier"):
        model_spec(BadName)


def test_config_is_the_spec_tdd_config() -> None:
    df = DataFlow(**TDD_CONFIG)
    assert df.config.existing_schema_mode is True
    assert df.config.auto_migrate is False
    assert df.config.cache_enabled is False
    assert (df.config.pool_size, df.config.pool_max_overflow) == (1, 0)
    assert (df.config.pool_timeout, df.config.pool_recycle) == (5, 30)
    assert df.config.pool_pre_ping is True and df.config.echo is False
    with pytest.raises(TypeError, match="unknown DataFlow option"):
        DataFlow(pool_sise=3)


def test_database_url_is_not_in_repr() -> None:
    df = DataFlow("postgresql://u:hunter2@h/db")
    assert "hunter2" not in repr(df.config)


@pytest.mark.asyncio
async def test_all_types_round_trip(tdd_dataflow: DataFlow) -> None:
    df = tdd_dataflow
    df.model(Everything)
    df.create_tables()
    row = {
        "text": "t",
        "number": 2**40,
        "ratio": 0.5,
        "flag": True,
        "amount": decimal.Decimal("12.34"),
        "at": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        "day": dt.date(2024, 1, 2),
        "blob": b"\x00\x01",
        "key": uuid.UUID(int=5),
        "doc": {"a": [1, 2]},
        "items": [3, 4],
        "maybe": None,
    }
    created = await df.Everything.create(row)
    assert created["success"] is True, created
    data = created["data"]
    assert {k: data[k] for k in row} == row
    assert data["counted"] == 7 and data["label"] == "it's" and data["settings"] == {}
    assert isinstance(data["stamp"], dt.datetime) and isinstance(data["id"], int)


@pytest.mark.asyncio
async def test_crud(tdd_dataflow: DataFlow) -> None:
    df = tdd_dataflow

    @df.model
    class Note:
        title: str
        score: int = 0

    await df.create_tables()
    created = await df.Note.create({"title": "a"})
    note_id = created["data"]["id"]
    assert created["data"]["score"] == 0
    assert (await df.Note.read(note_id))["data"]["title"] == "a"
    updated = await df.Note.update(note_id, {"score": 5})
    assert updated == {"success": True, "data": {"id": note_id, "title": "a", "score": 5}}
    assert (await df.Note.delete(note_id))["data"] == {"id": note_id, "deleted": True}
    missing = await df.Note.read(note_id)
    assert missing["success"] is False and "not found" in missing["error"]
    assert (await df.Note.delete(note_id))["success"] is False
    assert (await df.Note.update(note_id, {"score": 1}))["success"] is False


@pytest.mark.asyncio
async def test_list_count_filters_order_limit(tdd_dataflow: DataFlow) -> None:
    df = tdd_dataflow

    @df.model
    class Item:
        name: str
        price: float
        tag: str | None = None

    df.create_tables()
    result = await df.Item.bulk_create(
        [
            {"name": "a", "price": 3.0},
            {"name": "b", "price": 1.0, "tag": "x"},
            {"name": "c", "price": 2.0, "tag": "x"},
            {"name": "d", "price": 5.0},
        ]
    )
    assert result["success"] and result["count"] == 4
    assert [r["name"] for r in result["data"]] == ["a", "b", "c", "d"]  # input order

    def names(res: dict[str, Any]) -> list[str]:
        assert res["success"], res
        return [r["name"] for r in res["data"]]

    assert names(await df.Item.list(order_by="-price")) == ["d", "a", "c", "b"]
    assert names(await df.Item.list({"tag": "x"}, order_by="price")) == ["b", "c"]
    assert names(await df.Item.list({"tag": None})) == ["a", "d"]
    assert names(await df.Item.list({"price": {"$gte": 2.0, "$lt": 5}}, order_by="name")) == [
        "a",
        "c",
    ]
    assert names(await df.Item.list({"name": ["a", "d"]})) == ["a", "d"]
    assert names(await df.Item.list(order_by="name", limit=2, offset=1)) == ["b", "c"]
    assert (await df.Item.count())["data"] == 4
    assert (await df.Item.count({"name": {"$like": "%c%"}}))["count"] == 1
    bad = await df.Item.list({"nope": 1})
    assert bad["success"] is False and "no field 'nope'" in bad["error"]
    assert (await df.Item.list(order_by="nope"))["success"] is False
    assert (await df.Item.list({"price": {"$between": 1}}))["success"] is False


@pytest.mark.asyncio
async def test_failed_write_reports_and_keeps_the_test_usable(
    tdd_test_context: TDDTestContext, tdd_dataflow: DataFlow
) -> None:
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE public.accounts (id bigserial PRIMARY KEY, email text UNIQUE)")
    df = tdd_dataflow

    @df.model
    class Account:
        email: str

    df.create_tables()
    assert (await df.Account.create({"email": "a@example.com"}))["success"] is True
    duplicate = await df.Account.create({"email": "a@example.com"})
    assert duplicate["success"] is False
    assert duplicate["error_type"] == "UniqueViolationError"
    missing = await df.Account.create({})
    assert missing["success"] is False and "missing required field(s) email" in missing["error"]
    unknown = await df.Account.create({"email": "b@example.com", "age": 3})
    assert unknown["success"] is False and "no field(s) age" in unknown["error"]
    assert (await df.Account.count())["data"] == 1  # the transaction is still healthy


@pytest.mark.asyncio
async def test_create_tables_keeps_existing_tables_and_rows(
    tdd_test_context: TDDTestContext, tdd_dataflow: DataFlow
) -> None:
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE public.widgets (id bigserial PRIMARY KEY, name text)")
    await conn.execute("INSERT INTO public.widgets (name) VALUES ('kept')")
    df = tdd_dataflow

    @df.model
    class Widget:
        name: str

    @df.model
    class Gadget:
        name: str

    assert await df.create_tables() == {
        "created": ["Gadget"],
        "existing": ["Widget"],
        "migrated": [],
    }
    assert df.ddl_operations == 1
    assert [r["name"] for r in (await df.Widget.list())["data"]] == ["kept"]


@pytest.mark.asyncio
async def test_existing_table_missing_columns_is_an_error_naming_them(
    tdd_test_context: TDDTestContext, tdd_dataflow: DataFlow
) -> None:
    await tdd_test_context.connection.execute("CREATE TABLE public.gizmos (id bigserial, a text)")
    df = tdd_dataflow

    @df.model
    class Gizmo:
        a: str
        b: int
        c: str

    with pytest.raises(DataFlowSchemaError, match=r"lacks column\(s\) b, c of model Gizmo"):
        await df.create_tables()


@pytest.mark.asyncio
async def test_auto_migrate_adds_missing_columns(tdd_test_context: TDDTestContext) -> None:
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE public.gizmos (id bigserial PRIMARY KEY, a text)")
    df = DataFlow(connection=conn, auto_migrate=True)

    @df.model
    class Gizmo:
        a: str
        b: int = 4

    assert (await df.create_tables())["migrated"] == ["Gizmo"]
    assert (await df.Gizmo.create({"a": "x"}))["data"]["b"] == 4


@pytest.mark.asyncio
async def test_recreate_mode_drops_and_creates(tdd_test_context: TDDTestContext) -> None:
    conn = tdd_test_context.connection
    await conn.execute("CREATE TABLE public.sprockets (id bigserial PRIMARY KEY, name text)")
    await conn.execute("INSERT INTO public.sprockets (name) VALUES ('old')")
    df = DataFlow(connection=conn, existing_schema_mode=False)

    @df.model
    class Sprocket:
        name: str

    assert (await df.create_tables())["created"] == ["Sprocket"]
    assert (await df.Sprocket.count())["data"] == 0


@pytest.mark.asyncio
async def test_cache_enabled_serves_reads_until_a_write(tdd_test_context: TDDTestContext) -> None:
    df = DataFlow(connection=tdd_test_context.connection, cache_enabled=True)

    @df.model
    class Cached:
        name: str

    df.create_tables()
    created = await df.Cached.create({"name": "a"})
    key = created["data"]["id"]
    assert "cached" not in await df.Cached.read(key)
    assert (await df.Cached.read(key))["cached"] is True
    await df.Cached.update(key, {"name": "b"})
    fresh = await df.Cached.read(key)
    assert "cached" not in fresh and fresh["data"]["name"] == "b"


@pytest.mark.asyncio
async def test_monitoring_counts_operations(tdd_test_context: TDDTestContext) -> None:
    df = DataFlow(connection=tdd_test_context.connection, monitoring=True)

    @df.model
    class Watched:
        name: str

    df.create_tables()
    assert (await df.Watched.create({"name": "a"}))["success"]
    assert (await df.Watched.list())["success"]
    assert (await df.Watched.list({"nope": 1}))["success"] is False  # refused before SQL

    class Absent:
        __tablename__ = "pgtdd_absent_table"
        name: str

    other = DataFlow(connection=tdd_test_context.connection)
    other.model(Absent)
    failed = await other.Absent.count()  # no create_tables(): the table does not exist
    assert failed["success"] is False and failed["error_type"] == "UndefinedTableError"
    assert (await df.Watched.count())["data"] == 1  # the failed read left no failed transaction
    assert df.operation_stats["create"]["count"] == 1
    assert df.operation_stats["list"]["count"] == 1
    assert df.operation_stats["list"]["total_ms"] > 0


@pytest.mark.asyncio
async def test_unknown_model_attribute_names_registered_models(tdd_dataflow: DataFlow) -> None:
    @tdd_dataflow.model
    class Known:
        name: str

    with pytest.raises(AttributeError, match="no model 'Unknown' \\(registered: Known\\)"):
        _ = tdd_dataflow.Unknown


@pytest.mark.asyncio
async def test_standalone_dataflow_with_its_own_pool(pgtdd_server: Any) -> None:
    df = DataFlow(pgtdd_server.url, pool_size=1, pool_pre_ping=True)

    @df.model
    class Standalone:
        __tablename__ = "pgtdd_standalone_probe"
        name: str

    try:
        assert (await df.Standalone.count())["success"] is False  # no table yet
        assert (await df.create_tables())["created"] == ["Standalone"]
        assert (await df.Standalone.create({"name": "x"}))["success"] is True
        assert (await df.Standalone.count())["data"] == 1
    finally:
        async with df._acquire() as conn:
            await conn.execute("DROP TABLE IF EXISTS pgtdd_standalone_probe")
        await df.close()
