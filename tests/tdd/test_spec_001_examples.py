"""The examples of spec 001 (best practices) that use these fixtures and utilities.

As written, except (see docs/tdd_api.md, "Corrected spec examples"): ``total DECIMAL(10,2)``
comes back as ``Decimal`` (compare with ``Decimal("99.99")``, not the float ``99.99``); the
"safe test data" example inserts into a ``users`` table it never creates (created here as a
temp table); the "excessive data" anti-pattern has invalid SQL and an undefined name (fixed);
empty example bodies (``pass``) assert what their fixture provides; session fixtures are
``pytest_asyncio`` fixtures; the health check closes only what it opened.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
import pytest_asyncio

from pgtdd.isolation.pool import get_pool_manager
from pgtdd.models.dataflow import DataFlow
from pgtdd.models.schema_cache import SchemaCache, get_schema_cache
from pgtdd.serverinfo import ServerInfo
from pgtdd.tdd_support import (
    TDDDatabaseManager,
    TDDTestContext,
    get_database_manager,
    is_tdd_mode,
    tdd_test_context,
)

logger = logging.getLogger(__name__)


@pytest.mark.asyncio
async def test_user_creation_fast(tdd_dataflow: DataFlow) -> None:
    """Optimized for <100ms execution"""
    df = tdd_dataflow  # Pre-configured for speed

    @df.model
    class User:
        name: str
        email: str

    # Fast: Uses existing_schema_mode
    df.create_tables()

    # Minimal test operations
    result = await df.User.create({"name": "Alice", "email": "alice@example.com"})
    assert result["success"] is True


@pytest.mark.asyncio
async def test_isolated_operations(tdd_test_context: TDDTestContext) -> None:
    """Each test gets clean savepoint"""
    context = tdd_test_context
    connection = context.connection

    # Create test data
    await connection.execute("CREATE TEMP TABLE test_data (id SERIAL, value TEXT)")
    await connection.execute("INSERT INTO test_data (value) VALUES ('test')")

    # Test operations
    count = await connection.fetchval("SELECT COUNT(*) FROM test_data")
    assert count == 1

    # Automatic rollback ensures isolation


@pytest.mark.asyncio
async def test_real_database_operations(tdd_test_context: TDDTestContext) -> None:
    """Test against real PostgreSQL"""
    context = tdd_test_context
    connection = context.connection

    # Real SQL operations
    await connection.execute("""
        CREATE TEMP TABLE orders (
            id SERIAL PRIMARY KEY,
            user_id INTEGER,
            total DECIMAL(10,2),
            created_at TIMESTAMP DEFAULT NOW()
        )
    """)

    # Real constraints and data types
    await connection.execute("INSERT INTO orders (user_id, total) VALUES ($1, $2)", 123, 99.99)

    # Real query operations
    order = await connection.fetchrow(
        "SELECT id, user_id, total FROM orders WHERE user_id = $1", 123
    )
    assert order["total"] == Decimal("99.99")  # spec: == 99.99, which a Decimal never equals


@pytest.mark.asyncio
async def test_basic_sql(tdd_test_context: TDDTestContext) -> None:
    """Use for: Raw SQL operations, basic testing"""
    assert tdd_test_context.savepoint_created is True


@pytest.mark.asyncio
async def test_dataflow_models(tdd_dataflow: DataFlow) -> None:
    """Use for: Model CRUD, standard DataFlow features"""
    assert tdd_dataflow.connection.is_in_transaction()


@pytest.mark.asyncio
async def test_performance_critical(enhanced_tdd_context: Any) -> None:
    """Use for: Performance validation, optimization"""
    assert enhanced_tdd_context.metrics.setup_time_ms > 0


@pytest.mark.asyncio
async def test_concurrent_operations(tdd_parallel_safe: Any) -> None:
    """Use for: Race condition testing, concurrent scenarios"""
    assert tdd_parallel_safe[1].startswith("parallel_")


@pytest.mark.asyncio
async def test_complex_relationships(tdd_seeded_data: Any) -> None:
    """Use for: Tests requiring existing data relationships"""
    context, data, models = tdd_seeded_data
    assert data["orders"][0]["user_id"] == data["users"][0]["id"]
    assert context.connection is models["User"].dataflow.connection


@pytest.mark.asyncio
async def test_simple_query(tdd_test_context: TDDTestContext) -> None:
    """Right fixture for simple operations"""
    context = tdd_test_context
    result = await context.connection.fetchval("SELECT 1")
    assert result == 1


# "Connection Pool Management": the session-scoped shared pool.
@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def shared_pool(pgtdd_server: ServerInfo) -> AsyncIterator[Any]:
    """Session-scoped connection pool"""
    test_db_url = pgtdd_server.url
    pool_manager = get_pool_manager()
    pool = await pool_manager.create_optimized_pool(
        pool_id="test_session_pool",
        connection_string=test_db_url,
        min_size=3,
        max_size=10,
        preheat=True,
    )
    yield pool
    await pool_manager.cleanup_pool("test_session_pool")


@pytest.mark.asyncio
async def test_shared_pool(shared_pool: Any) -> None:
    async with shared_pool.acquire() as conn:
        assert await conn.fetchval("SELECT 1") == 1
    stats = get_pool_manager().get_pool_statistics("test_session_pool")
    assert stats["preheated"] is True and stats["min_size"] == 3 and stats["max_size"] == 10


# "Schema Caching Strategies"
@pytest.fixture(scope="session")
def cached_schemas() -> SchemaCache:
    """Cache frequently used schemas"""
    schema_cache = get_schema_cache()

    # Pre-cache common schemas
    common_schemas = {
        "users": "CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(255), "
        "email VARCHAR(255))",
        "products": "CREATE TABLE products (id SERIAL PRIMARY KEY, name VARCHAR(255), "
        "price DECIMAL(10,2))",
        "orders": "CREATE TABLE orders (id SERIAL PRIMARY KEY, user_id INTEGER, "
        "product_id INTEGER)",
    }

    for name, ddl in common_schemas.items():
        schema_cache.cache_schema(name, {name: ddl})

    return schema_cache


@pytest.mark.asyncio
async def test_cached_schemas_are_usable(
    cached_schemas: SchemaCache, tdd_test_context: TDDTestContext
) -> None:
    ddl = cached_schemas.get_cached_schema("users")
    assert ddl is not None
    temp = ddl["users"].replace("CREATE TABLE", "CREATE TEMP TABLE")
    await tdd_test_context.connection.execute(temp)
    assert await tdd_test_context.connection.fetchval("SELECT count(*) FROM users") == 0


@pytest.mark.asyncio
async def test_repeated_ddl(tdd_test_context: TDDTestContext) -> None:
    """Don't recreate identical schemas (the anti-pattern still works)"""
    connection = tdd_test_context.connection

    await connection.execute("""
        CREATE TEMP TABLE users (
            id SERIAL PRIMARY KEY,
            name VARCHAR(255),
            email VARCHAR(255)
        )
    """)
    assert await connection.fetchval("SELECT to_regclass('pg_temp.users')") is not None


@pytest.mark.asyncio
async def test_with_minimal_data(tdd_test_context: TDDTestContext) -> None:
    """Use minimal data for faster tests"""
    context = tdd_test_context
    connection = context.connection

    # Minimal schema
    await connection.execute("""
        CREATE TEMP TABLE simple_test (id SERIAL, value TEXT)
    """)

    # Minimal test data
    await connection.execute("INSERT INTO simple_test (value) VALUES ($1)", "test_value")

    # Single assertion
    result = await connection.fetchval("SELECT value FROM simple_test WHERE id = 1")
    assert result == "test_value"


@pytest.mark.asyncio
async def test_with_excessive_data(tdd_test_context: TDDTestContext) -> None:
    """The anti-pattern, made runnable (spec: trailing comma, undefined `connection`)"""
    connection = tdd_test_context.connection
    await connection.execute("""
        CREATE TEMP TABLE complex_test (
            id SERIAL PRIMARY KEY,
            field1 VARCHAR(255),
            field2 INTEGER,
            field3 BOOLEAN,
            field4 TIMESTAMP,
            field5 JSONB,
            field6 DECIMAL(10,2)
        )
    """)
    for i in range(100):  # Unnecessary bulk data
        await connection.execute(
            "INSERT INTO complex_test (field1, field2, field3, field4, field5, field6) "
            "VALUES ($1, $2, $3, now(), '{}', $4)",
            f"row {i}",
            i,
            i % 2 == 0,
            Decimal(i),
        )
    assert await connection.fetchval("SELECT count(*) FROM complex_test") == 100


@pytest.mark.asyncio
async def test_with_fallback_strategy(tdd_test_context: TDDTestContext) -> None:
    """Handle TDD infrastructure failures gracefully"""
    context = tdd_test_context

    try:
        # Attempt optimized operation
        result = await context.connection.fetchval("SELECT 1")

    except Exception as e:  # noqa: BLE001 - the spec's pattern
        # Log the issue for investigation
        logger.warning(f"TDD infrastructure issue: {e}")

        # Fallback to slower but reliable approach
        pytest.skip("TDD infrastructure unavailable - skipping for CI stability")

    # outside the try: a wrong result fails the test instead of turning into a skip
    assert result == 1


@pytest_asyncio.fixture
async def robust_tdd_context(
    pgtdd_tdd_infrastructure: TDDDatabaseManager,
) -> AsyncIterator[TDDTestContext]:
    """Robust context with guaranteed cleanup"""
    context = None
    try:
        async with tdd_test_context() as ctx:
            context = ctx
            yield ctx
    except Exception as e:
        logger.error(f"TDD context error: {e}")
        raise
    finally:
        # Ensure cleanup even on failure
        if context and context.connection:
            try:  # noqa: SIM105 - the spec's wording
                await context.connection.close()
            except Exception:  # noqa: BLE001 - the spec's best-effort cleanup
                pass  # Best effort cleanup


@pytest.mark.asyncio
async def test_robust_context(robust_tdd_context: TDDTestContext) -> None:
    assert robust_tdd_context.connection.is_in_transaction()


@pytest.mark.asyncio
async def test_example_basic_tdd_test(tdd_test_context: TDDTestContext) -> None:
    """Example 1: Basic TDD Test Pattern (spec name: example_basic_tdd_test)"""
    context = tdd_test_context
    connection = context.connection

    # Step 1: Create test schema
    await connection.execute("""
        CREATE TEMP TABLE training_users (
            id SERIAL PRIMARY KEY,
            name VARCHAR(100) NOT NULL,
            email VARCHAR(255) UNIQUE NOT NULL
        )
    """)

    # Step 2: Insert test data
    await connection.execute(
        "INSERT INTO training_users (name, email) VALUES ($1, $2)",
        "Training User",
        "training@example.com",
    )

    # Step 3: Verify operations
    user_count = await connection.fetchval("SELECT COUNT(*) FROM training_users")
    assert user_count == 1

    # Step 4: Verify data quality
    user = await connection.fetchrow("SELECT name, email FROM training_users WHERE id = 1")
    assert user["name"] == "Training User"
    assert user["email"] == "training@example.com"


@pytest.mark.asyncio
async def test_tdd_infrastructure_health(pgtdd_tdd_infrastructure: TDDDatabaseManager) -> None:
    """Validate TDD infrastructure is healthy"""

    # Check TDD mode activation
    assert is_tdd_mode(), "TDD mode must be enabled"

    # Check database connectivity
    db_manager = get_database_manager()
    await db_manager.initialize()

    # Check connection pool health: "health_check" names the TDD manager's pool, measured
    pool_manager = get_pool_manager()
    pool_stats = pool_manager.get_pool_statistics("health_check")
    assert pool_stats["exists"] is True and pool_stats["pool_id"] == db_manager.pool_id
    assert pool_stats["size"] == db_manager.connection_pool.get_size() > 0
    in_use = pool_stats["active_connections"]
    context = TDDTestContext(test_id="health_probe")
    await db_manager.get_test_connection(context)
    try:
        assert pool_manager.get_pool_statistics("health_check")["active_connections"] == in_use + 1
    finally:
        await db_manager.cleanup_test_connection(context)

    # Check schema cache functionality
    schema_cache = get_schema_cache()
    cache_stats = schema_cache.get_cache_statistics()
    assert cache_stats["cache_enabled"] is True

    # Cleanup (the spec closes the manager; the next test gets a new pool)
    await db_manager.close()
    assert db_manager.connection_pool is None


@pytest.mark.asyncio
async def test_with_safe_test_data(tdd_test_context: TDDTestContext) -> None:
    """Use non-sensitive test data"""
    context = tdd_test_context
    connection = context.connection
    await connection.execute(  # the spec assumes this table exists
        "CREATE TEMP TABLE users (name text, email text, ssn text, phone text)"
    )

    # Safe test data - no real information
    test_user = {
        "name": "Test User",
        "email": "test@example.com",
        "ssn": "000-00-0000",  # Clearly fake
        "phone": "555-0123",  # Reserved test number
    }

    await connection.execute(
        "INSERT INTO users (name, email, ssn, phone) VALUES ($1, $2, $3, $4)",
        test_user["name"],
        test_user["email"],
        test_user["ssn"],
        test_user["phone"],
    )
    assert await connection.fetchval("SELECT ssn FROM users") == "000-00-0000"
