"""get_pool_manager / create_optimized_pool, get_schema_cache, get_memory_optimizer."""

from __future__ import annotations

import gc
from typing import Any

import psutil
import pytest

from pgtdd.isolation.pool import PoolError, create_optimized_pool, get_pool_manager
from pgtdd.models.schema_cache import SchemaCache, get_schema_cache
from pgtdd.performance.memory import MemoryOptimizer, get_memory_optimizer
from pgtdd.serverinfo import ServerInfo


@pytest.mark.asyncio
async def test_preheated_pool_opens_and_warms_connections_first(pgtdd_server: ServerInfo) -> None:
    manager = get_pool_manager()
    pool = await manager.create_optimized_pool(
        pool_id="test_pool",
        connection_string=pgtdd_server.url,
        min_size=2,
        max_size=5,
        preheat=True,
    )
    try:
        stats = manager.get_pool_statistics("test_pool")
        assert stats["preheated"] is True and stats["connections_opened"] == 2
        assert stats["size"] == 2 and stats["idle_connections"] == 2
        assert "***" in stats["database_url"] or not pgtdd_server.password
        async with manager.acquire("test_pool") as conn:
            assert await conn.fetchval("SELECT 1") == 1
            assert manager.get_pool_statistics("test_pool")["active_connections"] == 1
        stats = manager.get_pool_statistics("test_pool")
        assert stats["acquisitions"] == 1 and stats["preheated_acquisitions"] == 1
        assert stats["median_acquisition_ms"] > 0
        assert await create_optimized_pool("test_pool", pgtdd_server.url) is pool  # reused
    finally:
        assert await manager.cleanup_pool("test_pool") is True
    assert manager.get_pool_statistics("test_pool")["exists"] is False


@pytest.mark.asyncio
async def test_cold_pool_is_reported_cold(pgtdd_server: ServerInfo) -> None:
    manager = get_pool_manager()
    await manager.create_optimized_pool("cold_pool", pgtdd_server.url, 2, 3, preheat=False)
    try:
        assert manager.get_pool_statistics("cold_pool")["connections_opened"] == 0
        first = await manager.acquire_measured("cold_pool")
        assert first.preheated is False  # opened because it was asked for
        await manager.get_pool("cold_pool").release(first.connection)
        second = await manager.acquire_measured("cold_pool")
        assert second.preheated is True  # the same connection, now already open
        await manager.get_pool("cold_pool").release(second.connection)
        stats = manager.get_pool_statistics("cold_pool")
        assert stats["preheated"] is False and stats["preheated_acquisitions"] == 1
    finally:
        await manager.cleanup_pool("cold_pool")


@pytest.mark.asyncio
async def test_pool_errors_name_the_problem(pgtdd_server: ServerInfo) -> None:
    manager = get_pool_manager()
    with pytest.raises(PoolError, match="min_size"):
        await manager.create_optimized_pool("bad", pgtdd_server.url, min_size=3, max_size=2)
    with pytest.raises(PoolError, match="no pool 'missing'"):
        manager.get_pool("missing")
    missing = manager.get_pool_statistics("missing")
    assert missing["exists"] is False
    assert missing["active_connections"] is None and missing["size"] is None  # unknown, not 0
    assert await manager.cleanup_pool("missing") is False


def test_schema_cache_counts_hits_and_misses() -> None:
    cache = SchemaCache()
    cache.cache_schema(
        "User", {"users": "CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(255))"}
    )
    assert cache.is_schema_cached("User") is True
    assert cache.get_cached_schema("User") == {
        "users": "CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(255))"
    }
    assert cache.is_schema_cached("Order") is False
    assert cache.get_cached_schema("Order") is None
    stats = cache.get_cache_statistics()
    assert (stats["cache_hits"], stats["cache_misses"], stats["cached_schemas"]) == (2, 2, 1)
    assert stats["cache_enabled"] is True and stats["hit_rate"] == 0.5


def test_schema_cache_applied_schemas_per_database() -> None:
    cache = SchemaCache()
    assert cache.is_applied("db1", "User", "h1") is False
    cache.mark_applied("db1", "User", "h1")
    assert cache.is_applied("db1", "User", "h1") is True
    assert cache.is_applied("db1", "User", "h2") is False  # DDL changed
    assert cache.is_applied("db2", "User", "h1") is False
    cache.forget_database("db1")
    assert cache.is_applied("db1", "User", "h1") is False
    cache.record_ddl(2)
    assert cache.get_cache_statistics()["ddl_operations"] == 2


def test_disabled_schema_cache_never_hits() -> None:
    cache = SchemaCache(enabled=False)
    cache.cache_schema("User", {"users": "CREATE TABLE users (id int)"})
    assert cache.is_schema_cached("User") is False
    assert cache.get_cache_statistics()["cache_enabled"] is False


def test_process_wide_instances() -> None:
    assert get_schema_cache() is get_schema_cache()
    assert get_memory_optimizer() is get_memory_optimizer()
    assert get_pool_manager() is get_pool_manager()


def test_memory_snapshot_is_this_process_rss() -> None:
    optimizer = MemoryOptimizer()
    snapshot = optimizer.take_memory_snapshot("test_start")
    rss = psutil.Process().memory_info().rss / 1024 / 1024
    assert abs(snapshot.rss_mb - rss) < 16
    assert optimizer.get_snapshot("test_start") is snapshot


def test_memory_delta_sees_a_real_allocation() -> None:
    optimizer = MemoryOptimizer()
    optimizer.take_memory_snapshot("before")
    block = b"x" * (96 * 1024 * 1024)
    optimizer.take_memory_snapshot("after")
    assert optimizer.get_memory_delta("before", "after") > 48
    del block
    with pytest.raises(KeyError, match="no memory snapshot 'never'"):
        optimizer.get_memory_delta("never")


def test_track_object_and_optimize_memory() -> None:
    optimizer = MemoryOptimizer()

    class Node:
        def __init__(self) -> None:
            self.me: Any = self  # a reference cycle only the collector frees

    large_object = Node()
    tracked = optimizer.track_object(large_object, "large_data_structure")
    plain = optimizer.track_object(list(range(1000)), "a_list")
    assert tracked.alive is True and plain.alive is None and plain.size_bytes > 1000
    del large_object
    gc.disable()
    try:
        report = optimizer.optimize_memory()
    finally:
        gc.enable()
    assert report["objects_collected"] >= 1
    assert report["dead_tracked_objects"] == ["large_data_structure"]
    assert "large_data_structure" not in optimizer.tracked_objects()
    assert optimizer.get_memory_statistics()["optimizations"] == 1
