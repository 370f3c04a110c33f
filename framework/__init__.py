"""pgtdd: real, isolated and fast PostgreSQL integration tests for pytest.

The pytest plugin loads by itself (entry point ``pytest11``); nothing needs importing for the
fixtures. What a user imports is here, loaded on first use so that ``import pgtdd`` stays cheap:

* the fixture factories, to declare more fixtures in a ``conftest.py``
  (``tdd_context_fixture``, ``psycopg_fixture``, ``sqlalchemy_fixture``,
  ``fresh_database_fixture``, ``migrated_database_fixture``...);
* :class:`ServerInfo`, what ``pgtdd_server`` yields;
* the error classes, to catch or to match in tests.

The spec's module names map to :mod:`pgtdd.tdd_support` and :mod:`pgtdd.migrations`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_LAZY: dict[str, str] = {
    # what pgtdd_server yields
    "ServerInfo": "pgtdd.serverinfo",
    # the server outside pytest
    "server": "pgtdd.standalone",
    # fixture factories
    "tdd_context_fixture": "pgtdd.fixtures.tdd",
    "fast_db_fixture": "pgtdd.fixtures.tdd",
    "dataflow_fixture": "pgtdd.fixtures.tdd",
    "preheated_dataflow_fixture": "pgtdd.fixtures.tdd",
    "cached_models_fixture": "pgtdd.fixtures.tdd",
    "seeded_data_fixture": "pgtdd.fixtures.tdd",
    "parallel_execution_fixture": "pgtdd.fixtures.tdd",
    "parallel_safe_fixture": "pgtdd.fixtures.tdd",
    "enhanced_context_fixture": "pgtdd.fixtures.tdd",
    "fresh_database_fixture": "pgtdd.fixtures.fresh_database",
    "psycopg_fixture": "pgtdd.fixtures.clients",
    "psycopg_pool_fixture": "pgtdd.fixtures.clients",
    "sqlalchemy_binding_fixture": "pgtdd.fixtures.clients",
    "sqlalchemy_fixture": "pgtdd.fixtures.clients",
    "sqlalchemy_async_binding_fixture": "pgtdd.fixtures.clients",
    "sqlalchemy_async_fixture": "pgtdd.fixtures.clients",
    "database_connection_fixture": "pgtdd.migrations.fixtures",
    "migrated_database_fixture": "pgtdd.migrations.fixtures",
    "declared_schema_fixture": "pgtdd.migrations.fixtures",
    # errors
    "ProfileError": "pgtdd.config.profile",
    "ServerURLError": "pgtdd.serverinfo",
    "UnsafeDatabaseError": "pgtdd.databases.guard",
    "JanitorError": "pgtdd.databases.janitor",
    "SchemaError": "pgtdd.databases.session_db",
    "ConnectionBudgetError": "pgtdd.session",
    "ServerLostError": "pgtdd.loss",
    "DockerUnavailableError": "pgtdd.providers.engine",
    "ImageUnavailableError": "pgtdd.providers.container",
    "ImageBuildError": "pgtdd.providers.image",
    "BinariesNotFoundError": "pgtdd.providers.native",
    "ServerStartError": "pgtdd.providers.readiness",
    "SettingsNotAppliedError": "pgtdd.providers.readiness",
    "TDDError": "pgtdd.isolation.context",
    "TDDInfrastructureError": "pgtdd.isolation.context",
    "SavepointError": "pgtdd.isolation.context",
    "ConnectionPoolExhaustedError": "pgtdd.isolation.context",
    "TDDIsolationError": "pgtdd.isolation.context",
    "TDDIsolationWarning": "pgtdd.isolation.context",
    "PoolError": "pgtdd.isolation.pool",
    "MigrationError": "pgtdd.migrations.runner",
    "SqlParseError": "pgtdd.migrations.sql_ast",
    "BaselineError": "pgtdd.performance.regression",
}

__all__ = [
    "BaselineError",
    "BinariesNotFoundError",
    "ConnectionBudgetError",
    "ConnectionPoolExhaustedError",
    "DockerUnavailableError",
    "ImageBuildError",
    "ImageUnavailableError",
    "JanitorError",
    "MigrationError",
    "PoolError",
    "ProfileError",
    "SavepointError",
    "SchemaError",
    "ServerInfo",
    "ServerStartError",
    "ServerURLError",
    "SettingsNotAppliedError",
    "SqlParseError",
    "TDDError",
    "TDDInfrastructureError",
    "TDDIsolationError",
    "TDDIsolationWarning",
    "UnsafeDatabaseError",
    "__version__",
    "cached_models_fixture",
    "database_connection_fixture",
    "dataflow_fixture",
    "declared_schema_fixture",
    "enhanced_context_fixture",
    "fast_db_fixture",
    "fresh_database_fixture",
    "migrated_database_fixture",
    "parallel_execution_fixture",
    "parallel_safe_fixture",
    "preheated_dataflow_fixture",
    "psycopg_fixture",
    "psycopg_pool_fixture",
    "seeded_data_fixture",
    "server",
    "sqlalchemy_async_binding_fixture",
    "sqlalchemy_async_fixture",
    "sqlalchemy_binding_fixture",
    "sqlalchemy_fixture",
    "tdd_context_fixture",
]

if TYPE_CHECKING:
    from pgtdd.config.profile import ProfileError
    from pgtdd.databases.guard import UnsafeDatabaseError
    from pgtdd.databases.janitor import JanitorError
    from pgtdd.databases.session_db import SchemaError
    from pgtdd.fixtures.clients import (
        psycopg_fixture,
        psycopg_pool_fixture,
        sqlalchemy_async_binding_fixture,
        sqlalchemy_async_fixture,
        sqlalchemy_binding_fixture,
        sqlalchemy_fixture,
    )
    from pgtdd.fixtures.fresh_database import fresh_database_fixture
    from pgtdd.fixtures.tdd import (
        cached_models_fixture,
        dataflow_fixture,
        enhanced_context_fixture,
        fast_db_fixture,
        parallel_execution_fixture,
        parallel_safe_fixture,
        preheated_dataflow_fixture,
        seeded_data_fixture,
        tdd_context_fixture,
    )
    from pgtdd.isolation.context import (
        ConnectionPoolExhaustedError,
        SavepointError,
        TDDError,
        TDDInfrastructureError,
        TDDIsolationError,
        TDDIsolationWarning,
    )
    from pgtdd.isolation.pool import PoolError
    from pgtdd.migrations.fixtures import (
        database_connection_fixture,
        declared_schema_fixture,
        migrated_database_fixture,
    )
    from pgtdd.migrations.runner import MigrationError
    from pgtdd.migrations.sql_ast import SqlParseError
    from pgtdd.performance.regression import BaselineError
    from pgtdd.providers.container import ImageUnavailableError
    from pgtdd.providers.engine import DockerUnavailableError
    from pgtdd.providers.image import ImageBuildError
    from pgtdd.providers.native import BinariesNotFoundError
    from pgtdd.providers.readiness import ServerStartError, SettingsNotAppliedError
    from pgtdd.serverinfo import ServerInfo, ServerURLError
    from pgtdd.session import ConnectionBudgetError
    from pgtdd.standalone import server


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return _version()
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pgtdd' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pgtdd")
    except PackageNotFoundError:  # a source tree that is not installed
        return "0+unknown"


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
