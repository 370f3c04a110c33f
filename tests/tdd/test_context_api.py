"""TDD mode, ``TDDTestContext`` fields and the environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgtdd.config.profile import ProfileError
from pgtdd.config.settings import activated, resolve_settings
from pgtdd.serverinfo import ServerInfo
from pgtdd.tdd_support import (
    DEFAULT_DATABASE_URL,
    TDDDatabaseManager,
    TDDTestContext,
    configured_pool_size,
    configured_timeout,
    is_tdd_mode,
    resolve_database_url,
)
from tests.tdd.conftest import RunPytest


@pytest.mark.parametrize("value", ["true", "yes", "1", "on", "enabled", "TRUE", "Yes", " On "])
def test_tdd_mode_on_values(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("DATAFLOW_TDD_MODE", value)
    assert is_tdd_mode() is True


@pytest.mark.parametrize("value", ["false", "0", "off", "no", "", "disabled", "tru"])
def test_tdd_mode_off_values(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("DATAFLOW_TDD_MODE", value)
    assert is_tdd_mode() is False


def test_tdd_mode_off_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATAFLOW_TDD_MODE", raising=False)
    assert is_tdd_mode() is False


def test_plugin_turns_tdd_mode_on_for_the_session() -> None:
    # This suite does not set DATAFLOW_TDD_MODE; the plugin did.
    assert is_tdd_mode() is True


def test_context_defaults() -> None:
    # The statement timeout is the profile's (30 s in the container profile; the ci profile,
    # picked when CI is set, says 15 s).
    with activated(resolve_settings(cli_profile="container", environ={})):
        context = TDDTestContext()
    assert context.test_id.startswith("tdd_") and len(context.test_id) == 16
    assert context.savepoint_name.startswith("sp_")
    assert context.isolation_level == "READ COMMITTED"
    assert context.timeout == 30
    assert context.rollback_on_error is True
    assert context.connection is None
    assert context.savepoint_created is False
    assert context.metadata == {}


def test_context_ids_are_unique() -> None:
    contexts = [TDDTestContext() for _ in range(500)]
    assert len({c.test_id for c in contexts}) == 500
    assert len({c.savepoint_name for c in contexts}) == 500


def test_context_keeps_given_values() -> None:
    context = TDDTestContext(
        test_id="custom_test_id",
        isolation_level="serializable",
        timeout=60,
        rollback_on_error=False,
        savepoint_name="custom_sp",
        metadata={"k": 1},
    )
    assert (context.test_id, context.isolation_level, context.timeout) == (
        "custom_test_id",
        "SERIALIZABLE",
        60,
    )
    assert (context.savepoint_name, context.rollback_on_error, context.metadata) == (
        "custom_sp",
        False,
        {"k": 1},
    )


@pytest.mark.parametrize("name", ["sp; DROP TABLE x", "Custom", "1sp", "sp-1", "a" * 64, 'sp"', ""])
def test_savepoint_name_is_validated(name: str) -> None:
    if name == "":
        assert TDDTestContext(savepoint_name=name).savepoint_name.startswith("sp_")
        return
    with pytest.raises(ValueError, match="invalid savepoint name"):
        TDDTestContext(savepoint_name=name)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("read_committed", "READ COMMITTED"), ("Repeatable  Read", "REPEATABLE READ")],
)
def test_isolation_level_is_normalized(given: str, expected: str) -> None:
    assert TDDTestContext(isolation_level=given).isolation_level == expected


def test_unknown_isolation_level_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown isolation level 'SNAPSHOT'"):
        TDDTestContext(isolation_level="SNAPSHOT")


def test_negative_timeout_is_refused() -> None:
    with pytest.raises(ValueError, match="timeout must be >= 0"):
        TDDTestContext(timeout=-1)


def test_timeout_from_environment() -> None:
    settings = resolve_settings(cli_profile="ci", environ={"DATAFLOW_TDD_TIMEOUT": "12"})
    assert settings.profile.timeouts.statement == 12
    assert settings.profile.source_of("timeouts.statement") == "env DATAFLOW_TDD_TIMEOUT"
    with activated(settings):
        assert configured_timeout() == 12
        assert TDDTestContext().timeout == 12


def test_timeout_defaults_to_the_profile_statement_timeout() -> None:
    with activated(resolve_settings(cli_profile="ci", environ={})):
        assert configured_timeout() == 15  # profiles/ci.yaml: timeouts.statement
        assert TDDTestContext().timeout == 15


def test_pool_size_from_environment() -> None:
    settings = resolve_settings(cli_profile="ci", environ={"DATAFLOW_TDD_POOL_SIZE": "9"})
    assert settings.profile.source_of("pool.max_size") == "env DATAFLOW_TDD_POOL_SIZE"
    with activated(settings):
        assert configured_pool_size() == 9


@pytest.mark.parametrize("value", ["zero", "0", "-3", "2.5"])
def test_bad_pool_size_names_the_variable(value: str) -> None:
    with pytest.raises(ProfileError, match="DATAFLOW_TDD_POOL_SIZE"):
        resolve_settings(environ={"DATAFLOW_TDD_POOL_SIZE": value})


def test_database_url_prefers_the_session_server(
    monkeypatch: pytest.MonkeyPatch,
    pgtdd_server: ServerInfo,
    pgtdd_tdd_infrastructure: TDDDatabaseManager,
) -> None:
    monkeypatch.setenv("TEST_DATABASE_URL", "postgresql://u@envhost/envdb")
    assert resolve_database_url() == pgtdd_server.url
    assert pgtdd_tdd_infrastructure.connection_string == pgtdd_server.url
    assert resolve_database_url("postgresql://x@h/db") == "postgresql://x@h/db"


def test_database_url_falls_back_to_env_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from pgtdd.isolation import context as tdd_context

    monkeypatch.setattr(tdd_context, "_session_url", None)
    monkeypatch.setenv("TEST_DATABASE_URL", "postgresql://u@envhost/envdb")
    assert resolve_database_url() == "postgresql://u@envhost/envdb"
    monkeypatch.delenv("TEST_DATABASE_URL")
    assert resolve_database_url() == DEFAULT_DATABASE_URL


TDD_OFF_TEST = """
import pytest

@pytest.mark.asyncio
async def test_needs_tdd(tdd_test_context):
    assert tdd_test_context.connection is not None
"""


def test_fixtures_say_how_to_turn_tdd_mode_on(run_pytest: RunPytest) -> None:
    result = run_pytest(TDD_OFF_TEST, env={"DATAFLOW_TDD_MODE": "off"})
    assert result.returncode == 0, result.output
    assert "1 skipped" in result.outcomes(), result.output
    assert "TDD mode is off (DATAFLOW_TDD_MODE='off')" in result.output
    assert "DATAFLOW_TDD_MODE=true" in result.output


def test_fixtures_run_when_tdd_mode_is_unset(run_pytest: RunPytest) -> None:
    result = run_pytest(TDD_OFF_TEST, env={"DATAFLOW_TDD_MODE": None})
    assert "1 passed" in result.outcomes(), result.output


POOL_SIZE_TEST = """
import pytest
from pgtdd.tdd_support import get_database_manager

@pytest.mark.asyncio
async def test_pool_size(tdd_test_context):
    manager = get_database_manager()
    pool = manager.connection_pool
    floor = manager.pool_manager.get_pool_statistics(manager.pool_id)["min_size"]
    print(f"POOL {floor} {pool.get_max_size()} {pool.get_size()}")
"""

PROFILE_WITH_POOL_3 = """\
provider: external
url: ${TEST_DATABASE_URL}
test_database: true
pool:
  min_size: 1
  max_size: 3
"""


def test_pool_size_from_the_environment_variable(run_pytest: RunPytest) -> None:
    result = run_pytest(POOL_SIZE_TEST, "-s", env={"DATAFLOW_TDD_POOL_SIZE": "2"})
    assert "POOL 2 2 2" in result.output, result.output


def test_pool_size_defaults_to_the_profile_pool(run_pytest: RunPytest, tmp_path: Path) -> None:
    (tmp_path / "small.yaml").write_text(PROFILE_WITH_POOL_3)
    result = run_pytest(POOL_SIZE_TEST, "-s", env={"PGTDD_PROFILE": str(tmp_path / "small.yaml")})
    # pool.min_size connections are opened (and warmed) at start, up to pool.max_size on demand
    assert "POOL 1 3 1" in result.output, result.output
