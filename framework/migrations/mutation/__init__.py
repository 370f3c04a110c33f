"""Mutation testing of migrations (spec 004 ``frameworks.mutation``).

The catalogue (:class:`MutationRegistry`, :class:`Mutation`), the runner
(:class:`MutationRunner`) and its report (:class:`MutationReport`, :class:`MutationResult`).
"""

from __future__ import annotations

from pgtdd.migrations.mutation.catalogue import CATEGORIES, SEVERITIES, Mutation, MutationRegistry
from pgtdd.migrations.mutation.checks import CheckOutcome, MutantContext, PytestCheck
from pgtdd.migrations.mutation.mutants import Mutant, generate_mutants
from pgtdd.migrations.mutation.report import MutationReport, MutationResult
from pgtdd.migrations.mutation.runner import (
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
