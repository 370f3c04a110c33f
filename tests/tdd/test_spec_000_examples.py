"""The examples of spec 000 (TDD API reference) that use these fixtures and utilities.

As written, except (see docs/tdd_api.md, "Corrected spec examples"):
* imports come from ``pgtdd.tdd_support`` (spec: ``dataflow.testing.tdd_support``);
* timing comparisons (``setup_time_ms < 10``, ``acquisition_time_ms < 5``) are checked in
  ``benchmarks/tdd_overhead.py``; here the values are only required to be measured (> 0);
* async fixtures are declared with ``pytest_asyncio.fixture`` (strict mode), and the
  infrastructure conftest takes the session server (``pgtdd_server``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from pgtdd.isolation.pool import get_pool_manager
from pgtdd.models.schema_cache import get_schema_cache
from pgtdd.performance.memory import get_memory_optimizer
from pgtdd.serverinfo import ServerInfo
from pgtdd.tdd_support import (
    ConnectionPoolExhaustedError,
    SavepointError,
    TDDDatabaseManager,
    TDDInfrastructureError,
    TDDTestContext,
    get_database_manager,
    get_transaction_manager,
    is_tdd_mode,
    setup_tdd_infrastructure,
    tdd_test_context,
)
from tests.tdd.conftest import RunPytest


def test_is_tdd_mode_example(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setenv("DATAFLOW_TDD_MODE", "true")
    if is_tdd_mode():
        print("TDD infrastructure is active")
    assert capsys.readouterr().out == "TDD infrastructure is active\n"


def test_context_constructor_example() -> None:
    context = TDDTestContext(
        test_id="custom_test_id",
        isolation_level="READ COMMITTED",
        timeout=30,
        rollback_on_error=True,
        savepoint_name="custom_sp",
    )
    assert (context.test_id, context.savepoint_name) == ("custom_test_id", "custom_sp")
    assert context.connection is None and context.savepoint_created is False
    assert context.metadata == {}


@pytest.mark.asyncio
async def test_database_manager_example(
    pgtdd_server: ServerInfo, pgtdd_tdd_infrastructure: TDDDatabaseManager
) -> None:
    db_manager = get_database_manager()

    # Initialize with custom connection string (here: the session server's, so a no-op)
    await db_manager.initialize(connection_string=pgtdd_server.url)

    # Get connection for test context
    context = TDDTestContext()
    connection = await db_manager.get_test_connection(context)
    assert await connection.fetchval("SELECT 1") == 1
    assert db_manager.active_connections == {context.test_id: connection}

    # Cleanup connections
    await db_manager.cleanup_test_connection(context)
    await db_manager.close()
    assert db_manager.connection_pool is None

    # The next test that needs it gets a new, preheated pool on the same URL.
    async with tdd_test_context() as after:
        assert after.metrics.preheated_connection is True
    assert db_manager.connection_pool is not None


@pytest.mark.asyncio
async def test_transaction_manager_example(pgtdd_tdd_infrastructure: TDDDatabaseManager) -> None:
    db_manager = get_database_manager()
    context = TDDTestContext()
    connection = await db_manager.get_test_connection(context)
    try:
        tx_manager = get_transaction_manager()
        await tx_manager.begin_test_transaction(connection, context)
        await tx_manager.create_savepoint(connection, context)
        await connection.execute("CREATE TEMP TABLE example (x int)")
        await tx_manager.rollback_to_savepoint(connection, context)
        assert await connection.fetchval("SELECT to_regclass('pg_temp.example')") is None
        await tx_manager.release_savepoint(connection, context)
        outcome = await tx_manager.end_test_transaction(connection, context, rollback=True)
        assert outcome.ended_with == "rollback"
    finally:
        await db_manager.cleanup_test_connection(context)


@pytest.mark.asyncio
async def test_with_context(tdd_test_context: TDDTestContext, capsys: Any) -> None:
    """Test using basic TDD context"""
    context = tdd_test_context

    # Direct database access
    connection = context.connection
    result = await connection.fetchval("SELECT 1")
    assert result == 1

    # Context info
    print(f"Test ID: {context.test_id}")
    print(f"Savepoint: {context.savepoint_name}")
    assert f"Savepoint: {context.savepoint_name}" in capsys.readouterr().out


@pytest.mark.asyncio
async def test_with_dataflow(tdd_dataflow: Any) -> None:
    """Test using TDD-optimized DataFlow"""
    df = tdd_dataflow

    @df.model
    class TestModel:
        name: str
        value: int = 0

    # Fast table creation (existing_schema_mode=True)
    df.create_tables()

    # Standard DataFlow operations
    result = await df.TestModel.create({"name": "test", "value": 42})
    assert result["success"] is True

    # Automatic cleanup via TDD infrastructure
    assert df.config.existing_schema_mode is True and df.config.pool_size == 1


@pytest.mark.asyncio
async def test_with_fast_db(fast_test_db: Any) -> None:
    """Test using fast database connection"""
    connection = fast_test_db

    await connection.execute("""
        CREATE TEMP TABLE test_table (
            id SERIAL PRIMARY KEY,
            data TEXT
        )
    """)

    await connection.execute("INSERT INTO test_table (data) VALUES ($1)", "test data")

    count = await connection.fetchval("SELECT COUNT(*) FROM test_table")
    assert count == 1


@pytest.mark.asyncio
async def test_enhanced_performance(enhanced_tdd_context: Any) -> None:
    """Test with all performance optimizations enabled"""
    context = enhanced_tdd_context

    # Performance metrics available (the < 10 ms target is a benchmark, not a test)
    metrics = context.metrics
    assert metrics.setup_time_ms > 0

    # All optimizations enabled
    assert context.preheated_pool is True
    assert context.cached_schema is True
    assert context.parallel_safe is True
    assert context.memory_optimized is True


@pytest.mark.asyncio
async def test_preheated_performance(preheated_dataflow: Any) -> None:
    """Test with preheated connection pool"""
    df, pool_stats = preheated_dataflow

    # Connection immediately available (the < 5 ms target is a benchmark, not a test)
    assert pool_stats["preheated"] is True
    assert pool_stats["acquisition_time_ms"] > 0

    # Normal DataFlow operations at maximum speed
    @df.model
    class FastModel:
        name: str

    df.create_tables()
    result = await df.FastModel.create({"name": "fast test"})
    assert result["success"] is True


@pytest.mark.asyncio
async def test_cached_models(cached_schema_models: Any) -> None:
    """Test with pre-cached model schemas"""
    User, Product, Order, cache_stats = cached_schema_models

    # Models immediately available
    assert cache_stats["cache_hits"] > 0
    assert cache_stats["ddl_operations"] == 0

    # Standard model usage
    user_data = {"name": "Alice", "email": "alice@example.com"}
    user = await User.create(user_data)
    assert user["success"] is True and user["data"]["email"] == "alice@example.com"
    assert (Product.spec.name, Order.spec.name) == ("Product", "Order")


@pytest.mark.asyncio
async def test_parallel_safe(parallel_test_execution: Any) -> None:
    """Test designed for parallel execution"""
    context, isolation_id, resource_manager = parallel_test_execution

    # Each parallel test gets unique isolation
    assert isolation_id.startswith("iso_")
    assert context.isolation_level == "SERIALIZABLE"

    # Resource allocation for deadlock prevention
    allocated = False
    if resource_manager.allocate("database_table_users"):
        # Safe to operate on users table
        allocated = True
    assert allocated


@pytest.mark.asyncio
async def test_simple_parallel(tdd_parallel_safe: Any) -> None:
    """Simple parallel-safe test"""
    context, unique_id = tdd_parallel_safe

    # Unique context for this parallel execution
    assert unique_id.startswith("parallel_")
    assert len(unique_id) == 21  # parallel_ + 12 char hex

    # Safe for concurrent execution
    connection = context.connection
    table_name = f"test_table_{unique_id.split('_')[1]}"

    await connection.execute(f"""
        CREATE TEMP TABLE {table_name} (
            id SERIAL PRIMARY KEY,
            data TEXT
        )
    """)
    assert await connection.fetchval("SELECT to_regclass($1)", table_name) is not None


@pytest.mark.asyncio
async def test_with_seeded_data(tdd_seeded_data: Any) -> None:
    """Test with pre-populated data"""
    context, data, models = tdd_seeded_data

    # Access seeded data
    users = data["users"]  # 3 users
    products = data["products"]  # 5 products
    orders = data["orders"]  # 3 orders

    assert len(users) == 3
    assert all(user["email"].endswith("@example.com") for user in users)
    assert (len(products), len(orders)) == (5, 3)
    assert context.connection.is_in_transaction()

    # Access models for additional operations
    User = models["User"]
    Product = models["Product"]
    Order = models["Order"]
    assert (await Product.count({"category": "office"}))["data"] >= 2
    assert (await User.read(users[0]["id"]))["data"]["name"] == "Alice Smith"
    assert (await Order.read(orders[1]["id"]))["data"]["quantity"] == 2


async def custom_test_function() -> str:
    async with tdd_test_context(
        test_id="custom_test",
        isolation_level="SERIALIZABLE",
        timeout=60,
        rollback_on_error=True,
    ) as context:
        # Test operations with custom context
        connection = context.connection
        level: str = await connection.fetchval("SHOW transaction_isolation")
    # Automatic cleanup
    assert context.connection is None
    return level


@pytest.mark.asyncio
async def test_manual_context_example(pgtdd_tdd_infrastructure: TDDDatabaseManager) -> None:
    assert await custom_test_function() == "serializable"


@pytest.mark.asyncio
async def test_tdd_only(tdd_test_context: TDDTestContext) -> None:
    assert tdd_test_context.connection.is_in_transaction()


# ``resilient_tdd_context`` from "Error Recovery", with pytest_asyncio.fixture.
@pytest_asyncio.fixture
async def resilient_tdd_context(
    pgtdd_tdd_infrastructure: TDDDatabaseManager,
) -> AsyncIterator[TDDTestContext]:
    retries = 3
    for attempt in range(retries):
        try:
            async with tdd_test_context() as context:
                yield context
                break
        except TDDInfrastructureError:
            if attempt == retries - 1:
                raise
            await asyncio.sleep(0.1)  # Brief pause before retry


@pytest.mark.asyncio
async def test_resilient_context(resilient_tdd_context: TDDTestContext) -> None:
    assert await resilient_tdd_context.connection.fetchval("SELECT 1") == 1


@pytest.mark.asyncio
async def test_pool_preheating_example(pgtdd_server: ServerInfo) -> None:
    database_url = pgtdd_server.url
    pool_manager = get_pool_manager()
    pool = await pool_manager.create_optimized_pool(
        pool_id="test_pool",
        connection_string=database_url,
        min_size=2,
        max_size=5,
        preheat=True,  # Warm connections on startup
    )
    try:
        assert pool.get_size() == 2
        assert pool_manager.get_pool_statistics("test_pool")["preheated"] is True
    finally:
        await pool_manager.cleanup_pool("test_pool")


def test_schema_caching_example() -> None:
    schema_cache = get_schema_cache()
    schema_cache.cache_schema(
        "User", {"users": "CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(255))"}
    )

    # Fast retrieval
    cached_ddl = None
    if schema_cache.is_schema_cached("User"):
        cached_ddl = schema_cache.get_cached_schema("User")
    assert cached_ddl == {"users": "CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(255))"}


def test_memory_optimization_example() -> None:
    memory_optimizer = get_memory_optimizer()

    # Track memory usage
    snapshot = memory_optimizer.take_memory_snapshot("test_start")
    assert snapshot.rss_mb > 0

    # Object tracking
    large_object = {"rows": list(range(100_000))}
    tracked = memory_optimizer.track_object(large_object, "large_data_structure")
    assert tracked.size_bytes > 0

    # Optimize memory usage
    report = memory_optimizer.optimize_memory()
    assert report["rss_after_mb"] > 0


@pytest.mark.asyncio
async def test_setup_error_example(capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGTDD_ALLOW_DATABASE", "127.0.0.1:1/none")  # past the guard: unreachable
    manager = TDDDatabaseManager(pool_id="spec_setup_error")
    try:
        await setup_tdd_infrastructure(
            "postgresql://nobody@127.0.0.1:1/none", attempts=2, manager=manager
        )
    except TDDInfrastructureError as e:
        print(f"TDD setup failed: {e}")
    assert capsys.readouterr().out.startswith("TDD setup failed: TDD infrastructure could not")


@pytest.mark.asyncio
async def test_savepoint_error_example(pgtdd_tdd_infrastructure: TDDDatabaseManager) -> None:
    db_manager = get_database_manager()
    tx_manager = get_transaction_manager()
    context = TDDTestContext()
    connection = await db_manager.get_test_connection(context)
    caught = None
    try:
        await tx_manager.create_savepoint(connection, context)  # no transaction begun
    except SavepointError as e:
        caught = e
    finally:
        await db_manager.cleanup_test_connection(context)
    assert caught is not None and "not in a transaction" in str(caught)


@pytest.mark.asyncio
async def test_pool_exhausted_example(pgtdd_server: ServerInfo) -> None:
    db_manager = TDDDatabaseManager(pool_size=1, acquire_timeout=0.1, pool_id="spec_exhaust")
    await db_manager.initialize(pgtdd_server.url)
    holder = TDDTestContext()
    await db_manager.get_test_connection(holder)
    message = ""
    try:
        await db_manager.get_test_connection(TDDTestContext())
    except ConnectionPoolExhaustedError as e:
        message = f"No connections available: {e}"
    finally:
        await db_manager.close()
    assert "DATAFLOW_TDD_POOL_SIZE" in message


CONFTEST_EXAMPLE = """
import pytest
import pytest_asyncio
from pgtdd.tdd_support import setup_tdd_infrastructure, teardown_tdd_infrastructure

@pytest_asyncio.fixture(scope="session", loop_scope="session", autouse=True)
async def initialize_tdd():
    await setup_tdd_infrastructure()
    yield
    await teardown_tdd_infrastructure()
"""

CONFTEST_USER = """
import pytest
from pgtdd.tdd_support import get_database_manager, tdd_test_context

@pytest.mark.asyncio
async def test_uses_the_infrastructure():
    assert get_database_manager().connection_pool is not None
    async with tdd_test_context() as context:
        assert await context.connection.fetchval("SELECT 1") == 1
"""


def test_conftest_example(run_pytest: RunPytest, tmp_path: Any) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST_EXAMPLE)
    result = run_pytest(CONFTEST_USER)
    assert "1 passed" in result.outcomes(), result.output
