"""Migration testing toolkit (spec 004): mutations, performance, runner, snapshots, data checks.

Modules: ``mutation``, ``performance``, ``runner``, ``snapshot``, ``data_validator``, ``verify``
(every migration's down checked against its up); the main classes are re-exported here.
Fixtures live in ``pgtdd.migrations.fixtures`` (registered by the pgtdd plugin).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# The main classes are imported on first use (PEP 562): `import pgtdd.migrations.fixtures`,
# which the pgtdd plugin does in every session, then costs nothing of pglast's import.
_EXPORTS: dict[str, str] = {
    "CheckResult": "pgtdd.migrations.data_validator",
    "DataSnapshot": "pgtdd.migrations.data_validator",
    "DataValidator": "pgtdd.migrations.data_validator",
    "Migration": "pgtdd.migrations.runner",
    "MigrationError": "pgtdd.migrations.runner",
    "MigrationPerformanceProfiler": "pgtdd.migrations.performance",
    "MigrationRunner": "pgtdd.migrations.runner",
    "MigrationStatus": "pgtdd.migrations.runner",
    "Mutation": "pgtdd.migrations.mutation",
    "MutationRegistry": "pgtdd.migrations.mutation",
    "MutationReport": "pgtdd.migrations.mutation",
    "MutationResult": "pgtdd.migrations.mutation",
    "MutationRunner": "pgtdd.migrations.mutation",
    "PerformanceBaseline": "pgtdd.migrations.performance",
    "PerformanceProfile": "pgtdd.migrations.performance",
    "PytestCheck": "pgtdd.migrations.mutation",
    "SchemaDiff": "pgtdd.migrations.snapshot",
    "SchemaSnapshot": "pgtdd.migrations.snapshot",
    "SchemaSnapshotter": "pgtdd.migrations.snapshot",
    "MigrationVerifier": "pgtdd.migrations.verify",
    "verify_migrations": "pgtdd.migrations.verify",
    "VerifyReport": "pgtdd.migrations.verify_report",
    "VerifyRules": "pgtdd.migrations.verify_rules",
}

if TYPE_CHECKING:
    from pgtdd.migrations.data_validator import CheckResult, DataSnapshot, DataValidator
    from pgtdd.migrations.mutation import (
        Mutation,
        MutationRegistry,
        MutationReport,
        MutationResult,
        MutationRunner,
        PytestCheck,
    )
    from pgtdd.migrations.performance import (
        MigrationPerformanceProfiler,
        PerformanceBaseline,
        PerformanceProfile,
    )
    from pgtdd.migrations.runner import (
        Migration,
        MigrationError,
        MigrationRunner,
        MigrationStatus,
    )
    from pgtdd.migrations.snapshot import (
        SchemaDiff,
        SchemaSnapshot,
        SchemaSnapshotter,
    )
    from pgtdd.migrations.verify import MigrationVerifier, verify_migrations
    from pgtdd.migrations.verify_report import VerifyReport
    from pgtdd.migrations.verify_rules import VerifyRules


__all__ = [
    "CheckResult",
    "DataSnapshot",
    "DataValidator",
    "Migration",
    "MigrationError",
    "MigrationPerformanceProfiler",
    "MigrationRunner",
    "MigrationStatus",
    "MigrationVerifier",
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
    "VerifyReport",
    "VerifyRules",
    "verify_migrations",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
