"""A small model layer for TDD tests: ``DataFlow``, ``@df.model`` and per-model CRUD.

In TDD fixtures a ``DataFlow`` is bound to the test's connection (``DataFlow(connection=...)``)
so every statement runs inside the test's transaction and is rolled back with it. Standalone,
``DataFlow(database_url=...)`` opens its own pool sized by the ``pool_*`` options.

Every operation returns a dict: ``{"success": True, "data": ...}`` or ``{"success": False,
"error": "...", "error_type": "..."}``. Writes inside a transaction run in a nested savepoint,
so a failed write (say, a constraint violation) leaves the test's transaction usable.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Generator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields
from typing import Any

import asyncpg

from pgtdd.models.crud import ModelAPI, savepoint
from pgtdd.models.schema_cache import get_schema_cache
from pgtdd.models.spec import (
    NOW,
    DataFlowSchemaError,
    ModelSpec,
    model_spec,
)

__all__ = [
    "NOW",
    "TDD_CONFIG",
    "DataFlow",
    "DataFlowConfig",
    "DataFlowSchemaError",
    "ModelAPI",
]

log = logging.getLogger(__name__)

TDD_CONFIG: dict[str, Any] = {
    "database_url": None,  # filled in by the fixtures: the session's test database
    "existing_schema_mode": True,
    "auto_migrate": False,
    "cache_enabled": False,
    "pool_size": 1,
    "pool_max_overflow": 0,
    "pool_timeout": 5,
    "pool_recycle": 30,
    "pool_pre_ping": True,
    "echo": False,
    "monitoring": False,
}
@dataclass(frozen=True)
class DataFlowConfig:
    """The options of ``TDD_CONFIG``.

    ``existing_schema_mode``: ``create_tables()`` creates missing tables and drops nothing
    (``False``: drop and recreate the model tables). ``auto_migrate``: add model columns an
    existing table lacks (otherwise that is an error). ``cache_enabled``: cache ``read(id)``
    results until the model is written. ``pool_*``: the own pool of a standalone DataFlow
    (size, overflow, acquire timeout in s, idle lifetime in s, ``SELECT 1`` on acquire).
    ``echo``: log every statement. ``monitoring``: keep per-operation counts and timings.
    """

    database_url: str | None = field(default=None, repr=False)
    existing_schema_mode: bool = True
    auto_migrate: bool = False
    cache_enabled: bool = False
    pool_size: int = 1
    pool_max_overflow: int = 0
    pool_timeout: float = 5
    pool_recycle: float = 30
    pool_pre_ping: bool = True
    echo: bool = False
    monitoring: bool = False

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> DataFlowConfig:
        """The options of a ``TDD_CONFIG``-like dict; an unknown key is a ValueError naming it."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(f"unknown DataFlow option(s) {unknown}; known: {sorted(known)}")
        return cls(**options)


class SchemaPlan:
    """What ``create_tables()`` returns: awaitable, or applied before the next operation.

    ``await df.create_tables()`` applies it now and returns ``{"created": [...], "existing":
    [...], "migrated": [...]}``; ``df.create_tables()`` without ``await`` (as in the spec)
    applies it on the test's connection right before the next model operation.
    """

    def __init__(self, dataflow: DataFlow, models: Sequence[ModelSpec]) -> None:
        self._dataflow = dataflow
        self.models = tuple(models)
        self.result: dict[str, list[str]] | None = None

    def __await__(self) -> Generator[Any, None, dict[str, list[str]]]:
        return self._dataflow._apply_pending().__await__()

    def __repr__(self) -> str:
        state = "applied" if self.result is not None else "pending"
        return f"SchemaPlan({[m.name for m in self.models]}, {state})"


class DataFlow:
    """Models and their tables, on one bound connection or an own pool."""

    def __init__(
        self,
        database_url: str | None = None,
        *,
        connection: Any | None = None,
        schema: str | None = None,
        **options: Any,
    ) -> None:
        self.config = DataFlowConfig.from_mapping({"database_url": database_url, **options})
        self.connection = connection
        self.schema = schema
        self._models: dict[str, ModelAPI] = {}
        self._pending: list[SchemaPlan] = []
        self._ensured: set[str] = set()
        self._pool: Any | None = None
        self.ddl_operations = 0
        self.operation_stats: dict[str, dict[str, float]] = {}

    # ----------------------------------------------------------------- models and schema

    def model(self, cls: type) -> type:
        """Class decorator: register ``cls`` as a model (``df.<ClassName>`` for operations)."""
        self.register(model_spec(cls, self.schema))
        return cls

    def register(self, spec: ModelSpec, ensured: bool = False) -> ModelAPI:
        """Register an already-mapped model; ``ensured`` marks its table as known to exist."""
        api = ModelAPI(self, spec)
        self._models[spec.name] = api
        if ensured:
            self._ensured.add(spec.name)
        return api

    @property
    def models(self) -> dict[str, ModelAPI]:
        """The registered models by class name."""
        return dict(self._models)

    def __getattr__(self, name: str) -> ModelAPI:
        models = self.__dict__.get("_models", {})
        if name in models:
            return models[name]  # type: ignore[no-any-return]
        raise AttributeError(
            f"DataFlow has no model {name!r} (registered: {', '.join(models) or 'none'}); "
            "decorate a class with @df.model first"
        )

    def create_tables(self) -> SchemaPlan:
        """Plan the tables of every model not yet ensured; see :class:`SchemaPlan`."""
        todo = [api.spec for name, api in self._models.items() if name not in self._ensured]
        plan = SchemaPlan(self, todo)
        self._pending.append(plan)
        return plan

    async def _apply_pending(self) -> dict[str, list[str]]:
        summary: dict[str, list[str]] = {"created": [], "existing": [], "migrated": []}
        while self._pending:
            plan = self._pending[0]
            todo = [m for m in plan.models if m.name not in self._ensured]
            if todo:
                async with self._acquire() as conn:
                    plan.result = await self._ensure(conn, todo)
            else:
                plan.result = {"created": [], "existing": [], "migrated": []}
            self._pending.pop(0)
            for key, names in plan.result.items():
                summary[key] += names
        return summary

    async def _ensure(self, conn: Any, specs: Sequence[ModelSpec]) -> dict[str, list[str]]:
        names = [spec.regclass_name for spec in specs]
        present = await conn.fetch(
            "SELECT n.name, to_regclass(n.name)::oid AS oid FROM unnest($1::text[]) AS n(name)",
            names,
        )
        oids = {row["name"]: row["oid"] for row in present}
        statements: list[str] = []
        result: dict[str, list[str]] = {"created": [], "existing": [], "migrated": []}
        existing = [s for s in specs if oids.get(s.regclass_name) is not None]
        if not self.config.existing_schema_mode:
            statements += [f"DROP TABLE IF EXISTS {s.qualified} CASCADE" for s in existing]
            existing = []
        missing_columns = await self._missing_columns(conn, existing, oids)
        for spec in specs:
            if spec in existing:
                result["existing"].append(spec.name)
                gaps = missing_columns.get(spec.name, [])
                if gaps and not self.config.auto_migrate:
                    raise DataFlowSchemaError(
                        f"table {spec.qualified} exists but lacks column(s) {', '.join(gaps)} "
                        f"of model {spec.name}. Fix: add them (a migration), drop the table, "
                        "or create the DataFlow with auto_migrate=True"
                    )
                if gaps:
                    statements += [
                        f"ALTER TABLE {spec.qualified} ADD COLUMN {spec.column_sql(g)}"
                        for g in gaps
                    ]
                    result["migrated"].append(spec.name)
            else:
                statements.append(spec.create_sql())
                result["created"].append(spec.name)
        if statements:
            await self._run_ddl(conn, statements)
        self._ensured.update(spec.name for spec in specs)
        return result

    async def _missing_columns(
        self, conn: Any, existing: Sequence[ModelSpec], oids: Mapping[str, Any]
    ) -> dict[str, list[str]]:
        if not existing:
            return {}
        rows = await conn.fetch(
            "SELECT attrelid, attname FROM pg_attribute WHERE attrelid = ANY($1::oid[]) "
            "AND attnum > 0 AND NOT attisdropped",
            [oids[s.regclass_name] for s in existing],
        )
        have: dict[Any, set[str]] = {}
        for row in rows:
            have.setdefault(row["attrelid"], set()).add(row["attname"])
        return {
            s.name: [c for c in s.columns if c not in have.get(oids[s.regclass_name], set())]
            for s in existing
        }

    async def _run_ddl(self, conn: Any, statements: Sequence[str]) -> None:
        script = ";\n".join(statements)
        self._echo(script)
        try:
            async with savepoint(conn):
                await conn.execute(script)
        except asyncpg.PostgresError as exc:
            raise DataFlowSchemaError(f"creating the model tables failed: {exc}") from exc
        self.ddl_operations += len(statements)
        get_schema_cache().record_ddl(len(statements))

    # ----------------------------------------------------------------- connections

    @asynccontextmanager
    async def _acquire(self) -> AsyncIterator[Any]:
        if self.connection is not None:
            yield self.connection
            return
        pool = await self._own_pool()
        async with pool.acquire(timeout=self.config.pool_timeout) as conn:
            yield conn

    async def _own_pool(self) -> Any:
        if self._pool is None:
            if not self.config.database_url:
                raise DataFlowSchemaError(
                    "DataFlow has neither a connection nor a database_url; pass one of them"
                )
            size = self.config.pool_size
            self._pool = await asyncpg.create_pool(
                self.config.database_url,
                min_size=size,
                max_size=size + self.config.pool_max_overflow,
                max_inactive_connection_lifetime=self.config.pool_recycle,
                setup=_ping if self.config.pool_pre_ping else None,
            )
        return self._pool

    async def close(self) -> None:
        """Close the own pool, if any (a bound connection belongs to its owner)."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    async def _run(self, operation: str, fn: Any) -> Any:
        """Run ``fn(conn)``; inside a transaction in a savepoint, so a failure leaves it
        usable."""
        if self._pending:
            await self._apply_pending()
        started = time.perf_counter()
        try:
            async with self._acquire() as conn, savepoint(conn):
                return await fn(conn)
        finally:
            if self.config.monitoring:
                stats = self.operation_stats.setdefault(operation, {"count": 0, "total_ms": 0.0})
                stats["count"] += 1
                stats["total_ms"] += (time.perf_counter() - started) * 1000

    def _echo(self, query: str) -> None:
        if self.config.echo:
            log.info("dataflow SQL: %s", query)


async def _ping(connection: Any) -> None:
    await connection.fetchval("SELECT 1")
