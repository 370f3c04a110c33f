"""The spec's standard models (User, Product, Order), their session schema and seed data.

The tables live in schema ``pgtdd_models`` of the session database, created once per session
(committed, under an advisory lock) and recorded in the schema cache; tests then use them with
no DDL. Seed rows are inserted inside each test's transaction and rolled back with it.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from psycopg import sql

from pgtdd.models.dataflow import NOW, DataFlow, ModelAPI
from pgtdd.models.schema_cache import SchemaCache, get_schema_cache
from pgtdd.models.spec import ModelSpec, model_spec
from pgtdd.redact import mask_url, redact

MODELS_SCHEMA = "pgtdd_models"
_LOCK_KEY = "pgtdd_models"


class User:
    """A user: name, email, active, created_at, metadata."""

    __schema__ = MODELS_SCHEMA
    name: str
    email: str
    active: bool = True
    created_at: dt.datetime = NOW
    metadata: dict[str, Any] = {}  # noqa: RUF012 - a column default, not shared state


class Product:
    """A product: name, price, category, in_stock, sku, tags."""

    __schema__ = MODELS_SCHEMA
    name: str
    price: float
    category: str
    in_stock: bool = True
    sku: str | None = None
    tags: list[str] = []  # noqa: RUF012 - a column default, not shared state


class Order:
    """An order: user_id, product_id, quantity, total_price, status."""

    __schema__ = MODELS_SCHEMA
    user_id: int
    product_id: int
    quantity: int = 1
    total_price: float
    status: str = "pending"


STANDARD_MODELS: tuple[type, ...] = (User, Product, Order)
_SPECS: tuple[ModelSpec, ...] = tuple(model_spec(cls) for cls in STANDARD_MODELS)

# The spec's seed data. ``user_id``/``product_id`` in orders are 1-based positions in the
# users/products lists; they are mapped to the ids the database assigns.
SEED_DATA: dict[str, list[dict[str, Any]]] = {
    "users": [
        {"name": "Alice Smith", "email": "alice@example.com", "active": True},
        {"name": "Bob Jones", "email": "bob@example.com", "active": True},
        {"name": "Charlie Brown", "email": "charlie@example.com", "active": False},
    ],
    "products": [
        {"name": "Laptop", "price": 999.99, "category": "electronics"},
        {"name": "Mouse", "price": 29.99, "category": "electronics"},
        {"name": "Coffee", "price": 12.99, "category": "food"},
        {"name": "Notebook", "price": 5.99, "category": "office"},
        {"name": "Pen", "price": 1.99, "category": "office"},
    ],
    "orders": [
        dict(user_id=1, product_id=1, quantity=1, total_price=999.99, status="completed"),
        dict(user_id=2, product_id=2, quantity=2, total_price=59.98, status="pending"),
        dict(user_id=1, product_id=3, quantity=1, total_price=12.99, status="shipped"),
    ],
}


def standard_specs() -> tuple[ModelSpec, ...]:
    """The mapped User, Product and Order models."""
    return _SPECS


def database_key(url: str) -> str:
    """How the schema cache names a database (the URL without its password)."""
    return mask_url(url)


class StandardSchemaError(RuntimeError):
    """The standard models' tables could not be created in the session database."""


@dataclass
class SchemaSetup:
    """What one schema check did: cache hits, DDL executed, tables created."""

    cache_hits: int = 0
    cache_misses: int = 0
    ddl_operations: int = 0
    created: list[str] = field(default_factory=list)

    @property
    def from_cache(self) -> bool:
        """True when every model came from the cache and no DDL ran."""
        return self.cache_misses == 0 and self.ddl_operations == 0 and self.cache_hits > 0


async def ensure_standard_schema(url: str, cache: SchemaCache | None = None) -> SchemaSetup:
    """Create the standard tables in ``url``'s database once (committed) and cache that.

    Runs on its own connection, under a transaction-level advisory lock so concurrent
    sessions on one database do not race.
    """
    cache = cache or get_schema_cache()
    key = database_key(url)
    setup = SchemaSetup()
    pending = [s for s in _SPECS if not cache.is_applied(key, s.name, s.ddl_hash)]
    setup.cache_hits = len(_SPECS) - len(pending)
    setup.cache_misses = len(pending)
    if not pending:
        return setup
    try:
        conn = await asyncpg.connect(url)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        raise StandardSchemaError(
            f"could not connect to {mask_url(url)} to create the standard models' tables: "
            f"{redact(str(exc))}"
        ) from exc
    try:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", _LOCK_KEY)
            if await conn.fetchval("SELECT to_regnamespace($1) IS NULL", MODELS_SCHEMA):
                schema = sql.Identifier(MODELS_SCHEMA).as_string(None)
                await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
                cache.record_ddl()
                setup.ddl_operations += 1
            dataflow = DataFlow(connection=conn)
            for spec in pending:
                dataflow.register(spec)
            result = await dataflow.create_tables()
            setup.ddl_operations += dataflow.ddl_operations
            setup.created = result["created"]
    finally:
        await conn.close()
    for spec in pending:
        cache.cache_schema(spec.name, spec.ddl())
        cache.mark_applied(key, spec.name, spec.ddl_hash)
    return setup


def bind_standard_models(
    dataflow: DataFlow, url: str, cache: SchemaCache | None = None
) -> SchemaSetup:
    """Register the standard models on ``dataflow``, marking cached tables as present.

    Models whose tables the cache does not know are left for ``create_tables()`` (DDL inside
    the caller's transaction); the returned :class:`SchemaSetup` counts hits and misses.
    """
    cache = cache or get_schema_cache()
    key = database_key(url)
    setup = SchemaSetup()
    for spec in _SPECS:
        hit = cache.is_applied(key, spec.name, spec.ddl_hash)
        setup.cache_hits += hit
        setup.cache_misses += not hit
        dataflow.register(spec, ensured=hit)
    return setup


class SeedError(RuntimeError):
    """Seed rows could not be inserted."""


def _checked(result: Mapping[str, Any], what: str) -> list[dict[str, Any]]:
    if not result["success"]:
        raise SeedError(f"seeding {what} failed: {result['error']}")
    rows: list[dict[str, Any]] = result["data"]
    return rows


def _position(rows: Sequence[Mapping[str, Any]], index: Any, what: str) -> Any:
    if not isinstance(index, int) or not 1 <= index <= len(rows):
        raise SeedError(f"seed order refers to {what} {index!r}; there are {len(rows)}")
    return rows[index - 1]["id"]


async def seed(
    models: Mapping[str, ModelAPI], data: Mapping[str, Sequence[Mapping[str, Any]]] = SEED_DATA
) -> dict[str, list[dict[str, Any]]]:
    """Insert users, products, then orders (positions mapped to ids); return the rows."""
    data = copy.deepcopy(dict(data))
    users = _checked(await models["User"].bulk_create(data.get("users", [])), "users")
    products = _checked(await models["Product"].bulk_create(data.get("products", [])), "products")
    orders_in = []
    for order in data.get("orders", []):
        mapped = dict(order)
        mapped["user_id"] = _position(users, order["user_id"], "user")
        mapped["product_id"] = _position(products, order["product_id"], "product")
        orders_in.append(mapped)
    orders = _checked(await models["Order"].bulk_create(orders_in), "orders")
    return {"users": users, "products": products, "orders": orders}
