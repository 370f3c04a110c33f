"""What the catalogue did with a project's SQL: per mutation, the mutants it made and the sites
it skipped, with why; and the SQL no mutation could look at (a file the parser refuses, dynamic
SQL in a PL/pgSQL body...)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class OperatorCoverage:
    """One mutation's work: ``applied`` mutants made, ``skipped`` sites by reason."""

    applied: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"applied": self.applied, "skipped": dict(self.skipped)}


@dataclass
class CatalogueCoverage:
    """Every mutation's :class:`OperatorCoverage` (catalogue order), and what none could read:
    ``unread`` statements by reason, ``unparsed`` files with the parser's error."""

    operators: dict[str, OperatorCoverage] = field(default_factory=dict)
    unread: Counter[str] = field(default_factory=Counter)
    unparsed: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, ids: Iterable[str]) -> CatalogueCoverage:
        """An empty record for these mutation ids."""
        return cls({i: OperatorCoverage() for i in ids})

    def skip(self, mutation_id: str, reason: str, count: int = 1) -> None:
        """Count ``count`` sites of ``mutation_id`` skipped for ``reason``."""
        if count:
            self.operators.setdefault(mutation_id, OperatorCoverage()).skipped[reason] += count

    def apply(self, mutation_id: str, count: int = 1) -> None:
        """Count mutants made by ``mutation_id``."""
        self.operators.setdefault(mutation_id, OperatorCoverage()).applied += count

    def lines(self) -> list[str]:
        """One line per mutation (applied, skipped and why), then what no mutation read."""
        out = []
        for mutation_id, row in self.operators.items():
            skipped = sum(row.skipped.values())
            why = "; ".join(f"{n} {reason}" for reason, n in row.skipped.most_common())
            out.append(
                f"  {mutation_id}: {row.applied} applied, {skipped} skipped"
                + (f" ({why})" if why else "")
            )
        out += [f"  not read: {n} {reason}" for reason, n in self.unread.most_common()]
        out += [f"  not parsed: {entry}" for entry in self.unparsed]
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "operators": {i: row.to_dict() for i, row in self.operators.items()},
            "unread": dict(self.unread),
            "unparsed": list(self.unparsed),
        }
