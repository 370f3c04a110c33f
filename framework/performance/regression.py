"""Regression detection against a JSON baseline of **medians over several runs**.

One sample is a poor baseline: a single lucky (or unlucky) run makes every later run look
slow (or fast). So a baseline entry is established only once ``min_runs`` samples of the
metric exist, and holds their median. Unlike the spec's sketch, a faster run does not
silently replace the baseline (that ratchets it down on noise); re-establish it on purpose
with :meth:`RegressionDetector.establish_baseline`.

File format (``pgtdd-baseline/1``)::

    {"format": "pgtdd-baseline/1",
     "metrics": {"fixture_setup": {"median": 1.9, "runs": 3, "samples": [1.8, 1.9, 2.4]}},
     "pending": {"schema_operation": [0.7]}}
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASELINE_FORMAT = "pgtdd-baseline/1"
DEFAULT_THRESHOLD = 1.2  # 20 % slower than the baseline median is a regression
DEFAULT_MIN_RUNS = 3

Sample = float | Sequence[float]


class BaselineError(ValueError):
    """A baseline file is unreadable, of another format, or built from too few runs."""


@dataclass(frozen=True)
class BaselineEntry:
    """The baseline of one metric: the median of ``runs`` samples."""

    median: float
    runs: int
    samples: tuple[float, ...]

    def to_json(self) -> dict[str, Any]:
        """The entry as stored in a baseline file."""
        return {"median": self.median, "runs": self.runs, "samples": list(self.samples)}


def _median(value: Sample) -> float:
    if isinstance(value, int | float):
        return float(value)
    values = [float(v) for v in value]
    if not values:
        raise ValueError("no samples given: pass a number or a non-empty sequence")
    return float(statistics.median(values))


def load_baseline(path: Path) -> tuple[dict[str, BaselineEntry], dict[str, list[float]]]:
    """Read a baseline file: (established entries, pending samples). Missing file: empty."""
    if not path.exists():
        return {}, {}
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise BaselineError(
            f"{path}: not a readable JSON baseline ({exc}); delete it or rebuild it with "
            "`pgtdd perf-baseline`"
        ) from None
    found = data.get("format") if isinstance(data, dict) else None
    if found != BASELINE_FORMAT:
        raise BaselineError(
            f"{path}: not a {BASELINE_FORMAT} file (format {found!r}); build one from several "
            "`--pgtdd-perf-json` runs with `pgtdd perf-baseline OUT RUN1 RUN2 RUN3`"
        )
    entries = {
        name: BaselineEntry(float(e["median"]), int(e["runs"]), tuple(map(float, e["samples"])))
        for name, e in data.get("metrics", {}).items()
    }
    pending = {name: [float(v) for v in vs] for name, vs in data.get("pending", {}).items()}
    return entries, pending


def save_baseline(
    path: Path, entries: Mapping[str, BaselineEntry], pending: Mapping[str, Sequence[float]]
) -> None:
    """Write a baseline file (atomically: a temporary file renamed over the old one)."""
    data = {
        "format": BASELINE_FORMAT,
        "metrics": {name: entry.to_json() for name, entry in sorted(entries.items())},
        "pending": {name: list(vs) for name, vs in sorted(pending.items()) if vs},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    tmp.replace(path)


class RegressionDetector:
    """Compare current measurements with baseline medians; 20 % slower is a regression.

    ``min_delta`` ignores differences smaller than this absolute amount (in the metric's
    unit), so sub-millisecond jitter on tiny values is not reported as a 20 % regression.
    """

    def __init__(
        self,
        baseline_file: str | Path = "tdd_performance_baseline.json",
        regression_threshold: float = DEFAULT_THRESHOLD,
        min_runs: int = DEFAULT_MIN_RUNS,
        min_delta: float = 0.0,
    ) -> None:
        if regression_threshold <= 1.0:
            raise ValueError(f"regression_threshold {regression_threshold} must be above 1.0")
        if min_runs < 1:
            raise ValueError(f"min_runs {min_runs} must be at least 1")
        self.baseline_file = Path(baseline_file)
        self.regression_threshold = regression_threshold
        self.min_runs = min_runs
        self.min_delta = min_delta
        self.baseline_data, self.pending = load_baseline(self.baseline_file)

    def establish_baseline(self, runs: Sequence[Mapping[str, Sample]]) -> dict[str, float]:
        """Set every metric's baseline to the median of its values over ``runs`` and save.

        Each run maps metric names to a value (or to samples, whose median is that run's
        value). Metrics present in fewer than ``min_runs`` runs are left pending.
        """
        per_metric: dict[str, list[float]] = {}
        for run in runs:
            for name, value in run.items():
                per_metric.setdefault(name, []).append(_median(value))
        established: dict[str, float] = {}
        for name, values in per_metric.items():
            if len(values) >= self.min_runs:
                entry = BaselineEntry(float(statistics.median(values)), len(values), tuple(values))
                self.baseline_data[name] = entry
                self.pending.pop(name, None)
                established[name] = entry.median
            else:
                self.pending[name] = values
        if not established and runs:
            raise BaselineError(
                f"no metric appears in {self.min_runs} runs (got {len(runs)} run(s)): record "
                f"at least {self.min_runs} runs, or lower min_runs"
            )
        self._save()
        return established

    def check_regression(self, metric_name: str, current_value: Sample) -> dict[str, Any]:
        """Compare ``current_value`` (a number, or samples whose median is used) with the baseline.

        Without an established baseline the value is stored as a pending sample; the baseline
        is established from the median once ``min_runs`` samples have been recorded.
        """
        current = _median(current_value)
        entry = self.baseline_data.get(metric_name)
        if entry is None:
            samples = [*self.pending.get(metric_name, []), current]
            if len(samples) >= self.min_runs:
                entry = BaselineEntry(
                    float(statistics.median(samples)), len(samples), tuple(samples)
                )
                self.baseline_data[metric_name] = entry
                self.pending.pop(metric_name, None)
                reason = f"baseline established: median of {len(samples)} runs"
            else:
                self.pending[metric_name] = samples
                reason = f"no baseline yet: {len(samples)} of {self.min_runs} runs recorded"
            self._save()
            return {
                "metric": metric_name,
                "regression_detected": False,
                "reason": reason,
                "baseline_value": entry.median if entry else None,
                "current_value": current,
            }
        return self.compare(metric_name, current, entry)

    def compare(self, metric_name: str, current: float, entry: BaselineEntry) -> dict[str, Any]:
        """The verdict for ``current`` against an established ``entry`` (nothing is saved)."""
        threshold_value = entry.median * self.regression_threshold
        regression = current > threshold_value and current - entry.median > self.min_delta
        return {
            "metric": metric_name,
            "regression_detected": regression,
            "baseline_value": entry.median,
            "baseline_runs": entry.runs,
            "current_value": current,
            "threshold_value": threshold_value,
            "degradation_factor": current / entry.median if entry.median > 0 else 1.0,
            "improvement": current < entry.median,
        }

    def check_all(self, current: Mapping[str, Sample]) -> list[dict[str, Any]]:
        """:meth:`compare` every metric present in both the baseline and ``current``."""
        return [
            self.compare(name, _median(value), self.baseline_data[name])
            for name, value in sorted(current.items())
            if name in self.baseline_data
        ]

    def regressions(self, current: Mapping[str, Sample]) -> list[dict[str, Any]]:
        """Only the regressed metrics of :meth:`check_all`."""
        return [r for r in self.check_all(current) if r["regression_detected"]]

    def _save(self) -> None:
        save_baseline(self.baseline_file, self.baseline_data, self.pending)
