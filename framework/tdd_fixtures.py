"""The spec's TDD fixtures, built from factories, and the pytest hooks of TDD mode.

Registered by the pgtdd plugin. Every default fixture is ``<factory>()``; declare a variant in
a conftest with the same factory::

    from framework.tdd_fixtures import tdd_context_fixture
    serializable_context = tdd_context_fixture(isolation_level="SERIALIZABLE", timeout=5)

Fixtures used together in one test share one context (connection and transaction) when they
can: ``tdd_dataflow`` then sees what ``tdd_seeded_data`` inserted. A fixture that needs another
isolation level (``parallel_test_execution``) or context class gets its own.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, cast

import pytest
import pytest_asyncio

from framework.dataflow import TDD_CONFIG, DataFlow, ModelAPI
from framework.memory import get_memory_optimizer
from framework.profiles import Profile
from framework.server import ServerInfo
from framework.tdd_context import ContextMetrics, session_database_url, session_profile
from framework.tdd_models import (
    SEED_DATA,
    SchemaSetup,
    bind_standard_models,
    ensure_standard_schema,
    seed,
)
from framework.tdd_resources import ResourceManager
from framework.tdd_support import (
    TDDDatabaseManager,
    TDDTestContext,
    current_tdd_context,
    explain_statement_timeout,
    get_database_manager,
    is_tdd_mode,
    normalize_isolation_level,
    run_test_context,
    set_session_database_url,
    setup_tdd_infrastructure,
    teardown_tdd_infrastructure,
)

MODE_VARIABLE = "DATAFLOW_TDD_MODE"
CALL_FAILED = pytest.StashKey[bool]()
_MODE_SET_BY_PLUGIN = pytest.StashKey[bool]()
FixtureFunction = Any


# --------------------------------------------------------------------------- hooks


def pytest_configure(config: pytest.Config) -> None:
    """Turn TDD mode on for the session unless the user set ``DATAFLOW_TDD_MODE``."""
    config.stash[_MODE_SET_BY_PLUGIN] = MODE_VARIABLE not in os.environ
    if config.stash[_MODE_SET_BY_PLUGIN]:
        os.environ[MODE_VARIABLE] = "true"
    config.addinivalue_line("markers", "tdd: a test using the pgtdd TDD fixtures")
    config.addinivalue_line("markers", "parallel: a test that is safe to run in parallel")


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.stash.get(_MODE_SET_BY_PLUGIN, False):
        os.environ.pop(MODE_VARIABLE, None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember whether the test body failed (for the after-test check); explain a statement
    timeout of the test's context."""
    if call.when == "call" and call.excinfo is not None:
        for context in get_database_manager().contexts():
            if context.metadata.get("nodeid") == item.nodeid:
                explain_statement_timeout(call.excinfo.value, context)
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = bool(report.failed)
    return report


def require_tdd_mode() -> None:
    """Skip, saying how to turn it on, when the user switched TDD mode off."""
    if not is_tdd_mode():
        value = os.environ.get(MODE_VARIABLE)
        pytest.skip(
            f"TDD mode is off ({MODE_VARIABLE}={value!r}). Turn it on with "
            f"{MODE_VARIABLE}=true (or unset it: pgtdd turns it on for the session)"
        )


# --------------------------------------------------------------------------- session fixtures


def _session_profile(config: pytest.Config) -> Profile | None:
    from framework.plugin import SETTINGS_KEY

    settings = config.stash.get(SETTINGS_KEY, None)
    return settings.profile if settings is not None else None


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def pgtdd_tdd_infrastructure(
    request: pytest.FixtureRequest, pgtdd_server: ServerInfo
) -> AsyncIterator[TDDDatabaseManager]:
    """The session's TDD pool on the session server (created once, closed at the end)."""
    require_tdd_mode()
    previous = (session_database_url(), session_profile())  # an outer (pytester) session's
    set_session_database_url(pgtdd_server.url, _session_profile(request.config))
    try:
        manager = await setup_tdd_infrastructure(pgtdd_server.url)
        yield manager
        await teardown_tdd_infrastructure()
    finally:
        set_session_database_url(*previous)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def pgtdd_model_schema(pgtdd_tdd_infrastructure: TDDDatabaseManager) -> SchemaSetup:
    """The standard models' tables, created once in the session database and cached."""
    url = pgtdd_tdd_infrastructure.connection_string or pgtdd_tdd_infrastructure.safe_url
    return await ensure_standard_schema(url)


# --------------------------------------------------------------------------- shared helpers


def _node_test_id(node: pytest.Item) -> str:
    return f"{node.name}#{secrets.token_hex(3)}"


@asynccontextmanager
async def fixture_context(
    request: pytest.FixtureRequest,
    *,
    isolation_level: str = "READ COMMITTED",
    timeout: int | None = None,
    rollback_on_error: bool = True,
    context_class: type[TDDTestContext] = TDDTestContext,
    share: bool = True,
    metadata: Mapping[str, Any] | None = None,
) -> AsyncIterator[TDDTestContext]:
    """The test's context: the one another fixture of this test opened, or a new one."""
    node = request.node
    current = current_tdd_context()
    if (
        share
        and current is not None
        and current.connection is not None
        and current.metadata.get("nodeid") == node.nodeid
        and current.isolation_level == isolation_level
        and isinstance(current, context_class)
    ):
        yield current
        return
    context = context_class(
        test_id=_node_test_id(node),
        isolation_level=isolation_level,
        timeout=timeout,
        rollback_on_error=rollback_on_error,
        metadata={"nodeid": node.nodeid, **(metadata or {})},
    )
    async with run_test_context(
        context, test_failed=lambda: node.stash.get(CALL_FAILED, False)
    ) as ctx:
        yield ctx


def _fixture(function: Callable[..., Any], name: str | None, label: str) -> FixtureFunction:
    function.__name__ = function.__qualname__ = label
    return pytest_asyncio.fixture(function, name=name)


def _dataflow_for(context: TDDTestContext, options: Mapping[str, Any]) -> DataFlow:
    config = {**TDD_CONFIG, **options}
    config["database_url"] = get_database_manager().connection_string
    return DataFlow(connection=context.connection, **config)


# --------------------------------------------------------------------------- factories


def tdd_context_fixture(
    *,
    isolation_level: str = "READ COMMITTED",
    timeout: int | None = None,
    rollback_on_error: bool = True,
    name: str | None = None,
    **metadata: Any,
) -> FixtureFunction:
    """A fixture yielding a :class:`TDDTestContext` (connection, transaction, savepoint)."""
    level = normalize_isolation_level(isolation_level)

    async def fixture(
        request: pytest.FixtureRequest, pgtdd_tdd_infrastructure: TDDDatabaseManager
    ) -> AsyncIterator[TDDTestContext]:
        async with fixture_context(
            request,
            isolation_level=level,
            timeout=timeout,
            rollback_on_error=rollback_on_error,
            metadata=metadata,
        ) as context:
            yield context

    return _fixture(fixture, name, "tdd_test_context")


def fast_db_fixture(
    *, isolation_level: str = "READ COMMITTED", timeout: int | None = None, name: str | None = None
) -> FixtureFunction:
    """A fixture yielding the test's ``asyncpg`` connection, inside its savepoint."""
    level = normalize_isolation_level(isolation_level)

    async def fixture(
        request: pytest.FixtureRequest, pgtdd_tdd_infrastructure: TDDDatabaseManager
    ) -> AsyncIterator[Any]:
        async with fixture_context(request, isolation_level=level, timeout=timeout) as context:
            yield context.connection

    return _fixture(fixture, name, "fast_test_db")


def dataflow_fixture(
    *, isolation_level: str = "READ COMMITTED", name: str | None = None, **options: Any
) -> FixtureFunction:
    """A fixture yielding a :class:`DataFlow` on the test's connection (``TDD_CONFIG``)."""
    level = normalize_isolation_level(isolation_level)
    _dataflow_check(options)

    async def fixture(
        request: pytest.FixtureRequest, pgtdd_tdd_infrastructure: TDDDatabaseManager
    ) -> AsyncIterator[DataFlow]:
        async with fixture_context(request, isolation_level=level) as context:
            yield _dataflow_for(context, options)

    return _fixture(fixture, name, "tdd_dataflow")


def _dataflow_check(options: Mapping[str, Any]) -> None:
    DataFlow(**{**TDD_CONFIG, **options})  # unknown options fail at import, not per test


def preheated_dataflow_fixture(
    *, isolation_level: str = "READ COMMITTED", name: str | None = None, **options: Any
) -> FixtureFunction:
    """A fixture yielding ``(DataFlow, pool_statistics)`` from the preheated pool."""
    level = normalize_isolation_level(isolation_level)
    _dataflow_check(options)

    async def fixture(
        request: pytest.FixtureRequest, pgtdd_tdd_infrastructure: TDDDatabaseManager
    ) -> AsyncIterator[tuple[DataFlow, dict[str, Any]]]:
        async with fixture_context(request, isolation_level=level) as context:
            yield _dataflow_for(context, options), pool_statistics(context)

    return _fixture(fixture, name, "preheated_dataflow")


def pool_statistics(context: TDDTestContext) -> dict[str, Any]:
    """The TDD pool's measured statistics plus this context's acquisition."""
    manager = get_database_manager()
    stats = manager.pool_manager.get_pool_statistics(manager.pool_id)
    return {
        **stats,
        "pool_preheated": stats["preheated"],
        "preheated": bool(stats["preheated"] and context.metrics.preheated_connection),
        "acquisition_time_ms": context.metrics.acquisition_time_ms,
    }


def cached_models_fixture(
    *, isolation_level: str = "READ COMMITTED", name: str | None = None
) -> FixtureFunction:
    """A fixture yielding ``(User, Product, Order, cache_statistics)`` for this test."""
    level = normalize_isolation_level(isolation_level)

    async def fixture(
        request: pytest.FixtureRequest,
        pgtdd_tdd_infrastructure: TDDDatabaseManager,
        pgtdd_model_schema: SchemaSetup,
    ) -> AsyncIterator[tuple[ModelAPI, ModelAPI, ModelAPI, dict[str, Any]]]:
        async with fixture_context(request, isolation_level=level) as context:
            models, setup = await _standard_models(context)
            stats = {
                "cache_hits": setup.cache_hits,
                "cache_misses": setup.cache_misses,
                "ddl_operations": setup.ddl_operations,
                "from_cache": setup.from_cache,
                "models": sorted(models),
            }
            yield models["User"], models["Product"], models["Order"], stats

    return _fixture(fixture, name, "cached_schema_models")


async def _standard_models(context: TDDTestContext) -> tuple[dict[str, ModelAPI], SchemaSetup]:
    """The standard models bound to ``context``; DDL only for tables the cache lacks."""
    dataflow = _dataflow_for(context, {})
    url = get_database_manager().connection_string or ""
    setup = bind_standard_models(dataflow, url)
    if setup.cache_misses:
        await dataflow.create_tables()
        setup.ddl_operations += dataflow.ddl_operations
    return dataflow.models, setup


def seeded_data_fixture(
    *,
    data: Mapping[str, Sequence[Mapping[str, Any]]] = SEED_DATA,
    isolation_level: str = "READ COMMITTED",
    name: str | None = None,
) -> FixtureFunction:
    """A fixture yielding ``(context, data, models)`` with ``data`` inserted in the test.

    ``data`` has ``users``, ``products`` and ``orders`` lists; an order's ``user_id`` and
    ``product_id`` are 1-based positions in those lists, mapped to the inserted ids.
    """
    level = normalize_isolation_level(isolation_level)

    async def fixture(
        request: pytest.FixtureRequest,
        pgtdd_tdd_infrastructure: TDDDatabaseManager,
        pgtdd_model_schema: SchemaSetup,
    ) -> AsyncIterator[tuple[TDDTestContext, dict[str, Any], dict[str, ModelAPI]]]:
        async with fixture_context(request, isolation_level=level) as context:
            models, _ = await _standard_models(context)
            rows = await seed(models, data)
            yield context, rows, models

    return _fixture(fixture, name, "tdd_seeded_data")


def parallel_execution_fixture(
    *, isolation_level: str = "SERIALIZABLE", name: str | None = None
) -> FixtureFunction:
    """A fixture yielding ``(context, "iso_<12 hex>", ResourceManager)``; SERIALIZABLE."""
    level = normalize_isolation_level(isolation_level)

    async def fixture(
        request: pytest.FixtureRequest, pgtdd_tdd_infrastructure: TDDDatabaseManager
    ) -> AsyncIterator[tuple[TDDTestContext, str, ResourceManager]]:
        isolation_id = f"iso_{secrets.token_hex(6)}"
        async with fixture_context(
            request, isolation_level=level, metadata={"isolation_id": isolation_id}
        ) as context:
            resources = ResourceManager(isolation_id, context.connection)
            try:
                yield context, isolation_id, resources
            finally:
                resources.release_all()

    return _fixture(fixture, name, "parallel_test_execution")


def parallel_safe_fixture(
    *, isolation_level: str = "READ COMMITTED", name: str | None = None
) -> FixtureFunction:
    """A fixture yielding ``(context, "parallel_<12 hex>")``."""
    level = normalize_isolation_level(isolation_level)

    async def fixture(
        request: pytest.FixtureRequest, pgtdd_tdd_infrastructure: TDDDatabaseManager
    ) -> AsyncIterator[tuple[TDDTestContext, str]]:
        unique_id = f"parallel_{secrets.token_hex(6)}"
        async with fixture_context(
            request, isolation_level=level, metadata={"unique_id": unique_id}
        ) as context:
            yield context, unique_id

    return _fixture(fixture, name, "tdd_parallel_safe")


# --------------------------------------------------------------------------- enhanced context


@dataclass
class EnhancedMetrics(ContextMetrics):
    """Context metrics plus what the enhanced fixture measured around it.

    ``setup_time_ms`` covers the whole fixture setup (context, schema check, memory
    snapshot); ``context_setup_ms`` the connection and transaction alone.
    """

    context_setup_ms: float = 0.0
    schema_cache_hits: int = 0
    ddl_operations: int = 0
    rss_mb_at_setup: float | None = None
    rss_mb_delta: float | None = None


class EnhancedTDDTestContext(TDDTestContext):
    """A context whose optimisation flags say what is true for it (all measured).

    ``preheated_pool``: the pool was preheated and this connection was open before the test
    asked. ``cached_schema``: the standard models' tables came from the schema cache with no
    DDL. ``parallel_safe``: own connection, commit guard armed. ``memory_optimized``: memory
    is tracked (RSS snapshot) and garbage is collected at teardown. ``models`` are the standard
    models bound to this context.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metrics: EnhancedMetrics = EnhancedMetrics()
        self.preheated_pool = False
        self.cached_schema = False
        self.parallel_safe = False
        self.memory_optimized = False
        self.models: dict[str, ModelAPI] = {}


def _own_connection(context: TDDTestContext) -> bool:
    manager = get_database_manager()
    holders = [c for c in manager.active_connections.values() if c is context.connection]
    return len(holders) == 1 and context.parent is None


def enhanced_context_fixture(
    *, isolation_level: str = "READ COMMITTED", name: str | None = None
) -> FixtureFunction:
    """A fixture yielding an :class:`EnhancedTDDTestContext` with measured flags and metrics."""
    level = normalize_isolation_level(isolation_level)

    async def fixture(
        request: pytest.FixtureRequest,
        pgtdd_tdd_infrastructure: TDDDatabaseManager,
        pgtdd_model_schema: SchemaSetup,
    ) -> AsyncIterator[EnhancedTDDTestContext]:
        started = time.perf_counter()
        optimizer = get_memory_optimizer()
        async with fixture_context(
            request, isolation_level=level, context_class=EnhancedTDDTestContext
        ) as plain:
            context = cast(EnhancedTDDTestContext, plain)
            metrics = context.metrics
            label = f"pgtdd:{context.test_id}"
            baseline = optimizer.take_memory_snapshot(label)
            models, setup = await _standard_models(context)
            context.models = models
            context.preheated_pool = pool_statistics(context)["preheated"]
            context.cached_schema = setup.from_cache
            context.parallel_safe = context.commit_guarded and _own_connection(context)
            context.memory_optimized = True
            metrics.context_setup_ms = metrics.setup_time_ms
            metrics.schema_cache_hits = setup.cache_hits
            metrics.ddl_operations = setup.ddl_operations
            metrics.rss_mb_at_setup = baseline.rss_mb
            metrics.setup_time_ms = (time.perf_counter() - started) * 1000
            try:
                yield context
            finally:
                optimizer.optimize_memory(generation=0)
                metrics.rss_mb_delta = optimizer.get_memory_delta(label)
                optimizer.discard_snapshot(label)

    return _fixture(fixture, name, "enhanced_tdd_context")


# --------------------------------------------------------------------------- default fixtures

tdd_test_context = tdd_context_fixture()
fast_test_db = fast_db_fixture()
tdd_dataflow = dataflow_fixture()
enhanced_tdd_context = enhanced_context_fixture()
preheated_dataflow = preheated_dataflow_fixture()
cached_schema_models = cached_models_fixture()
parallel_test_execution = parallel_execution_fixture()
tdd_parallel_safe = parallel_safe_fixture()
tdd_seeded_data = seeded_data_fixture()
