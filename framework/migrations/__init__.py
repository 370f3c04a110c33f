"""Migration testing toolkit (spec 004): mutations, performance, runner, snapshots, data checks.

Modules: ``mutation``, ``performance``, ``migration_runner``, ``schema_snapshotter``,
``data_validator``; the main classes are re-exported here. Fixtures live in
``framework.migrations.fixtures`` (registered by the pgtdd plugin).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# The main classes are imported on first use (PEP 562): `import framework.migrations.fixtures`,
# which the pgtdd plugin does in every session, then costs nothing of pglast's import.
_EXPORTS: dict[str, str] = {
    "CheckResult": "framework.migrations.data_validator",
    "DataSnapshot": "framework.migrations.data_validator",
    "DataValidator": "framework.migrations.data_validator",
    "Migration": "framework.migrations.migration_runner",
    "MigrationError": "framework.migrations.migration_runner",
    "MigrationPerformanceProfiler": "framework.migrations.performance",
    "MigrationRunner": "framework.migrations.migration_runner",
    "MigrationStatus": "framework.migrations.migration_runner",
    "Mutation": "framework.migrations.mutation",
    "MutationRegistry": "framework.migrations.mutation",
    "MutationReport": "framework.migrations.mutation",
    "MutationResult": "framework.migrations.mutation",
    "MutationRunner": "framework.migrations.mutation",
    "PerformanceBaseline": "framework.migrations.performance",
    "PerformanceProfile": "framework.migrations.performance",
    "PytestCheck": "framework.migrations.mutation",
    "SchemaDiff": "framework.migrations.schema_snapshotter",
    "SchemaSnapshot": "framework.migrations.schema_snapshotter",
    "SchemaSnapshotter": "framework.migrations.schema_snapshotter",
}

if TYPE_CHECKING:
    from framework.migrations.data_validator import CheckResult, DataSnapshot, DataValidator
    from framework.migrations.migration_runner import (
        Migration,
        MigrationError,
        MigrationRunner,
        MigrationStatus,
    )
    from framework.migrations.mutation import (
        Mutation,
        MutationRegistry,
        MutationReport,
        MutationResult,
        MutationRunner,
        PytestCheck,
    )
    from framework.migrations.performance import (
        MigrationPerformanceProfiler,
        PerformanceBaseline,
        PerformanceProfile,
    )
    from framework.migrations.schema_snapshotter import (
        SchemaDiff,
        SchemaSnapshot,
        SchemaSnapshotter,
    )


__all__ = [
    "CheckResult",
    "DataSnapshot",
    "DataValidator",
    "Migration",
    "MigrationError",
    "MigrationPerformanceProfiler",
    "MigrationRunner",
    "MigrationStatus",
    "Mutation",
    "MutationRegistry",
    "MutationReport",
    "MutationResult",
    "MutationRunner",
    "PerformanceBaseline",
    "PerformanceProfile",
    "PytestCheck",
    "SchemaDiff",
    "SchemaSnapshot",
    "SchemaSnapshotter",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
