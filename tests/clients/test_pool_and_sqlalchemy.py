"""psycopg_pool and SQLAlchemy (sync and asyncio) on the test's transaction: their commits and
rollbacks nest as savepoints, nothing outlives the test, escapes are named."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Integer, String, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from pgtdd.clients import sa
from pgtdd.clients.pool import PgtddConnectionPool
from pgtdd.clients.slots import ConnectionSlot
from pgtdd.clients.transaction import ClientTest, report
from pgtdd.isolation.context import TDDIsolationError
from pgtdd.serverinfo import ServerInfo
from tests.clients.conftest import Outside, count


class Base(DeclarativeBase):
    pass


class Pet(Base):
    __tablename__ = "pets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


def named(name: str) -> ClientTest:
    """A test's transaction settings, named ``name``."""
    return ClientTest(test_id=name, through="the test's engine")


@pytest.fixture
def engines(fresh: ServerInfo, outside: Outside) -> Iterator[sa.EngineSlot]:
    outside.execute("CREATE TABLE pets (id serial PRIMARY KEY, name varchar(50))")
    slot = sa.EngineSlot(fresh)
    yield slot
    slot.close()


def test_a_pool_hands_out_the_test_connection_and_rolls_back_what_was_not_committed(
    slot: ConnectionSlot, outside: Outside
) -> None:
    outside.execute("CREATE TABLE stock (n int)")
    with slot.test(named("pooled")) as conn:
        pool = PgtddConnectionPool(conn)
        with pool.connection() as pooled:
            assert pooled is conn
            pooled.execute("INSERT INTO stock VALUES (1)")  # committed at the block's end
        with pytest.raises(KeyError), pool.connection() as pooled:
            pooled.execute("INSERT INTO stock VALUES (2)")
            raise KeyError
        taken = pool.getconn()
        taken.execute("INSERT INTO stock VALUES (3)")
        pool.putconn(taken)  # returned in a transaction: rolled back, as the real pool does
        with pool.connection() as pooled, pooled.transaction():
            pooled.execute("INSERT INTO stock VALUES (4)")
        assert conn.execute("SELECT n FROM stock ORDER BY n").fetchall() == [(1,), (4,)]
        assert not pool.closed and pool.get_stats()["pool_size"] == 1
    assert count(outside, "stock") == 0


def test_sqlalchemy_session_connection_and_engine_share_the_test_transaction(
    engines: sa.EngineSlot, outside: Outside
) -> None:
    binding = sa.bind(engines, named("orm"))
    try:
        session = Session(bind=binding.connection, join_transaction_mode="create_savepoint")
        session.add(Pet(name="rex"))
        session.commit()
        with binding.engine.begin() as conn:  # code that takes an engine: a savepoint
            conn.execute(text("INSERT INTO pets (name) VALUES ('tom')"))
        with binding.engine.connect() as conn:  # not committed: undone when it closes
            conn.execute(text("INSERT INTO pets (name) VALUES ('gone')"))
        with Session(binding.engine) as other:
            other.add(Pet(name="kit"))
            other.commit()
        names = session.scalars(select(Pet.name).order_by(Pet.name)).all()
        assert names == ["kit", "rex", "tom"]
        session.close()
        assert count(outside, "pets") == 0
    finally:
        report(sa.unbind(engines, binding, test_failed=False))
    assert count(outside, "pets") == 0
    again = sa.bind(engines, named("next"))  # the engine serves the next test, clean
    try:
        assert again.connection.execute(text("SELECT count(*) FROM pets")).scalar() == 0
    finally:
        report(sa.unbind(engines, again, test_failed=False))


def test_sqlalchemy_escape_is_reported(
    engines: sa.EngineSlot, fresh: ServerInfo, outside: Outside
) -> None:
    binding = sa.bind(engines, named("side-engine"))
    try:
        with psycopg.connect(fresh.url, autocommit=True) as side:
            side.execute("INSERT INTO pets (name) VALUES ('escaped')")
    finally:
        result = sa.unbind(engines, binding, test_failed=False)
    with pytest.raises(TDDIsolationError, match=r"INSERT on public\.pets"):
        report(result)


@pytest.mark.asyncio
async def test_async_session_on_the_test_transaction(
    engines: sa.EngineSlot, outside: Outside
) -> None:
    binding = await sa.abind(engines, named("async-orm"))
    try:
        session = AsyncSession(bind=binding.connection, join_transaction_mode="create_savepoint")
        session.add(Pet(name="rex"))
        await session.commit()
        async with binding.engine.begin() as conn:
            await conn.execute(text("INSERT INTO pets (name) VALUES ('tom')"))
        session.add(Pet(name="rolled back"))
        await session.rollback()
        names = (await session.scalars(select(Pet.name).order_by(Pet.name))).all()
        assert names == ["rex", "tom"]
        await session.close()
    finally:
        result = await sa.aunbind(engines, binding, test_failed=False)
    report(result)
    assert count(outside, "pets") == 0
    await engines.aclose()
