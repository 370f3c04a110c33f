"""Model definitions for :mod:`pgtdd.models.dataflow`: class annotations to tables and DDL.

``@df.model`` reads a class's annotations: each becomes a column (Python type to PostgreSQL
type), a class attribute becomes its ``DEFAULT``, ``X | None`` makes it nullable, and an ``id``
``BIGINT`` identity primary key is added. ``__tablename__`` / ``__schema__`` override the
table name (default: snake_case plural of the class name) and schema.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
import types
import typing
import uuid
from dataclasses import dataclass
from typing import Any

from psycopg import sql

from pgtdd.models.schema_cache import ddl_hash


class DataFlowSchemaError(RuntimeError):
    """A model cannot be mapped, or the existing table does not match it."""


class _Now:
    """Sentinel default: ``DEFAULT now()``."""

    def __repr__(self) -> str:
        return "NOW"


NOW: Any = _Now()
_MISSING = object()

_SCALARS: dict[Any, str] = {
    str: "TEXT",
    int: "BIGINT",
    float: "DOUBLE PRECISION",
    bool: "BOOLEAN",
    decimal.Decimal: "NUMERIC",
    dt.datetime: "TIMESTAMPTZ",
    dt.date: "DATE",
    dt.time: "TIME",
    dt.timedelta: "INTERVAL",
    bytes: "BYTEA",
    uuid.UUID: "UUID",
    dict: "JSONB",
    list: "JSONB",
}
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _identifier(name: str, what: str) -> str:
    if not _NAME.match(name):
        raise DataFlowSchemaError(
            f"{what} {name!r} is not a lower-case SQL identifier (letters, digits, '_', at "
            "most 63 characters)"
        )
    return name


def table_name_for(class_name: str) -> str:
    """``OrderItem`` -> ``order_items``; ``Category`` -> ``categories``."""
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", class_name).lower()
    if re.search(r"[^aeiou]y$", snake):
        return snake[:-1] + "ies"
    if snake.endswith(("s", "x", "ch", "sh")):
        return snake + "es"
    return snake + "s"


@dataclass(frozen=True)
class FieldSpec:
    """One column of a model."""

    name: str
    python_type: Any
    sql_type: str
    nullable: bool
    default: Any = _MISSING

    @property
    def required(self) -> bool:
        """True when a create must give this field (no default, not nullable)."""
        return self.default is _MISSING and not self.nullable

    @property
    def is_json(self) -> bool:
        """True for JSONB columns (values are encoded and decoded)."""
        return self.sql_type == "JSONB"

    def default_sql(self) -> str:
        """The column's `` DEFAULT ...`` clause, or an empty string."""
        if self.default is _MISSING:
            return ""
        if self.default is NOW:
            return " DEFAULT now()"
        if self.default is None:
            return " DEFAULT NULL"
        if self.is_json:
            literal = sql.Literal(json.dumps(self.default)).as_string(None)
            return f" DEFAULT {literal}::jsonb"
        if isinstance(self.default, dt.date | dt.time | uuid.UUID | decimal.Decimal):
            literal = sql.Literal(str(self.default)).as_string(None)
            return f" DEFAULT {literal}::{self.sql_type}"
        return f" DEFAULT {sql.Literal(self.default).as_string(None)}"

    def column_sql(self) -> str:
        """The column definition: quoted name, type, nullability, default."""
        ident = sql.Identifier(self.name).as_string(None)
        null = "" if self.nullable else " NOT NULL"
        return f"{ident} {self.sql_type}{null}{self.default_sql()}"


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` -> (X, True); ``list[str]`` -> (list, False)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            raise DataFlowSchemaError(f"only `X | None` unions are supported, not {annotation}")
        inner, _ = _unwrap(args[0])
        return inner, True
    if origin is not None:
        return origin, False
    return annotation, False


def field_spec(name: str, annotation: Any, default: Any) -> FieldSpec:
    """Map one annotation (and the class attribute's value, if any) to a column."""
    base, nullable = _unwrap(annotation)
    sql_type = _SCALARS.get(base)
    if sql_type is None:
        known = ", ".join(sorted(t.__name__ for t in _SCALARS))
        raise DataFlowSchemaError(f"field {name!r}: type {annotation!r} is not mapped ({known})")
    if default is None:
        nullable = True
    return FieldSpec(_identifier(name, "field"), base, sql_type, nullable, default)


@dataclass(frozen=True)
class ModelSpec:
    """A model class mapped to a table."""

    name: str
    cls: type
    table: str
    schema: str | None
    fields: tuple[FieldSpec, ...]

    @property
    def qualified(self) -> str:
        """The table as SQL (quoted, schema-qualified when a schema is set)."""
        parts = [self.schema, self.table] if self.schema else [self.table]
        return sql.Identifier(*parts).as_string(None)

    @property
    def regclass_name(self) -> str:
        """The name ``to_regclass`` understands."""
        return self.qualified

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names, ``id`` first."""
        return ("id", *(f.name for f in self.fields))

    def field(self, name: str) -> FieldSpec | None:
        """The field called ``name``, or None."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        return None

    def create_sql(self) -> str:
        """``CREATE TABLE IF NOT EXISTS`` for this model."""
        columns = ["id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"]
        columns += [f.column_sql() for f in self.fields]
        return f"CREATE TABLE IF NOT EXISTS {self.qualified} ({', '.join(columns)})"

    def ddl(self) -> dict[str, str]:
        """``{table: ddl}`` as kept by the schema cache."""
        return {self.regclass_name: self.create_sql()}

    @property
    def ddl_hash(self) -> str:
        """A hash of the model's DDL (what the schema cache keys on)."""
        return ddl_hash(self.ddl())

    def column_sql(self, name: str) -> str:
        """The definition of the column of field ``name``."""
        spec = self.field(name)
        if spec is None:
            raise DataFlowSchemaError(f"{self.name} has no field {name!r}")
        return spec.column_sql()


def model_spec(cls: type, schema: str | None = None) -> ModelSpec:
    """Read ``cls``'s annotations into a :class:`ModelSpec`."""
    try:
        hints = typing.get_type_hints(cls)
    except NameError as exc:
        raise DataFlowSchemaError(
            f"model {cls.__name__}: cannot resolve an annotation: {exc}"
        ) from exc
    fields = []
    for name, annotation in hints.items():
        if name.startswith("_") or name == "id" or typing.get_origin(annotation) is typing.ClassVar:
            continue
        fields.append(field_spec(name, annotation, cls.__dict__.get(name, _MISSING)))
    if not fields:
        raise DataFlowSchemaError(f"model {cls.__name__} has no annotated fields")
    table = getattr(cls, "__tablename__", None) or table_name_for(cls.__name__)
    schema = getattr(cls, "__schema__", None) or schema
    return ModelSpec(
        name=cls.__name__,
        cls=cls,
        table=_identifier(table, "table name"),
        schema=_identifier(schema, "schema name") if schema else None,
        fields=tuple(fields),
    )
