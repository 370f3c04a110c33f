"""Summary statistics shared by the benchmark, the monitor and the pytest report."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` (0..1) percentile by linear interpolation between closest ranks."""
    if not values:
        raise ValueError("percentile of no values: record at least one measurement first")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(values: Sequence[float], target: float | None = None) -> dict[str, Any]:
    """Count, mean, median, p95, min, max, standard deviation; against ``target`` if given.

    ``target_achieved`` compares the **median** with the target (a single slow outlier does
    not fail an operation; ``success_rate`` shows how many samples met the target).
    """
    if not values:
        raise ValueError("no measurements to summarize")
    stats: dict[str, Any] = {
        "count": len(values),
        "mean": statistics.mean(values),
        "median": statistics.median(values),
        "p95": percentile(values, 0.95),
        "min": min(values),
        "max": max(values),
        "std_dev": statistics.stdev(values) if len(values) > 1 else 0.0,
    }
    if target is not None:
        stats["target"] = target
        stats["target_achieved"] = stats["median"] <= target
        stats["success_rate"] = sum(1 for v in values if v <= target) / len(values) * 100
    return stats
