"""The plugin seen from outside: header, bad input, lazy start, fast failure without Docker."""

from __future__ import annotations

import pytest

from pgtdd.serverinfo import ServerInfo
from tests.majors import session_version

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
    assert "pip install 'pgtdd[embedded]'" in out  # the way out with neither Docker nor PostgreSQL
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
    assert pgtdd_server.version.startswith(str(session_version()))
    assert pgtdd_server.major == session_version() == pgtdd_server.version_num // 10000
    assert pgtdd_server.provider in ("container", "external", "native")
    assert pgtdd_server.url.startswith("postgresql://")
    assert pgtdd_server.password not in repr(pgtdd_server)
    assert pgtdd_server.password not in pgtdd_server.safe_url
    if pgtdd_server.provider != "external":
        assert pgtdd_server.settings["fsync"] == "off"
        assert pgtdd_server.settings["jit"] == "off"


def test_header_shows_the_version_asked_where_from_and_the_servers_own(
    pytester: pytest.Pytester, pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_DATABASE_URL", pgtdd_server.url)
    monkeypatch.setenv("PGTDD_PG_VERSION", "15")  # the option beats the variable
    pytester.makepyfile(DB_TEST)
    major = session_version()
    result = pytester.runpytest_subprocess(
        "--db-profile", "local", "--db-version", str(major), "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1)
    out = result.stdout.str()
    assert f"PostgreSQL {major} asked (--db-version)" in out
    assert (
        f"pgtdd: PostgreSQL {pgtdd_server.version} (server_version_num {pgtdd_server.version_num})"
        in out
    )


def test_a_server_of_another_major_than_asked_stops_the_run(
    pytester: pytest.Pytester, pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = 15 if session_version() != 15 else 18
    monkeypatch.setenv("TEST_DATABASE_URL", pgtdd_server.url)
    pytester.makepyfile(DB_TEST)
    result = pytester.runpytest_subprocess("--db-profile", "local", "--db-version", str(other))
    assert result.ret == 3
    out = result.stdout.str() + result.stderr.str()
    assert f"PostgreSQL {other} was asked for (version from --db-version)" in out
    assert f"is {pgtdd_server.version} (server_version_num {pgtdd_server.version_num})" in out
    assert (
        f"point TEST_DATABASE_URL (or the profile's url) at a server of PostgreSQL {other}" in out
    )
    result.assert_outcomes()


def test_an_unsupported_version_stops_the_run_before_anything_starts(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No engine to reach: the version is refused before any provider would try one.
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    pytester.makepyfile(DB_TEST)
    result = pytester.runpytest_subprocess("--db-version", "99", timeout=60)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*--db-version: PostgreSQL '99' is not a version pgtdd provisions; choose one of "
            "15, 16, 17, 18*"
        ]
    )
    assert "Docker" not in result.stdout.str() + result.stderr.str()
    assert "passed" not in result.stdout.str()  # no test ran (a usage error has no summary)
