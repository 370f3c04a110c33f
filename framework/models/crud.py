"""Per-model CRUD of the model layer: :class:`ModelAPI`, one per ``@df.model`` class.

Every operation returns a dict: ``{"success": True, "data": ...}`` or ``{"success": False,
"error": "...", "error_type": "..."}``. Writes inside a transaction run in a nested savepoint,
so a failed write (say, a constraint violation) leaves the test's transaction usable.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import asyncpg
from psycopg import sql

from pgtdd.models.spec import FieldSpec, ModelSpec

if TYPE_CHECKING:
    from pgtdd.models.dataflow import DataFlow

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


_SAVEPOINTS = itertools.count(1)


def error_result(exc: BaseException) -> dict[str, Any]:
    """The failure dict every operation returns instead of raising."""
    return {"success": False, "error": str(exc), "error_type": type(exc).__name__, "data": None}


@asynccontextmanager
async def savepoint(conn: Any) -> AsyncIterator[None]:
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
        """The model's table, schema-qualified."""
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
            return error_result(exc)
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
            return error_result(exc)
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
            return error_result(exc)
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
            return error_result(exc)
        if not chosen:
            return error_result(ValueError(f"{self.spec.name}.update: nothing to update"))
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
            return error_result(exc)
        if limit is not None:
            args.append(int(limit))
            query += f" LIMIT ${len(args)}"
        if offset is not None:
            args.append(int(offset))
            query += f" OFFSET ${len(args)}"
        try:
            records = await self._df._run("list", lambda c: c.fetch(query, *args))
        except (asyncpg.PostgresError, asyncpg.DataError, TypeError) as exc:
            return error_result(exc)
        rows = [self._row(r) for r in records]
        return {"success": True, "data": rows, "count": len(rows)}

    async def count(self, filters: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """How many rows match ``filters``; ``data`` and ``count`` hold the number."""
        args: list[Any] = []
        try:
            query = f"SELECT count(*) FROM {self.spec.qualified}{self._where(filters, args)}"
        except ValueError as exc:
            return error_result(exc)
        try:
            number = await self._df._run("count", lambda c: c.fetchval(query, *args))
        except (asyncpg.PostgresError, asyncpg.DataError, TypeError) as exc:
            return error_result(exc)
        return {"success": True, "data": int(number), "count": int(number)}

    async def _fetch_one(self, operation: str, query: str, args: _Args) -> dict[str, Any]:
        self._df._echo(query)
        try:
            record = await self._df._run(operation, lambda c: c.fetchrow(query, *args))
        except (asyncpg.PostgresError, asyncpg.DataError, TypeError) as exc:
            return error_result(exc)
        if record is None:
            return error_result(LookupError(f"{self.spec.name} {args[0]!r} not found"))
        return {"success": True, "data": self._row(record)}

    async def _write(
        self, operation: str, query: str, args: _Args, missing_id: Any = None
    ) -> dict[str, Any]:
        self._df._echo(query)
        try:
            record = await self._df._run(operation, lambda c: c.fetchrow(query, *args))
        except (asyncpg.PostgresError, asyncpg.DataError, TypeError) as exc:
            return error_result(exc)
        self._cache.clear()
        if record is None:
            return error_result(LookupError(f"{self.spec.name} {missing_id!r} not found"))
        return {"success": True, "data": self._row(record)}
