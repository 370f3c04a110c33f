"""The spec's fixtures: what they provide is real and their flags are measured."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio

from pgtdd.fixtures.tdd import (
    EnhancedTDDTestContext,
    _own_connection,
    enhanced_context_fixture,
    seeded_data_fixture,
    tdd_context_fixture,
)
from pgtdd.isolation.resources import ResourceManager
from pgtdd.models.dataflow import DataFlow, ModelAPI
from pgtdd.models.schema_cache import get_schema_cache
from pgtdd.models.standard import database_key, standard_specs
from pgtdd.performance.memory import get_memory_optimizer
from pgtdd.tdd_support import (
    TDDDatabaseManager,
    TDDTestContext,
    get_database_manager,
    tdd_test_context,
)

# Variants declared with the factories, as a user would in a conftest.
serializable_context = tdd_context_fixture(isolation_level="SERIALIZABLE", timeout=7)
solo_seed = seeded_data_fixture(
    data={
        "users": [{"name": "Solo", "email": "solo@example.com"}],
        "products": [{"name": "Thing", "price": 2.5, "category": "misc"}],
        "orders": [{"user_id": 1, "product_id": 1, "total_price": 2.5}],
    }
)


@pytest.mark.asyncio
async def test_tdd_test_context_provides_a_live_savepoint(tdd_test_context: TDDTestContext) -> None:
    conn = tdd_test_context.connection
    assert tdd_test_context.savepoint_created is True
    assert conn.is_in_transaction()
    await conn.execute(f"ROLLBACK TO SAVEPOINT {tdd_test_context.savepoint_name}")
    assert tdd_test_context.metrics.setup_time_ms > 0
    assert tdd_test_context.metrics.acquisition_time_ms > 0


@pytest.mark.asyncio
async def test_fast_test_db_is_the_context_connection(
    fast_test_db: Any, tdd_test_context: TDDTestContext
) -> None:
    assert fast_test_db is tdd_test_context.connection
    assert fast_test_db.is_in_transaction()


@pytest.mark.asyncio
async def test_variant_from_the_factory(serializable_context: TDDTestContext) -> None:
    conn = serializable_context.connection
    assert await conn.fetchval("SHOW transaction_isolation") == "serializable"
    assert await conn.fetchval("SHOW statement_timeout") == "7s"


@pytest.mark.asyncio
async def test_fixtures_of_one_test_share_one_transaction(
    tdd_test_context: TDDTestContext,
    tdd_seeded_data: tuple[TDDTestContext, dict[str, Any], dict[str, ModelAPI]],
    tdd_dataflow: DataFlow,
) -> None:
    context, data, _ = tdd_seeded_data
    assert context is tdd_test_context
    assert tdd_dataflow.connection is tdd_test_context.connection
    names = await tdd_test_context.connection.fetch(
        "SELECT name FROM pgtdd_models.users WHERE id = ANY($1::bigint[]) ORDER BY id",
        [u["id"] for u in data["users"]],
    )
    assert [r["name"] for r in names] == ["Alice Smith", "Bob Jones", "Charlie Brown"]


@pytest.mark.asyncio
async def test_seeded_data_is_in_real_tables(
    tdd_seeded_data: tuple[TDDTestContext, dict[str, Any], dict[str, ModelAPI]],
) -> None:
    context, data, models = tdd_seeded_data
    conn = context.connection
    users, products, orders = data["users"], data["products"], data["orders"]
    assert [len(users), len(products), len(orders)] == [3, 5, 3]
    assert [p["price"] for p in products] == [999.99, 29.99, 12.99, 5.99, 1.99]
    assert users[2]["active"] is False and users[0]["metadata"] == {}
    expected = [(0, 0, "completed"), (1, 1, "pending"), (0, 2, "shipped")]
    for order, (user, product, status) in zip(orders, expected, strict=True):
        assert order["user_id"] == users[user]["id"]
        assert order["product_id"] == products[product]["id"]
        assert order["status"] == status
    joined = await conn.fetch(
        "SELECT u.name, p.name AS product FROM pgtdd_models.orders o "
        "JOIN pgtdd_models.users u ON u.id = o.user_id "
        "JOIN pgtdd_models.products p ON p.id = o.product_id "
        "WHERE o.id = ANY($1::bigint[]) ORDER BY o.id",
        [o["id"] for o in orders],
    )
    assert [(r["name"], r["product"]) for r in joined] == [
        ("Alice Smith", "Laptop"),
        ("Bob Jones", "Mouse"),
        ("Alice Smith", "Coffee"),
    ]
    assert (await models["Order"].count({"id": [o["id"] for o in orders]}))["data"] == 3
    assert set(models) == {"User", "Product", "Order"}


@pytest.mark.asyncio
async def test_seeded_variant(
    solo_seed: tuple[TDDTestContext, dict[str, Any], dict[str, ModelAPI]],
) -> None:
    _, data, _ = solo_seed
    assert [u["name"] for u in data["users"]] == ["Solo"]
    assert data["orders"][0]["user_id"] == data["users"][0]["id"]
    assert data["orders"][0]["quantity"] == 1 and data["orders"][0]["status"] == "pending"


@pytest.mark.asyncio
async def test_cached_schema_models_use_no_ddl(
    cached_schema_models: tuple[ModelAPI, ModelAPI, ModelAPI, dict[str, Any]],
) -> None:
    user, product, order, stats = cached_schema_models
    assert stats == {
        "cache_hits": 3,
        "cache_misses": 0,
        "ddl_operations": 0,
        "from_cache": True,
        "models": ["Order", "Product", "User"],
    }
    assert (user.table, product.table, order.table) == (
        '"pgtdd_models"."users"',
        '"pgtdd_models"."products"',
        '"pgtdd_models"."orders"',
    )
    created = await user.create({"name": "Alice", "email": "alice@example.com"})
    assert created["success"] and created["data"]["active"] is True


@pytest.fixture
def schema_cache_forgotten(pgtdd_tdd_infrastructure: TDDDatabaseManager) -> Iterator[None]:
    """The schema cache forgets the session's standard tables for one test."""
    key = database_key(pgtdd_tdd_infrastructure.connection_string or "")
    cache = get_schema_cache()
    cache.forget_database(key)
    yield
    for spec in standard_specs():
        cache.mark_applied(key, spec.name, spec.ddl_hash)


@pytest.mark.asyncio
async def test_cached_models_without_the_cache_check_the_catalog(
    schema_cache_forgotten: None,
    cached_schema_models: tuple[ModelAPI, ModelAPI, ModelAPI, dict[str, Any]],
) -> None:
    stats = cached_schema_models[3]
    assert (stats["cache_hits"], stats["cache_misses"]) == (0, 3)
    assert stats["ddl_operations"] == 0  # the tables exist: nothing to create
    assert stats["from_cache"] is False


@pytest.mark.asyncio
async def test_enhanced_context_flags_are_measured(
    enhanced_tdd_context: EnhancedTDDTestContext,
) -> None:
    context = enhanced_tdd_context
    metrics = context.metrics
    assert context.preheated_pool is True
    assert context.cached_schema is True and metrics.schema_cache_hits == 3
    assert context.parallel_safe is True and context.commit_guarded is True
    growth = metrics.rss_mb_setup_growth
    assert growth is not None and context.memory_optimized is (growth <= 2.0)  # measured
    snapshot = get_memory_optimizer().get_snapshot(f"pgtdd:{context.test_id}")
    assert snapshot is not None and snapshot.rss_mb == metrics.rss_mb_at_setup
    assert metrics.setup_time_ms >= metrics.context_setup_ms > 0
    assert metrics.ddl_operations == 0
    assert set(context.models) == {"User", "Product", "Order"}


# the same fixture with a memory target no setup can meet
enhanced_with_no_memory_budget = enhanced_context_fixture(memory_target_mb=-1024.0)


@pytest.mark.asyncio
async def test_memory_optimized_is_false_over_the_memory_target(
    enhanced_with_no_memory_budget: EnhancedTDDTestContext,
) -> None:
    context = enhanced_with_no_memory_budget
    assert context.metrics.rss_mb_setup_growth is not None
    assert context.memory_optimized is False


@pytest.mark.asyncio
async def test_enhanced_flags_turn_false_when_untrue(
    schema_cache_forgotten: None,
    expired_pool: None,
    enhanced_tdd_context: EnhancedTDDTestContext,
) -> None:
    assert enhanced_tdd_context.cached_schema is False
    assert enhanced_tdd_context.preheated_pool is False
    assert enhanced_tdd_context.metrics.preheated_connection is False


@pytest_asyncio.fixture
async def expired_pool(pgtdd_tdd_infrastructure: TDDDatabaseManager) -> AsyncIterator[None]:
    """Every pool connection is replaced at its next acquisition (opened when asked)."""
    pool = pgtdd_tdd_infrastructure.connection_pool
    assert pool is not None
    await pool.expire_connections()
    yield
    held = [await pool.acquire() for _ in range(pool.get_max_size())]  # reopen them all now
    for conn in held:
        await pool.release(conn)


@pytest.mark.asyncio
async def test_parallel_safe_is_false_for_a_nested_context(
    pgtdd_tdd_infrastructure: TDDDatabaseManager,
) -> None:
    async with tdd_test_context() as outer:
        assert _own_connection(outer) is True
        async with tdd_test_context() as inner:
            assert _own_connection(inner) is False


@pytest.mark.asyncio
async def test_preheated_dataflow_reports_measured_pool_statistics(
    preheated_dataflow: tuple[DataFlow, dict[str, Any]], tdd_test_context: TDDTestContext
) -> None:
    df, stats = preheated_dataflow
    assert df.connection is tdd_test_context.connection
    assert stats["preheated"] is True and stats["pool_preheated"] is True
    assert stats["acquisition_time_ms"] == tdd_test_context.metrics.acquisition_time_ms
    assert stats["acquisition_time_ms"] > 0
    assert stats["active_connections"] >= 1
    assert stats["max_size"] == get_database_manager().connection_pool.get_max_size()


@pytest.mark.asyncio
async def test_parallel_test_execution_is_really_serializable(
    parallel_test_execution: tuple[TDDTestContext, str, ResourceManager],
) -> None:
    context, isolation_id, resources = parallel_test_execution
    assert re.fullmatch(r"iso_[0-9a-f]{12}", isolation_id)
    assert context.isolation_level == "SERIALIZABLE"
    assert await context.connection.fetchval("SHOW transaction_isolation") == "serializable"
    assert resources.allocate("database_table_users") is True
    assert ResourceManager.holder_of("database_table_users") == isolation_id
    rival = ResourceManager("someone_else")
    assert rival.allocate("database_table_users") is False
    assert await resources.lock_in_database("database_table_orders") is True
    assert resources.allocated == {"database_table_users", "database_table_orders"}


@pytest.mark.asyncio
async def test_resources_are_released_after_the_previous_test(
    parallel_test_execution: tuple[TDDTestContext, str, ResourceManager],
) -> None:
    context, isolation_id, resources = parallel_test_execution
    assert ResourceManager.holder_of("database_table_users") is None
    assert resources.owner == isolation_id
    assert resources.allocate("database_table_users") is True
    locked = await context.connection.fetchval(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
    )
    assert locked == 0  # the previous test's advisory lock went with its rollback


@pytest.mark.asyncio
async def test_parallel_and_basic_contexts_are_separate(
    tdd_test_context: TDDTestContext,
    parallel_test_execution: tuple[TDDTestContext, str, ResourceManager],
) -> None:
    serializable = parallel_test_execution[0]
    assert serializable is not tdd_test_context
    assert serializable.connection is not tdd_test_context.connection


@pytest.mark.asyncio
async def test_tdd_parallel_safe_ids(tdd_parallel_safe: tuple[TDDTestContext, str]) -> None:
    context, unique_id = tdd_parallel_safe
    assert re.fullmatch(r"parallel_[0-9a-f]{12}", unique_id) and len(unique_id) == 21
    assert context.metadata["unique_id"] == unique_id
    assert context.connection.is_in_transaction()
