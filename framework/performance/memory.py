"""Process memory measured with psutil: snapshots, tracked objects, garbage collection.

``get_memory_optimizer()`` returns the process-wide :class:`MemoryOptimizer`. Snapshots hold
the real resident set size (RSS) of this process; ``optimize_memory`` runs the garbage
collector and reports what it freed, measured before and after.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pgtdd.lazy import lazy_module

# psutil (~6 ms to import) loads with the first measurement, not with the pytest plugin.
if TYPE_CHECKING:
    import psutil
else:
    psutil = lazy_module("psutil")

_MB = 1024 * 1024


@dataclass(frozen=True)
class MemorySnapshot:
    """Process memory at one moment."""

    label: str
    rss_mb: float
    vms_mb: float
    gc_objects: int
    taken_at: float = field(default_factory=time.time)


@dataclass
class TrackedObject:
    """An object registered with ``track_object``: its size then and whether it still lives."""

    name: str
    type_name: str
    size_bytes: int
    ref: weakref.ReferenceType[Any] | None

    @property
    def alive(self) -> bool | None:
        """``True``/``False`` for weak-referenceable objects, ``None`` when unknowable."""
        return None if self.ref is None else self.ref() is not None


class MemoryOptimizer:
    """Measures this process's memory and runs the garbage collector on request."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self._lock = threading.Lock()
        self._snapshots: dict[str, MemorySnapshot] = {}
        self._tracked: dict[str, TrackedObject] = {}
        self.optimizations = 0
        self.objects_collected = 0

    def rss_mb(self) -> float:
        """Current resident set size in MB."""
        return float(self._process.memory_info().rss) / _MB

    def take_memory_snapshot(self, label: str, count_objects: bool = False) -> MemorySnapshot:
        """Record RSS/VMS now under ``label`` (``count_objects`` adds a gc object count)."""
        info = self._process.memory_info()
        snapshot = MemorySnapshot(
            label=label,
            rss_mb=float(info.rss) / _MB,
            vms_mb=float(info.vms) / _MB,
            gc_objects=len(gc.get_objects()) if count_objects else -1,
        )
        with self._lock:
            self._snapshots[label] = snapshot
        return snapshot

    def get_snapshot(self, label: str) -> MemorySnapshot | None:
        """The snapshot taken under ``label``, if any."""
        with self._lock:
            return self._snapshots.get(label)

    def discard_snapshot(self, label: str) -> None:
        """Forget the snapshot ``label``."""
        with self._lock:
            self._snapshots.pop(label, None)

    def get_memory_delta(self, start_label: str, end_label: str | None = None) -> float:
        """RSS growth in MB from ``start_label`` to ``end_label`` (or to now)."""
        start = self.get_snapshot(start_label)
        if start is None:
            raise KeyError(f"no memory snapshot {start_label!r}; take_memory_snapshot() first")
        if end_label is None:
            return self.rss_mb() - start.rss_mb
        end = self.get_snapshot(end_label)
        if end is None:
            raise KeyError(f"no memory snapshot {end_label!r}; take_memory_snapshot() first")
        return end.rss_mb - start.rss_mb

    def track_object(self, obj: object, name: str) -> TrackedObject:
        """Register ``obj`` under ``name`` without keeping it alive (weakly, where possible).

        Objects that cannot be weakly referenced (``list``, ``dict``...) are recorded by size
        only; their ``alive`` is ``None``.
        """
        try:
            ref: weakref.ReferenceType[Any] | None = weakref.ref(obj)
        except TypeError:
            ref = None
        tracked = TrackedObject(name, type(obj).__name__, sys.getsizeof(obj), ref)
        with self._lock:
            self._tracked[name] = tracked
        return tracked

    def tracked_objects(self) -> dict[str, TrackedObject]:
        """The registered objects by name."""
        with self._lock:
            return dict(self._tracked)

    def optimize_memory(self, generation: int = 2) -> dict[str, Any]:
        """Collect garbage (``generation`` 0-2) and forget dead tracked objects; report it."""
        before = self.rss_mb()
        collected = gc.collect(generation)
        after = self.rss_mb()
        with self._lock:
            dead = [name for name, t in self._tracked.items() if t.alive is False]
            for name in dead:
                del self._tracked[name]
            self.optimizations += 1
            self.objects_collected += collected
        return {
            "generation": generation,
            "objects_collected": collected,
            "rss_before_mb": before,
            "rss_after_mb": after,
            "freed_mb": before - after,
            "dead_tracked_objects": dead,
        }

    def get_memory_statistics(self) -> dict[str, Any]:
        """Current RSS, snapshots, tracked objects and what the optimizer has done."""
        with self._lock:
            return {
                "rss_mb": self.rss_mb(),
                "snapshots": len(self._snapshots),
                "tracked_objects": len(self._tracked),
                "optimizations": self.optimizations,
                "objects_collected": self.objects_collected,
            }


_OPTIMIZER: MemoryOptimizer | None = None
_OPTIMIZER_LOCK = threading.Lock()


def get_memory_optimizer() -> MemoryOptimizer:
    """The process-wide memory optimizer."""
    global _OPTIMIZER
    with _OPTIMIZER_LOCK:
        if _OPTIMIZER is None:
            _OPTIMIZER = MemoryOptimizer()
        return _OPTIMIZER
