"""The README's "Declaring more fixtures" block, as a user's conftest would hold it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from pgtdd import psycopg_fixture, sqlalchemy_binding_fixture, sqlalchemy_fixture

serial_conn = psycopg_fixture(isolation_level="SERIALIZABLE", timeout=5, name="serial_conn")
serial_binding = sqlalchemy_binding_fixture(isolation_level="SERIALIZABLE", name="serial_binding")
serial_session = sqlalchemy_fixture(binding="serial_binding", expire_on_commit=False,
                                    name="serial_session")


def test_the_declared_psycopg_fixture(serial_conn: Any) -> None:
    assert serial_conn.execute("SHOW transaction_isolation").fetchone() == ("serializable",)
    assert serial_conn.execute("SHOW statement_timeout").fetchone() == ("5s",)


def test_the_declared_sqlalchemy_fixtures(serial_session: Any) -> None:
    level = serial_session.execute(text("SHOW transaction_isolation")).scalar()
    assert level == "serializable"
    assert serial_session.expire_on_commit is False
