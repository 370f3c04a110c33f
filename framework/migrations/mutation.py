"""Mutation testing of migrations (spec 004 ``frameworks.mutation``).

The catalogue (:class:`MutationRegistry`, :class:`Mutation`), the runner
(:class:`MutationRunner`) and its report (:class:`MutationReport`, :class:`MutationResult`).
"""

from __future__ import annotations

from framework.migrations.catalogue import CATEGORIES, SEVERITIES, Mutation, MutationRegistry
from framework.migrations.checks import CheckOutcome, MutantContext, PytestCheck
from framework.migrations.mutants import Mutant, generate_mutants
from framework.migrations.mutation_report import MutationReport, MutationResult
from framework.migrations.mutation_runner import (
    MutationRunner,
    MutationSetupError,
    MutationTestResult,
)

__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "CheckOutcome",
    "Mutant",
    "MutantContext",
    "Mutation",
    "MutationRegistry",
    "MutationReport",
    "MutationResult",
    "MutationRunner",
    "MutationSetupError",
    "MutationTestResult",
    "PytestCheck",
    "generate_mutants",
]
