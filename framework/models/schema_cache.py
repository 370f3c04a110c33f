"""Schema cache: DDL kept by name, and which schemas already exist in which database.

Two things are cached. ``cache_schema(name, {table: ddl})`` (or, as the performance guide
writes it, ``cache_ddl(schema_hash, ddl)``) keeps DDL text so callers need not rebuild it.
``mark_applied(database, name, ddl_hash)`` records that the schema exists in that database
(committed), so fixtures can skip DDL entirely; ``is_applied`` answers from memory.
Hits, misses and DDL statements actually executed are counted, never assumed:
``get_cache_efficiency()`` is the measured hit rate of every lookup, in percent.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CacheCounters:
    """A snapshot of the counters, so callers can compute what one step did."""

    hits: int
    misses: int
    ddl_operations: int

    def since(self, earlier: CacheCounters) -> CacheCounters:
        """The counts added since ``earlier``."""
        return CacheCounters(
            self.hits - earlier.hits,
            self.misses - earlier.misses,
            self.ddl_operations - earlier.ddl_operations,
        )


def ddl_hash(ddl: Mapping[str, str]) -> str:
    """A stable hash of a ``{table: ddl}`` mapping."""
    digest = hashlib.sha256()
    for table in sorted(ddl):
        digest.update(table.encode() + b"\0" + ddl[table].encode() + b"\0")
    return digest.hexdigest()[:16]


class SchemaCache:
    """Thread-safe cache of schema DDL and of schemas known to exist per database."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._lock = threading.Lock()
        self._schemas: dict[str, dict[str, str]] = {}
        self._ddl: dict[str, str] = {}
        self._applied: set[tuple[str, str, str]] = set()
        self._hits = 0
        self._misses = 0
        self._ddl_operations = 0
        self._saved = 0

    # -- the performance guide's DDL cache, keyed by the schema's hash ---------------------

    @property
    def cache(self) -> dict[str, str]:
        """The cached DDL by schema hash (a copy)."""
        with self._lock:
            return dict(self._ddl)

    @property
    def cache_stats(self) -> dict[str, int]:
        """``hits`` and ``misses`` of every lookup, and ``ddl_operations_saved``: lookups that
        handed back DDL or the knowledge that it is applied, so the caller did not build or
        run it again."""
        with self._lock:
            return {
                "hits": self._hits,
                "misses": self._misses,
                "ddl_operations_saved": self._saved,
            }

    def get_cached_ddl(self, schema_hash: str) -> str | None:
        """The DDL cached under ``schema_hash``, or ``None`` (counts a hit or a miss)."""
        with self._lock:
            ddl = self._ddl.get(schema_hash) if self.enabled else None
            self._count(ddl is not None, saves=True)
            return ddl

    def cache_ddl(self, schema_hash: str, ddl: str) -> None:
        """Keep ``ddl`` under ``schema_hash`` (e.g. ``hashlib.md5(ddl.encode()).hexdigest()``)."""
        with self._lock:
            self._ddl[schema_hash] = ddl

    def get_cache_efficiency(self) -> float:
        """The hit rate of every lookup so far, in percent (0.0 before any lookup)."""
        with self._lock:
            lookups = self._hits + self._misses
            return self._hits / lookups * 100 if lookups else 0.0

    # -- schemas by name, and where they are applied ---------------------------------------

    def cache_schema(self, name: str, ddl: Mapping[str, str]) -> None:
        """Keep the DDL of schema ``name`` (``{table_name: "CREATE TABLE ..."}``)."""
        with self._lock:
            self._schemas[name] = dict(ddl)

    def is_schema_cached(self, name: str) -> bool:
        """Whether DDL for ``name`` is cached (counts a hit or a miss)."""
        with self._lock:
            found = self.enabled and name in self._schemas
            self._count(found)
            return found

    def get_cached_schema(self, name: str) -> dict[str, str] | None:
        """The cached DDL of ``name``, or ``None`` (counts a hit or a miss)."""
        with self._lock:
            ddl = self._schemas.get(name) if self.enabled else None
            self._count(ddl is not None, saves=True)
            return dict(ddl) if ddl is not None else None

    def is_applied(self, database: str, name: str, schema_hash: str) -> bool:
        """Whether schema ``name`` with this hash is known to exist in ``database``."""
        with self._lock:
            found = self.enabled and (database, name, schema_hash) in self._applied
            self._count(found, saves=True)
            return found

    def mark_applied(self, database: str, name: str, schema_hash: str) -> None:
        """Record that ``name`` now exists (committed) in ``database``."""
        with self._lock:
            self._applied.add((database, name, schema_hash))

    def forget_database(self, database: str) -> None:
        """Drop what is known about ``database`` (after it was dropped or recreated)."""
        with self._lock:
            self._applied = {key for key in self._applied if key[0] != database}

    def record_ddl(self, statements: int = 1) -> None:
        """Count DDL statements a caller actually executed."""
        with self._lock:
            self._ddl_operations += statements

    def counters(self) -> CacheCounters:
        """The current counters (compare two snapshots with ``since``)."""
        with self._lock:
            return CacheCounters(self._hits, self._misses, self._ddl_operations)

    def get_cache_statistics(self) -> dict[str, Any]:
        """Totals since the process started (or the last ``clear``)."""
        with self._lock:
            lookups = self._hits + self._misses
            return {
                "cache_enabled": self.enabled,
                "cached_schemas": len(self._schemas),
                "applied_schemas": len(self._applied),
                "cache_hits": self._hits,
                "cache_misses": self._misses,
                "hit_rate": self._hits / lookups if lookups else None,
                "ddl_operations": self._ddl_operations,
                "ddl_operations_saved": self._saved,
                "cached_ddl": len(self._ddl),
            }

    def clear(self) -> None:
        """Forget everything, counters included."""
        with self._lock:
            self._schemas.clear()
            self._ddl.clear()
            self._applied.clear()
            self._hits = self._misses = self._ddl_operations = self._saved = 0

    def _count(self, hit: bool, saves: bool = False) -> None:
        if hit:
            self._hits += 1
            self._saved += saves
        else:
            self._misses += 1


_CACHE = SchemaCache()


def get_schema_cache() -> SchemaCache:
    """The process-wide schema cache."""
    return _CACHE
