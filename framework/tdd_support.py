"""The spec's ``dataflow.testing.tdd_support``: every name it imports from there, in one place.

Per test, one real transaction and savepoint, rolled back at the end (see
:mod:`pgtdd.isolation.runner`). The helpers the guides call next to these names
(``get_pool_manager``, ``create_optimized_pool``, ``OPTIMIZED_POOL_CONFIG``,
``get_schema_cache``, ``SchemaCache``, ``ParallelTestManager``, ``get_memory_optimizer``,
``DataFlow``, ``TDD_CONFIG``) are here too, loaded on first use.
The fixtures need no import: the pgtdd plugin registers them (``pytest_plugins =
["pgtdd.tdd_support"]`` in a conftest, as the guides write it, is harmless).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from pgtdd.isolation.runner import (
    DEFAULT_DATABASE_URL,
    ISOLATION_LEVELS,
    ConnectionPoolExhaustedError,
    ContextMetrics,
    SavepointError,
    TDDDatabaseManager,
    TDDError,
    TDDInfrastructureError,
    TDDIsolationError,
    TDDIsolationWarning,
    TDDTestContext,
    TDDTransactionManager,
    TransactionOutcome,
    configured_pool_size,
    configured_timeout,
    connection_gone,
    current_tdd_context,
    explain_statement_timeout,
    get_database_manager,
    get_transaction_manager,
    is_tdd_mode,
    normalize_isolation_level,
    resolve_database_url,
    run_test_context,
    set_session_database_url,
    setup_tdd_infrastructure,
    tdd_test_context,
    teardown_tdd_infrastructure,
    validate_savepoint_name,
)

# Helpers of other layers, imported when first asked for (PEP 562).
_LAZY: dict[str, str] = {
    "get_pool_manager": "pgtdd.isolation.pool",
    "OPTIMIZED_POOL_CONFIG": "pgtdd.isolation.pool",
    "ParallelTestManager": "pgtdd.isolation.resources",
    "create_optimized_pool": "pgtdd.isolation.pool",
    "PoolError": "pgtdd.isolation.pool",
    "get_schema_cache": "pgtdd.models.schema_cache",
    "SchemaCache": "pgtdd.models.schema_cache",
    "get_memory_optimizer": "pgtdd.performance.memory",
    "DataFlow": "pgtdd.models.dataflow",
    "TDD_CONFIG": "pgtdd.models.dataflow",
}

if TYPE_CHECKING:
    from pgtdd.isolation.pool import (
        OPTIMIZED_POOL_CONFIG,
        PoolError,
        create_optimized_pool,
        get_pool_manager,
    )
    from pgtdd.isolation.resources import ParallelTestManager
    from pgtdd.models.dataflow import TDD_CONFIG, DataFlow
    from pgtdd.models.schema_cache import SchemaCache, get_schema_cache
    from pgtdd.performance.memory import get_memory_optimizer

__all__ = [
    "DEFAULT_DATABASE_URL",
    "ISOLATION_LEVELS",
    "OPTIMIZED_POOL_CONFIG",
    "TDD_CONFIG",
    "ConnectionPoolExhaustedError",
    "ContextMetrics",
    "DataFlow",
    "ParallelTestManager",
    "PoolError",
    "SavepointError",
    "SchemaCache",
    "TDDDatabaseManager",
    "TDDError",
    "TDDInfrastructureError",
    "TDDIsolationError",
    "TDDIsolationWarning",
    "TDDTestContext",
    "TDDTransactionManager",
    "TransactionOutcome",
    "configured_pool_size",
    "configured_timeout",
    "connection_gone",
    "create_optimized_pool",
    "current_tdd_context",
    "explain_statement_timeout",
    "get_database_manager",
    "get_memory_optimizer",
    "get_pool_manager",
    "get_schema_cache",
    "get_transaction_manager",
    "is_tdd_mode",
    "normalize_isolation_level",
    "resolve_database_url",
    "run_test_context",
    "set_session_database_url",
    "setup_tdd_infrastructure",
    "tdd_test_context",
    "teardown_tdd_infrastructure",
    "validate_savepoint_name",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
