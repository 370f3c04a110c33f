"""The plugin seen from outside: header, bad input, lazy start, fast failure without Docker."""

from __future__ import annotations

import pytest

from pgtdd.server import ServerInfo

DB_TEST = """
def test_db(pgtdd_server):
    import psycopg
    with psycopg.connect(pgtdd_server.url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
"""


def test_header_names_profile_source_provider_version_and_masks_the_password(
    pytester: pytest.Pytester, pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_DATABASE_URL", pgtdd_server.url)
    pytester.makepyfile(DB_TEST)
    result = pytester.runpytest_subprocess("--db-profile", "local", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    out = result.stdout.str()
    assert "pgtdd: profile local (chosen by --db-profile" in out
    assert "provider external" in out
    assert f"pgtdd: PostgreSQL {pgtdd_server.version}" in out
    assert pgtdd_server.safe_url in out
    assert "url=env TEST_DATABASE_URL" in out
    assert pgtdd_server.password not in out + result.stderr.str()


def test_env_profile_choice_is_reported(
    pytester: pytest.Pytester, pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_DATABASE_URL", pgtdd_server.url)
    monkeypatch.setenv("PGTDD_PROFILE", "local")
    pytester.makepyfile(DB_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["pgtdd: profile local (chosen by env PGTDD_PROFILE*"])


def test_bad_profile_stops_the_run_with_file_and_line(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", mine="provider: container\nimage: x\nhost_prot: 1\n")
    pytester.makepyfile(DB_TEST)
    result = pytester.runpytest_subprocess("--db-profile", "mine.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*mine.yaml:3: unknown key 'host_prot'; valid keys:*"])


def test_unknown_profile_name_lists_choices(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(DB_TEST)
    result = pytester.runpytest_subprocess("--db-profile", "staging")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown profile 'staging'; valid profiles: ci, container*"])


def test_no_docker_fails_fast_naming_the_ways_out(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    pytester.makepyfile(DB_TEST)
    result = pytester.runpytest_subprocess("--db-profile", "container")
    assert result.ret == 3
    out = result.stdout.str() + result.stderr.str()
    assert "Docker is not reachable" in out
    assert "start Docker" in out and "--db-profile local" in out and "--db-profile native" in out
    result.assert_outcomes()  # no test ran


def test_tests_without_a_database_start_no_server(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    pytester.makepyfile("def test_plain():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest_subprocess("--db-profile", "container")
    result.assert_outcomes(passed=1)
    assert "pgtdd: PostgreSQL" not in result.stdout.str()


def test_wrong_password_names_the_cause_without_the_password(
    pytester: pytest.Pytester, pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = pgtdd_server.url.replace(pgtdd_server.password, "Wr0ngSecret", 1)
    monkeypatch.setenv("TEST_DATABASE_URL", wrong)
    pytester.makepyfile(DB_TEST)
    result = pytester.runpytest_subprocess("--db-profile", "local")
    assert result.ret == 3
    out = result.stdout.str() + result.stderr.str()
    assert "password" in out and "rejected" in out
    assert "Wr0ngSecret" not in out


def test_wrong_database_name_is_named(
    pytester: pytest.Pytester, pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_DATABASE_URL", pgtdd_server.url_for("no_such_db"))
    pytester.makepyfile(DB_TEST)
    result = pytester.runpytest_subprocess("--db-profile", "local")
    assert result.ret == 3
    result.stdout.fnmatch_lines(["*Database 'no_such_db' does not exist: check the database name*"])


def test_session_server_fixture_describes_the_server(pgtdd_server: ServerInfo) -> None:
    assert pgtdd_server.version.startswith("15")
    assert pgtdd_server.provider in ("container", "external", "native")
    assert pgtdd_server.url.startswith("postgresql://")
    assert pgtdd_server.password not in repr(pgtdd_server)
    assert pgtdd_server.password not in pgtdd_server.safe_url
    if pgtdd_server.provider != "external":
        assert pgtdd_server.settings["fsync"] == "off"
        assert pgtdd_server.settings["jit"] == "off"
