"""Migration testing toolkit (spec 004): mutations, performance, runner, snapshots, data checks.

Modules: ``mutation``, ``performance``, ``migration_runner``, ``schema_snapshotter``,
``data_validator``; the main classes are re-exported here. Fixtures live in
``framework.migrations.fixtures`` (registered by the pgtdd plugin).
"""

from __future__ import annotations

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
from framework.migrations.schema_snapshotter import SchemaDiff, SchemaSnapshot, SchemaSnapshotter

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
