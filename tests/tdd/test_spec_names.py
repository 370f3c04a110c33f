"""The spec's remaining names, called the way the guides show them, on a real server.

``setup_tdd_infrastructure()`` from a user's conftest, ``regression_detector`` without the cache
plugin, ``SchemaCache``'s DDL cache, ``ParallelTestManager`` and ``parallel_safe_test``,
``OPTIMIZED_POOL_CONFIG``, ``DATAFLOW_TDD_MAX_CONNECTIONS``, the ``POSTGRES_*`` variables,
``--db-port`` with an external server, and the guides' logger names.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest

from pgtdd.config.settings import activated, resolve_settings
from pgtdd.isolation.database import TDDDatabaseManager
from pgtdd.serverinfo import ServerInfo
from pgtdd.tdd_support import (
    OPTIMIZED_POOL_CONFIG,
    ParallelTestManager,
    SchemaCache,
    TDDTestContext,
    setup_tdd_infrastructure,
    teardown_tdd_infrastructure,
)
from pgtdd.tdd_support import tdd_test_context as tdd_test_context_utility
from tests.tdd.conftest import RunPytest

# --------------------------------------------------------------------------- conftest setup

CONFTEST = """
import pytest_asyncio
from pgtdd.tdd_support import setup_tdd_infrastructure, teardown_tdd_infrastructure

@pytest_asyncio.fixture(scope="session", loop_scope="session", autouse=True)
async def tdd_session():
    await setup_tdd_infrastructure()
    yield
    await teardown_tdd_infrastructure()
"""

USES_THE_SESSION_SERVER = """
import pytest
from pgtdd.fixtures.keys import MANAGER_KEY
from pgtdd.tdd_support import get_database_manager, tdd_test_context

@pytest.mark.asyncio
async def test_on_the_session_server(request):
    session = request.config.stash[MANAGER_KEY].session
    assert session is not None, "the session server was not provisioned"
    assert get_database_manager().connection_string == session.url
    async with tdd_test_context() as context:
        assert await context.connection.fetchval("SELECT 1") == 1
"""


def test_setup_from_a_conftest_uses_the_sessions_external_server(
    run_pytest: RunPytest, tmp_path: Path, pgtdd_server: ServerInfo
) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "mine.yaml").write_text(
        f"provider: external\nurl: {pgtdd_server.url}\ntest_database: true\n"
    )
    # no TEST_DATABASE_URL: only the session knows the server
    env = {"PGTDD_PROFILE": str(tmp_path / "mine.yaml"), "TEST_DATABASE_URL": None}
    result = run_pytest(USES_THE_SESSION_SERVER, env=env)
    assert "1 passed" in result.outcomes(), result.output


def test_setup_from_a_conftest_starts_the_sessions_container(
    run_pytest: RunPytest, tmp_path: Path, pgtdd_server: ServerInfo
) -> None:
    if pgtdd_server.provider != "container":
        pytest.skip("needs Docker: the session runs a container profile when it has Docker")
    (tmp_path / "conftest.py").write_text(CONFTEST)
    env = {"PGTDD_PROFILE": "container", "TEST_DATABASE_URL": None, "PGTDD_PORT": "0"}
    result = run_pytest(USES_THE_SESSION_SERVER, env=env)
    assert "1 passed" in result.outcomes(), result.output


# --------------------------------------------------------------------------- regression_detector

USES_THE_DETECTOR = """
def test_detects(regression_detector):
    verdict = regression_detector.check_regression("fixture_setup", 2.0)
    assert verdict["regression_detected"] is False
    print("BASELINE", regression_detector.baseline_file)
"""


def test_regression_detector_works_without_the_cache_plugin(
    run_pytest: RunPytest, tmp_path: Path
) -> None:
    result = run_pytest(USES_THE_DETECTOR, "-s")  # run_pytest passes -p no:cacheprovider
    assert "1 passed" in result.outcomes(), result.output
    default = tmp_path / ".pgtdd" / "tdd_performance_baseline.json"
    assert json.loads(default.read_text())["pending"] == {"fixture_setup": [2.0]}
    result = run_pytest(USES_THE_DETECTOR, "-s", "--pgtdd-regression-file", "perf/base.json")
    assert "1 passed" in result.outcomes(), result.output
    assert (tmp_path / "perf" / "base.json").is_file()


# --------------------------------------------------------------------------- SchemaCache

schema_cache = SchemaCache()


async def schema_caching_example(context: TDDTestContext) -> None:
    """Test using schema caching for performance (the performance guide's example body)"""
    connection = context.connection

    # Generate schema hash
    schema_definition = """
        CREATE TEMP TABLE users (
            id SERIAL PRIMARY KEY,
            name VARCHAR(100),
            email VARCHAR(255)
        )
    """
    schema_hash = hashlib.md5(schema_definition.encode()).hexdigest()

    # Check cache first
    cached_ddl = schema_cache.get_cached_ddl(schema_hash)
    if cached_ddl:
        # Use cached version (faster)
        await connection.execute(cached_ddl)
    else:
        # Execute and cache
        await connection.execute(schema_definition)
        schema_cache.cache_ddl(schema_hash, schema_definition)
    assert await connection.fetchval("SELECT to_regclass('pg_temp.users') IS NOT NULL") is True


@pytest.mark.asyncio
async def test_with_schema_caching(tdd_test_context: TDDTestContext) -> None:
    schema_cache.clear()
    await schema_caching_example(tdd_test_context)  # a miss: executed and cached
    assert schema_cache.cache_stats == {"hits": 0, "misses": 1, "ddl_operations_saved": 0}
    async with tdd_test_context_utility(nested=False) as other:  # another test's connection
        await schema_caching_example(other)  # a hit
    assert schema_cache.cache_stats == {"hits": 1, "misses": 1, "ddl_operations_saved": 1}
    assert schema_cache.get_cache_efficiency() == 50.0
    assert len(schema_cache.cache) == 1


def test_cache_efficiency_counts_every_lookup() -> None:
    cache = SchemaCache()
    assert cache.get_cache_efficiency() == 0.0  # no lookup yet
    cache.cache_ddl("h1", "CREATE TABLE t (id int)")
    assert cache.get_cached_ddl("h2") is None
    for _ in range(3):
        assert cache.get_cached_ddl("h1") == "CREATE TABLE t (id int)"
    assert cache.get_cache_efficiency() == 75.0
    assert cache.cache_stats["ddl_operations_saved"] == 3
    assert SchemaCache(enabled=False).get_cached_ddl("h1") is None


# --------------------------------------------------------------------------- ParallelTestManager

HOLDER = """
import sys
from pgtdd.tdd_support import ParallelTestManager
manager = ParallelTestManager()
print(manager.allocate("worker_test", ["table_users"]), flush=True)
sys.stdin.read()
"""


@pytest.mark.asyncio
async def test_resources_are_claimed_across_the_runs_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = f"test-{uuid.uuid4().hex}"
    monkeypatch.setenv("PYTEST_XDIST_TESTRUNUID", run)  # as xdist sets it in every worker
    worker = subprocess.Popen(
        [sys.executable, "-c", HOLDER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTEST_XDIST_TESTRUNUID": run},
    )
    try:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "True"
        manager = ParallelTestManager()
        assert await manager.allocate_resources("my_test", ["table_users", "table_x"]) is False
        assert manager.resource_locks == {} and manager.active_tests == set()  # all or none
        assert "worker_test" in str(manager.holder_of("table_users"))
    finally:
        worker.kill()  # a dead worker's claims end with it
        worker.communicate()
    assert await manager.allocate_resources("my_test", ["table_users", "table_x"]) is True
    assert manager.resource_locks == {"table_users": "my_test", "table_x": "my_test"}
    await manager.release_resources("my_test")
    assert manager.resource_locks == {} and manager.active_tests == set()


@pytest.mark.asyncio
async def test_claims_in_one_process_and_max_concurrent() -> None:
    first, second = ParallelTestManager(max_concurrent=1), ParallelTestManager()
    assert await first.allocate_resources("a", ["r1"]) is True
    assert await second.allocate_resources("b", ["r1"]) is False  # another manager's claim
    assert await first.allocate_resources("c", ["r2"]) is False  # max_concurrent=1 reached
    await first.release_resources("a")
    assert await second.allocate_resources("b", ["r1"]) is True
    await second.release_resources("b")


def test_parallel_safe_test(parallel_safe_test: tuple[str, list[str]]) -> None:
    test_id, resources = parallel_safe_test
    assert test_id.startswith("parallel_") and len(test_id) == len("parallel_") + 8
    assert resources == [f"table_users_{test_id}", f"table_orders_{test_id}"]
    assert ParallelTestManager().allocate("someone_else", resources) is False  # held for us


# --------------------------------------------------------------------------- OPTIMIZED_POOL_CONFIG


@pytest.mark.asyncio
async def test_optimized_pool_config_opens_the_profiles_pool(
    pgtdd_server: ServerInfo, tmp_path: Path
) -> None:
    path = tmp_path / "pool.yaml"
    path.write_text(
        f"provider: external\nurl: {pgtdd_server.url}\ntest_database: true\n"
        "pool:\n  min_size: 1\n  max_size: 2\ntimeouts:\n  statement: 7\n"
    )
    with activated(resolve_settings(cli_profile=str(path), environ={})):
        config = dict(OPTIMIZED_POOL_CONFIG)
        pool = await asyncpg.create_pool(pgtdd_server.url, **OPTIMIZED_POOL_CONFIG)
    try:
        assert (pool.get_min_size(), pool.get_max_size(), pool.get_size()) == (1, 2, 1)
        async with pool.acquire() as conn:  # Pre-warm connections
            assert await conn.fetchval("SHOW jit") == "off"
    finally:
        await pool.close()
    assert config["command_timeout"] == 7.0 and "shared_preload_libraries" not in config


# --------------------------------------------------------------------------- variables, options

NEEDS_SERVER = """
def test_db(pgtdd_server):
    print("SERVER", pgtdd_server.port)
"""


def test_max_connections_variable_refuses_a_run_that_cannot_fit(run_pytest: RunPytest) -> None:
    env = {"DATAFLOW_TDD_POOL_SIZE": "5", "DATAFLOW_TDD_MAX_CONNECTIONS": "6"}
    result = run_pytest(NEEDS_SERVER, env=env)
    assert result.returncode == 3, result.output
    assert "pool.max_connections = 6 (env DATAFLOW_TDD_MAX_CONNECTIONS)" in result.output
    roomy = run_pytest(NEEDS_SERVER, env={**env, "DATAFLOW_TDD_MAX_CONNECTIONS": "8"})
    assert "1 passed" in roomy.outcomes(), roomy.output


def test_postgres_variables_point_the_local_profile_at_a_server(
    run_pytest: RunPytest, pgtdd_server: ServerInfo
) -> None:
    env = {
        "TEST_DATABASE_URL": None,
        "POSTGRES_HOST": pgtdd_server.host,
        "POSTGRES_PORT": str(pgtdd_server.port),
        "POSTGRES_USER": pgtdd_server.user,
        "POSTGRES_PASSWORD": pgtdd_server.password,
        "POSTGRES_DB": pgtdd_server.database,
    }
    result = run_pytest(NEEDS_SERVER, "-s", env=env)
    assert "1 passed" in result.outcomes(), result.output
    assert f"SERVER {pgtdd_server.port}" in result.output
    assert pgtdd_server.password not in result.output or not pgtdd_server.password


def test_db_port_with_an_external_profile_sets_the_urls_port(
    run_pytest: RunPytest, pgtdd_server: ServerInfo
) -> None:
    wrong = pgtdd_server.url.replace(f":{pgtdd_server.port}/", ":1/")
    env = {"TEST_DATABASE_URL": wrong}
    result = run_pytest(NEEDS_SERVER, "-s", f"--db-port={pgtdd_server.port}", env=env)
    assert "1 passed" in result.outcomes(), result.output
    assert "url=env TEST_DATABASE_URL with the port of --db-port" in result.output
    refused = run_pytest(NEEDS_SERVER, "--db-image=my/pg:15", env=env)
    assert "--db-image applies to container profiles" in refused.output


def test_profilers_use_the_postgres_variables(pgtdd_server: ServerInfo) -> None:
    from pgtdd.migrations.performance import MigrationPerformanceProfiler

    parts = urlsplit(pgtdd_server.url)
    env = {
        "POSTGRES_HOST": str(parts.hostname),
        "POSTGRES_PORT": str(parts.port),
        "POSTGRES_USER": pgtdd_server.user,
        "POSTGRES_PASSWORD": pgtdd_server.password,
        "POSTGRES_DB": pgtdd_server.database,
    }
    profile = MigrationPerformanceProfiler(env=env).profile_operation("SELECT", "SELECT 1")
    assert profile.success is True and profile.duration_seconds is not None


# --------------------------------------------------------------------------- logger names


@pytest.mark.asyncio
async def test_the_guides_logger_configuration_reaches_pgtdds_logs(
    pgtdd_server: ServerInfo, caplog: pytest.LogCaptureFixture
) -> None:
    assert logging.getLogger("dataflow.testing") is logging.getLogger("pgtdd")
    assert logging.getLogger("dataflow.testing.tdd_support") is logging.getLogger("pgtdd.isolation")
    manager = TDDDatabaseManager(pool_id="spec_logging")
    with caplog.at_level(logging.DEBUG, logger="dataflow.testing"):
        assert logging.getLogger("pgtdd").level == logging.DEBUG
        await setup_tdd_infrastructure(pgtdd_server.url, manager=manager)
        await teardown_tdd_infrastructure(manager=manager)
    names = {(r.name, r.getMessage().split(" on ")[0]) for r in caplog.records}
    assert ("pgtdd.isolation.runner", "TDD pool ready") in names
    assert ("pgtdd.isolation.runner", "closing the TDD pool") in names


EARLY_LOGGER = """
import logging
early = logging.getLogger("dataflow.testing")
early.setLevel(logging.DEBUG)
child = logging.getLogger("dataflow.testing.tdd_support.extra")
import pgtdd.tdd_support
print(logging.getLogger("pgtdd").level, child.parent.name,
      logging.getLogger("dataflow.testing") is logging.getLogger("pgtdd"))
"""


def test_a_logger_configured_before_pgtdd_is_imported_is_merged() -> None:
    out = subprocess.run(
        [sys.executable, "-c", EARLY_LOGGER], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [str(logging.DEBUG), "pgtdd.isolation", "True"]


# --------------------------------------------------------------------------- variables set later


def configure_for_ci() -> None:
    """Configure TDD for CI environment (the troubleshooting guide's example)"""
    import os

    # CI environment detection
    ci_environments = ["CI", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS"]
    in_ci = any(os.getenv(env) for env in ci_environments)

    if in_ci:
        # CI-specific settings
        os.environ["DATAFLOW_TDD_POOL_SIZE"] = "3"
        os.environ["DATAFLOW_TDD_TIMEOUT"] = "15"
        os.environ["DATAFLOW_TDD_MAX_CONNECTIONS"] = "10"

        # Enable additional logging in CI
        import logging

        logging.getLogger("dataflow.testing").setLevel(logging.DEBUG)


def test_variables_set_during_the_session_apply_from_then_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pgtdd.config.settings import TDD_VARIABLES, current
    from pgtdd.isolation.context import setting_source

    for name in TDD_VARIABLES:  # recorded, so monkeypatch restores what configure_for_ci sets
        monkeypatch.setenv(name, "1")
        monkeypatch.delenv(name)
    monkeypatch.setenv("CI", "true")
    level = logging.getLogger("pgtdd").level
    try:
        configure_for_ci()
        settings = current()
        assert settings is not None
        pool = settings.profile.pool
        assert (pool.max_size, pool.max_connections) == (3, 10)
        assert TDDTestContext().timeout == 15
        source = setting_source("timeouts.statement")
        assert source == "timeouts.statement (env DATAFLOW_TDD_TIMEOUT)"
        assert logging.getLogger("pgtdd").level == logging.DEBUG
    finally:
        logging.getLogger("pgtdd").setLevel(level)
    monkeypatch.setenv("DATAFLOW_TDD_TIMEOUT", "7")
    assert TDDTestContext().timeout == 7
