"""The three approaches' generated suites: same test body, each approach's own isolation.

Every test creates a table, inserts a row and counts it.

* ``pgtdd``: this framework's ``tdd_test_context`` fixture (session container from the
  default ``container`` profile, one pooled connection, a savepoint per test, rolled back);
* ``pytest-postgresql``: its ``postgresql`` fixture (a new database per test, created from a
  template and dropped after), on a ``postgresql_noproc`` server that a
  ``PostgresContainer`` started at session start;
* ``testcontainers``: a plain ``PostgresContainer`` for the session, a new psycopg connection
  per test and a table reset (``DROP TABLE IF EXISTS``) before each test.

All three use the same server image (``PEER_IMAGE``, default ``pgtdd/postgres:18``); the
peers use their own defaults otherwise (testcontainers' credentials, no tmpfs).
"""

from __future__ import annotations

from pathlib import Path

from pgtdd.performance.suite import write_pgtdd_suite

APPROACHES = ("pgtdd", "pytest-postgresql", "testcontainers")

PSYCOPG_TEST = """\
import pytest


@pytest.mark.parametrize("i", range({count}))
def test_item({fixture}, i):
    with {fixture}.cursor() as cur:
        cur.execute("CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)")
        cur.execute("INSERT INTO items (name) VALUES (%s)", (f"item {{i}}",))
        cur.execute("SELECT count(*) FROM items")
        assert cur.fetchone() == (1,)
    {fixture}.commit()
"""

PYTEST_POSTGRESQL_CONFTEST = """\
import os

from pytest_postgresql import factories
from testcontainers.postgres import PostgresContainer

_CONTAINER = None


def pytest_configure(config):
    global _CONTAINER
    _CONTAINER = PostgresContainer(os.environ["PEER_IMAGE"], driver=None).start()
    config.option.postgresql_host = _CONTAINER.get_container_host_ip()
    config.option.postgresql_port = int(_CONTAINER.get_exposed_port(5432))
    config.option.postgresql_user = _CONTAINER.username
    config.option.postgresql_password = _CONTAINER.password
    config.option.postgresql_dbname = "peer_tests"


def pytest_unconfigure(config):
    if _CONTAINER is not None:
        _CONTAINER.stop()


postgresql_noproc = factories.postgresql_noproc()
postgresql = factories.postgresql("postgresql_noproc")
"""

TESTCONTAINERS_CONFTEST = """\
import os

import psycopg
import pytest
from testcontainers.postgres import PostgresContainer


@pytest.fixture(scope="session")
def pg_url():
    with PostgresContainer(os.environ["PEER_IMAGE"], driver=None) as container:
        yield container.get_connection_url()


@pytest.fixture
def connection(pg_url):
    with psycopg.connect(pg_url) as conn:
        conn.execute("DROP TABLE IF EXISTS items")
        conn.commit()
        yield conn
"""

INI = """\
[pytest]
filterwarnings =
    ignore::DeprecationWarning
"""


def write_suite(approach: str, folder: Path, count: int) -> Path:
    """Write the ``approach`` suite of ``count`` tests into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    if approach == "pgtdd":
        return write_pgtdd_suite(folder, count)
    (folder / "pytest.ini").write_text(INI)
    if approach == "pytest-postgresql":
        (folder / "conftest.py").write_text(PYTEST_POSTGRESQL_CONFTEST)
        fixture = "postgresql"
    elif approach == "testcontainers":
        (folder / "conftest.py").write_text(TESTCONTAINERS_CONFTEST)
        fixture = "connection"
    else:
        raise ValueError(f"unknown approach {approach!r}; choose from {', '.join(APPROACHES)}")
    (folder / f"test_{fixture}_{count}.py").write_text(
        PSYCOPG_TEST.format(count=count, fixture=fixture)
    )
    return folder


# pytest plugins each approach turns off: the others' (all are installed in this venv).
# Each suite is a project of its own: the other approaches' plugins are off, and so is
# pytest-django (in pgtdd's development environment for the Django example only; its eight
# autouse fixtures cost every approach about 1 ms a test).
DISABLED_PLUGINS = {
    "pgtdd": ("pytest_postgresql", "django"),
    "pytest-postgresql": ("pgtdd", "django"),
    "testcontainers": ("pgtdd", "pytest_postgresql", "django"),
}
