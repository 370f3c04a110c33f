"""Memory tracking for a test: RSS deltas of blocks, cleanup, leak warnings.

Measurements come from :func:`pgtdd.performance.memory.get_memory_optimizer` (the process's real
resident set size via psutil). RSS is what the operating system charges the process: freed
Python objects do not always return their pages (small objects live in arenas), so a
retained delta is a hint of a leak, not a proof.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pgtdd.performance.memory import MemoryOptimizer, get_memory_optimizer

_labels = itertools.count()


class MemoryLeakWarning(UserWarning):
    """More memory stayed with the process after a test than its threshold allows."""


class MemoryTracker:
    """RSS growth of ``with tracker.track():`` blocks, in MB."""

    def __init__(self, optimizer: MemoryOptimizer | None = None) -> None:
        self.optimizer = optimizer or get_memory_optimizer()
        self.deltas_mb: list[float] = []
        self._started_mb = self.optimizer.rss_mb()

    @contextmanager
    def track(self) -> Iterator[MemoryTracker]:
        """Measure RSS before and after the block (objects made in it may still be alive)."""
        label = f"pgtdd-track-{next(_labels)}"
        start = self.optimizer.take_memory_snapshot(label + "-start")
        try:
            yield self
        finally:
            end = self.optimizer.take_memory_snapshot(label + "-end")
            self.deltas_mb.append(end.rss_mb - start.rss_mb)
            self.optimizer.discard_snapshot(label + "-start")
            self.optimizer.discard_snapshot(label + "-end")

    def get_memory_delta(self) -> float:
        """MB of RSS growth of the last completed ``track()`` block; before any, since creation."""
        if self.deltas_mb:
            return self.deltas_mb[-1]
        return self.optimizer.rss_mb() - self._started_mb

    def since_start_mb(self) -> float:
        """MB of RSS growth since the tracker was made."""
        return self.optimizer.rss_mb() - self._started_mb


class CleanupManager:
    """Runs registered cleanups, then the garbage collector, on demand and at teardown."""

    def __init__(self, optimizer: MemoryOptimizer | None = None) -> None:
        self.optimizer = optimizer or get_memory_optimizer()
        self._callbacks: list[Callable[[], Any]] = []
        self.cleanups = 0

    def register(self, callback: Callable[[], Any]) -> None:
        """Call ``callback`` at the next :meth:`force_cleanup` (once)."""
        self._callbacks.append(callback)

    def force_cleanup(self) -> dict[str, Any]:
        """Run the registered callbacks (last first), collect garbage; report what was freed."""
        while self._callbacks:
            self._callbacks.pop()()
        self.cleanups += 1
        return self.optimizer.optimize_memory()


def warn_if_leaking(delta_mb: float, threshold_mb: float, test: str = "test") -> bool:
    """Emit :class:`MemoryLeakWarning` when ``delta_mb`` exceeds ``threshold_mb``."""
    if delta_mb <= threshold_mb:
        return False
    warnings.warn(
        f"Potential memory leak in {test}: RSS grew {delta_mb:.2f} MB and stayed after cleanup "
        f"(threshold {threshold_mb:g} MB; raise it with @pytest.mark.memory(threshold_mb=N))",
        MemoryLeakWarning,
        stacklevel=2,
    )
    return True
