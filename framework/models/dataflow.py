"""A small model layer for TDD tests: ``DataFlow``, ``@df.model`` and per-model CRUD.

In TDD fixtures a ``DataFlow`` is bound to the test's connection (``DataFlow(connection=...)``)
so every statement runs inside the test's transaction and is rolled back with it. Standalone,
``DataFlow(database_url=...)`` opens its own pool sized by the ``pool_*`` options.

Every operation returns a dict: ``{"success": True, "data": ...}`` or ``{"success": False,
"error": "...", "error_type": "..."}``. Writes inside a transaction run in a nested savepoint,
so a failed write (say, a constraint violation) leaves the test's transaction usable.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import AsyncIterator, Generator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields, replace
from typing import Any

import asyncpg
from psycopg import sql

from pgtdd.models.schema_cache import get_schema_cache
from pgtdd.models.spec import (
    NOW,
    DataFlowSchemaError,
    FieldSpec,
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
_MAX_PARAMS = 32767
_Args = list[Any]  # `list` is shadowed by ModelAPI.list inside the class
_OPERATORS = {
    "$eq": "=",
    "$ne": "<>",
    "$gt": ">",
    "$gte": ">=",
    "$lt": "<",
    "$lte": "<=",
    "$like": "LIKE",
    "$ilike": "ILIKE",
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
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(f"unknown DataFlow option(s) {unknown}; known: {sorted(known)}")
        return cls(**options)


def _error(exc: BaseException) -> dict[str, Any]:
    return {"success": False, "error": str(exc), "error_type": type(exc).__name__, "data": None}


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
            async with _savepoint(conn):
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
            async with self._acquire() as conn, _savepoint(conn):
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


@asynccontextmanager
async def _savepoint(conn: Any) -> AsyncIterator[None]:
    """A savepoint around one write when ``conn`` is in a transaction (else autocommit)."""
    if not conn.is_in_transaction():
        yield
        return
    name = f"dataflow_{next(_SAVEPOINTS)}"
    await conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        if conn.is_in_transaction():
            await conn.execute(f"ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}")
        raise
    await conn.execute(f"RELEASE SAVEPOINT {name}")


_SAVEPOINTS = itertools.count(1)


class ModelAPI:
    """``df.<Model>``: create, read, update, delete, list, count, bulk_create."""

    def __init__(self, dataflow: DataFlow, spec: ModelSpec) -> None:
        self._df = dataflow
        self.spec = spec
        self._cache: dict[Any, dict[str, Any]] = {}

    @property
    def model(self) -> type:
        """The decorated class."""
        return self.spec.cls

    @property
    def dataflow(self) -> DataFlow:
        """The DataFlow (and so the connection) this model runs on."""
        return self._df

    @property
    def table(self) -> str:
        return self.spec.qualified

    def __repr__(self) -> str:
        return f"<model {self.spec.name} on {self.spec.qualified}>"

    # ----------------------------------------------------------------- helpers

    def _check_fields(self, data: Mapping[str, Any], *, creating: bool) -> list[FieldSpec]:
        unknown = [k for k in data if self.spec.field(k) is None and k != "id"]
        if unknown:
            raise ValueError(
                f"{self.spec.name} has no field(s) {', '.join(unknown)} "
                f"(fields: {', '.join(self.spec.columns)})"
            )
        if creating:
            missing = [f.name for f in self.spec.fields if f.required and f.name not in data]
            if missing:
                raise ValueError(
                    f"{self.spec.name}: missing required field(s) {', '.join(missing)}"
                )
        return [f for f in self.spec.fields if f.name in data]

    @staticmethod
    def _param(spec: FieldSpec | None, value: Any) -> Any:
        if spec is not None and spec.is_json and value is not None:
            return json.dumps(value)
        return value

    @staticmethod
    def _placeholder(spec: FieldSpec | None, index: int) -> str:
        return f"${index}::jsonb" if spec is not None and spec.is_json else f"${index}"

    def _row(self, record: Any) -> dict[str, Any]:
        row = dict(record)
        for spec in self.spec.fields:
            if spec.is_json and isinstance(row.get(spec.name), str):
                row[spec.name] = json.loads(row[spec.name])
        return row

    def _ident(self, name: str) -> str:
        return sql.Identifier(name).as_string(None)

    def _where(self, filters: Mapping[str, Any] | None, args: list[Any]) -> str:
        if not filters:
            return ""
        clauses = []
        for name, condition in filters.items():
            spec = self.spec.field(name)
            if spec is None and name != "id":
                raise ValueError(f"{self.spec.name} has no field {name!r} to filter on")
            column = self._ident(name)
            items = condition.items() if isinstance(condition, Mapping) else [("$eq", condition)]
            for op, value in items:
                clauses.append(self._clause(column, spec, op, value, args))
        return " WHERE " + " AND ".join(clauses)

    def _clause(
        self, column: str, spec: FieldSpec | None, op: str, value: Any, args: list[Any]
    ) -> str:
        if op in ("$eq", "$ne") and value is None:
            return f"{column} IS {'' if op == '$eq' else 'NOT '}NULL"
        if op == "$in" or (op == "$eq" and isinstance(value, list | tuple | set)):
            args.append([self._param(spec, v) for v in value])
            return f"{column} = ANY(${len(args)})"
        if op not in _OPERATORS:
            raise ValueError(f"unknown filter operator {op!r}; use {', '.join(_OPERATORS)}, $in")
        args.append(self._param(spec, value))
        return f"{column} {_OPERATORS[op]} {self._placeholder(spec, len(args))}"

    def _order(self, order_by: str | Sequence[str] | None) -> str:
        if not order_by:
            return ""
        keys = [order_by] if isinstance(order_by, str) else list(order_by)
        parts = []
        for key in keys:
            name, direction = (key[1:], "DESC") if key.startswith("-") else (key, "ASC")
            if self.spec.field(name) is None and name != "id":
                raise ValueError(f"{self.spec.name} has no field {name!r} to order by")
            parts.append(f"{self._ident(name)} {direction}")
        return " ORDER BY " + ", ".join(parts)

    # ----------------------------------------------------------------- operations

    async def create(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Insert one row; ``data`` is the inserted row with its ``id`` and defaults."""
        try:
            chosen = self._check_fields(data, creating=True)
        except ValueError as exc:
            return _error(exc)
        columns = ", ".join(self._ident(f.name) for f in chosen)
        values = ", ".join(self._placeholder(f, i) for i, f in enumerate(chosen, 1))
        query = (
            f"INSERT INTO {self.spec.qualified} ({columns}) VALUES ({values}) RETURNING *"
            if chosen
            else f"INSERT INTO {self.spec.qualified} DEFAULT VALUES RETURNING *"
        )
        args = [self._param(f, data[f.name]) for f in chosen]
        return await self._write("create", query, args)

    async def bulk_create(self, rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
        """Insert many rows (one statement per shape and chunk); ``data`` in input order."""
        rows = list(rows)
        try:
            shapes: dict[tuple[str, ...], list[int]] = {}
            for index, row in enumerate(rows):
                chosen = self._check_fields(row, creating=True)
                shapes.setdefault(tuple(f.name for f in chosen), []).append(index)
        except ValueError as exc:
            return _error(exc)
        statements = []
        for names, indexes in shapes.items():
            specs = [self.spec.field(n) for n in names]
            per_chunk = max(1, _MAX_PARAMS // max(1, len(names)))
            for start in range(0, len(indexes), per_chunk):
                chunk = indexes[start : start + per_chunk]
                statements.append((self._bulk_sql(specs, len(chunk)), chunk, specs))

        async def insert(conn: Any) -> list[dict[str, Any]]:
            out: list[dict[str, Any] | None] = [None] * len(rows)
            for query, chunk, specs in statements:
                args = [
                    self._param(spec, rows[i][spec.name])
                    for i in chunk
                    for spec in specs
                    if spec is not None
                ]
                self._df._echo(query)
                records = await conn.fetch(query, *args)
                for i, record in zip(chunk, records, strict=True):
                    out[i] = self._row(record)
            return [row for row in out if row is not None]

        try:
            created = await self._df._run("bulk_create", insert)
        except (asyncpg.PostgresError, asyncpg.DataError, ValueError, TypeError) as exc:
            return _error(exc)
        self._cache.clear()
        return {"success": True, "data": created, "count": len(created)}

    def _bulk_sql(self, specs: Sequence[FieldSpec | None], count: int) -> str:
        if not specs:
            values = ", ".join("(DEFAULT)" for _ in range(count))
            return f"INSERT INTO {self.spec.qualified} (id) VALUES {values} RETURNING *"
        width = len(specs)
        groups = []
        for row in range(count):
            marks = [self._placeholder(s, row * width + i + 1) for i, s in enumerate(specs)]
            groups.append("(" + ", ".join(marks) + ")")
        columns = ", ".join(self._ident(s.name) for s in specs if s is not None)
        return (
            f"INSERT INTO {self.spec.qualified} ({columns}) VALUES {', '.join(groups)} RETURNING *"
        )

    async def read(self, id: Any) -> dict[str, Any]:
        """The row with ``id``; ``success`` is ``False`` when there is none."""
        if self._df.config.cache_enabled and id in self._cache:
            return {"success": True, "data": dict(self._cache[id]), "cached": True}
        query = f"SELECT * FROM {self.spec.qualified} WHERE id = $1"
        result = await self._fetch_one("read", query, [id])
        if result["success"] and self._df.config.cache_enabled:
            self._cache[id] = dict(result["data"])
        return result

    async def update(self, id: Any, data: Mapping[str, Any]) -> dict[str, Any]:
        """Set ``data`` on the row ``id``; ``data`` of the result is the updated row."""
        try:
            chosen = self._check_fields(data, creating=False)
        except ValueError as exc:
            return _error(exc)
        if not chosen:
            return _error(ValueError(f"{self.spec.name}.update: nothing to update"))
        sets = ", ".join(
            f"{self._ident(f.name)} = {self._placeholder(f, i)}" for i, f in enumerate(chosen, 1)
        )
        query = f"UPDATE {self.spec.qualified} SET {sets} WHERE id = ${len(chosen) + 1} RETURNING *"
        args = [*(self._param(f, data[f.name]) for f in chosen), id]
        return await self._write("update", query, args, missing_id=id)

    async def delete(self, id: Any) -> dict[str, Any]:
        """Delete the row ``id``; ``success`` is ``False`` when there was none."""
        query = f"DELETE FROM {self.spec.qualified} WHERE id = $1 RETURNING id"
        result = await self._write("delete", query, [id], missing_id=id)
        if result["success"]:
            result["data"] = {"id": id, "deleted": True}
        return result

    async def list(
        self,
        filters: Mapping[str, Any] | None = None,
        order_by: str | Sequence[str] | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> dict[str, Any]:
        """Rows matching ``filters`` (``{"field": value}``, ``{"field": {"$gt": 1}}``, lists
        for IN), ordered by ``order_by`` (``"-field"`` descending), ``limit``/``offset``."""
        args: list[Any] = []
        try:
            query = f"SELECT * FROM {self.spec.qualified}{self._where(filters, args)}"
            query += self._order(order_by or "id")
        except ValueError as exc:
            return _error(exc)
        if limit is not None:
            args.append(int(limit))
            query += f" LIMIT ${len(args)}"
        if offset is not None:
            args.append(int(offset))
            query += f" OFFSET ${len(args)}"
        try:
            records = await self._df._run("list", lambda c: c.fetch(query, *args))
        except (asyncpg.PostgresError, asyncpg.DataError, TypeError) as exc:
            return _error(exc)
        rows = [self._row(r) for r in records]
        return {"success": True, "data": rows, "count": len(rows)}

    async def count(self, filters: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """How many rows match ``filters``; ``data`` and ``count`` hold the number."""
        args: list[Any] = []
        try:
            query = f"SELECT count(*) FROM {self.spec.qualified}{self._where(filters, args)}"
        except ValueError as exc:
            return _error(exc)
        try:
            number = await self._df._run("count", lambda c: c.fetchval(query, *args))
        except (asyncpg.PostgresError, asyncpg.DataError, TypeError) as exc:
            return _error(exc)
        return {"success": True, "data": int(number), "count": int(number)}

    async def _fetch_one(self, operation: str, query: str, args: _Args) -> dict[str, Any]:
        self._df._echo(query)
        try:
            record = await self._df._run(operation, lambda c: c.fetchrow(query, *args))
        except (asyncpg.PostgresError, asyncpg.DataError, TypeError) as exc:
            return _error(exc)
        if record is None:
            return _error(LookupError(f"{self.spec.name} {args[0]!r} not found"))
        return {"success": True, "data": self._row(record)}

    async def _write(
        self, operation: str, query: str, args: _Args, missing_id: Any = None
    ) -> dict[str, Any]:
        self._df._echo(query)
        try:
            record = await self._df._run(operation, lambda c: c.fetchrow(query, *args))
        except (asyncpg.PostgresError, asyncpg.DataError, TypeError) as exc:
            return _error(exc)
        self._cache.clear()
        if record is None:
            return _error(LookupError(f"{self.spec.name} {missing_id!r} not found"))
        return {"success": True, "data": self._row(record)}


def with_schema(spec: ModelSpec, schema: str | None) -> ModelSpec:
    """``spec`` placed in another schema."""
    return replace(spec, schema=schema)
