"""Results of a mutation run: per-mutant outcomes, kill rate and breakdowns (spec 004)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pgtdd.migrations.mutation.catalogue import CATEGORIES, SEVERITIES, Mutation
from pgtdd.migrations.mutation.coverage import CatalogueCoverage

KILLED, SURVIVED, ERROR, STILLBORN = "killed", "survived", "error", "stillborn"
STATUSES = (KILLED, SURVIVED, ERROR, STILLBORN)


@dataclass
class MutationResult:
    """What happened to one mutant.

    ``status``: ``killed`` (the checks failed on it), ``survived`` (they passed), ``error`` (the
    run did not finish: timeout, infrastructure, a check that crashed) or ``stillborn`` (the
    migrations no longer apply with it: it never reached the checks, so it is left out of the
    kill rate). A change whose printed SQL would not parse back never becomes a mutant: it is
    counted in the report's ``coverage`` as a skipped site.
    """

    mutation: Mutation
    file: str
    direction: str
    site: str
    status: str
    detail: str = ""
    duration_seconds: float = 0.0
    number: int = 0
    also_generated_by: list[str] = field(default_factory=list)
    diff: str = ""

    @property
    def mutation_id(self) -> str:
        """The mutation's id (``SCH_001``...)."""
        return self.mutation.id

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "number": self.number,
            "mutation_id": self.mutation.id,
            "category": self.mutation.category,
            "severity": self.mutation.severity,
            "description": self.mutation.description,
            "file": self.file,
            "direction": self.direction,
            "site": self.site,
            "status": self.status,
            "detail": self.detail,
            "duration_seconds": round(self.duration_seconds, 6),
            "also_generated_by": self.also_generated_by,
            "diff": self.diff,
        }


def _rate(killed: int, judged: int) -> float:
    return round(100.0 * killed / judged, 2) if judged else 0.0


def _judged(row: dict[str, Any]) -> int:
    return int(row["killed"] + row["survived"] + row["error"])


def _counts(results: list[MutationResult]) -> dict[str, Any]:
    counts: dict[str, Any] = {s: sum(r.status == s for r in results) for s in STATUSES}
    judged = counts[KILLED] + counts[SURVIVED] + counts[ERROR]
    counts["total"] = len(results)
    counts["kill_rate"] = _rate(counts[KILLED], judged)
    return counts


@dataclass
class MutationReport:
    """All results of a run. The kill rate is over distinct mutants that reached the checks:
    killed / (killed + survived + error); stillborn mutants are reported apart."""

    results: list[MutationResult] = field(default_factory=list)
    timestamp: datetime = field(default_factory=lambda: datetime.now(UTC))
    duration_seconds: float = 0.0
    baseline_seconds: float = 0.0
    project: str = ""
    mutations_in_catalogue: int = 0
    coverage: CatalogueCoverage = field(default_factory=CatalogueCoverage)

    @property
    def total_mutations(self) -> int:
        """Distinct mutants in the run (stillborn included)."""
        return len(self.results)

    @property
    def killed_mutations(self) -> int:
        """Mutants the checks detected."""
        return self._count(KILLED)

    @property
    def survived_mutations(self) -> int:
        """Mutants the checks did not notice."""
        return self._count(SURVIVED)

    @property
    def error_mutations(self) -> int:
        """Mutants whose run failed or timed out."""
        return self._count(ERROR)

    @property
    def stillborn_mutations(self) -> int:
        """Mutants that are not valid SQL for the migration chain."""
        return self._count(STILLBORN)

    @property
    def kill_rate(self) -> float:
        """Percent of judged mutants killed (0-100; 0 when none was judged)."""
        return self.calculate_kill_rate()

    def _count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    def calculate_kill_rate(self) -> float:
        """killed / (killed + survived + error) x 100."""
        judged = self.killed_mutations + self.survived_mutations + self.error_mutations
        return _rate(self.killed_mutations, judged)

    def by_category(self) -> dict[str, dict[str, Any]]:
        """Counts and kill rate per category."""
        return {
            c: _counts([r for r in self.results if r.mutation.category == c]) for c in CATEGORIES
        }

    def by_severity(self) -> dict[str, dict[str, Any]]:
        """Counts and kill rate per severity."""
        return {
            s: _counts([r for r in self.results if r.mutation.severity == s]) for s in SEVERITIES
        }

    def get_statistics(self) -> dict[str, Any]:
        """Totals, kill rate, timings and the two breakdowns."""
        durations = [r.duration_seconds for r in self.results]
        return {
            **_counts(self.results),
            "duration_seconds": round(self.duration_seconds, 3),
            "baseline_seconds": round(self.baseline_seconds, 3),
            "mean_seconds_per_mutant": round(sum(durations) / len(durations), 4)
            if durations
            else 0,
            "by_category": self.by_category(),
            "by_severity": self.by_severity(),
        }

    def get_survived_results(self) -> list[MutationResult]:
        """Results of the surviving mutants (with their sites and diffs)."""
        return [r for r in self.results if r.status == SURVIVED]

    def get_survived_mutations(self) -> list[Mutation]:
        """The mutations with at least one surviving mutant, in catalogue order, once each."""
        seen: dict[str, Mutation] = {}
        for result in self.get_survived_results():
            seen.setdefault(result.mutation.id, result.mutation)
        return list(seen.values())

    def get_stillborn_results(self) -> list[MutationResult]:
        """Mutants that never reached the checks."""
        return [r for r in self.results if r.status == STILLBORN]

    def get_error_results(self) -> list[MutationResult]:
        """Mutants whose run failed or timed out."""
        return [r for r in self.results if r.status == ERROR]

    def get_summary(self) -> str:
        """Human-readable summary: kill rate, breakdowns, survivors, stillborn, errors."""
        lines = [
            f"Mutation testing of {self.project or 'migrations'}: "
            f"{self.total_mutations} distinct mutants in {self.duration_seconds:.2f}s",
            f"Kill rate: {self.kill_rate:.1f}% ({self.killed_mutations} killed, "
            f"{self.survived_mutations} survived, {self.error_mutations} error; "
            f"{self.stillborn_mutations} stillborn not counted)",
        ]
        for title, table in (("category", self.by_category()), ("severity", self.by_severity())):
            parts = [
                f"{name} {row['kill_rate']:.0f}% ({row['killed']}/{_judged(row)})"
                for name, row in table.items()
                if row["total"]
            ]
            lines.append(f"By {title}: " + ", ".join(parts))
        if self.coverage.operators:
            lines.append(
                "Catalogue on this project (per mutation: mutants applied, sites skipped):"
            )
            lines += self.coverage.lines()
        for title, rows in (
            ("Survived", self.get_survived_results()),
            ("Errors", self.get_error_results()),
            ("Stillborn", self.get_stillborn_results()),
        ):
            if rows:
                lines.append(f"{title}:")
                lines += [
                    f"  {r.mutation.id} {r.mutation.description} -- {r.file}: {r.site}"
                    + (f" ({r.detail})" if r.detail and r.status != SURVIVED else "")
                    for r in rows
                ]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "project": self.project,
            "timestamp": self.timestamp.isoformat(),
            "statistics": self.get_statistics(),
            "coverage": self.coverage.to_dict(),
            "results": [r.to_dict() for r in self.results],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON."""
        return json.dumps(self.to_dict(), indent=indent)
