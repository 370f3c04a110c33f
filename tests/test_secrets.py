"""Secrets: the password appears in no log line, error, warning, header, report or CLI output.

One run captures everything a pytest session with a distinctive password can print (verbose
header, DEBUG log lines of every library on the terminal, failing tests showing each fixture's
repr, driver errors, pgtdd's isolation warnings, JUnit XML, every file the run writes) and the
output of every ``pgtdd`` command that talks to a server; then checks that neither the password
nor its URL-encoded form appears, and that every URL in the output has its password masked.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml

from pgtdd.config.profile import load_profile
from pgtdd.config.settings import resolve_settings
from pgtdd.fixtures.plugin import FIXTURE_MODULES
from pgtdd.fixtures.secrets import mask, session_forms
from pgtdd.providers.ownership import OWNER, OWNER_LABEL, PROFILE_LABEL
from pgtdd.redact import MASK
from pgtdd.serverinfo import ServerInfo
from tests.faults.conftest import (
    INNER_TIMEOUT,
    inner_env,
    inner_project,
    remove_containers,
    require_docker,
    run_inner,
    wait_no_containers,
)

# Distinctive, and full of characters that URL-encoding changes.
PASSWORD = f"Sq{uuid.uuid4().hex[:10]}@/:%?#pw"
URL_PASSWORD = re.compile(r"postgres(?:ql)?://[^:/@\s'\"]+:(?P<pw>[^@\s'\"]*)@")

INNER_TESTS = """
import logging
import warnings

import asyncpg
import psycopg
import pytest

log = logging.getLogger("inner")


def test_server_fixture(pgtdd_server):
    log.debug("server %s / %r", pgtdd_server, pgtdd_server)
    log.info("a user's own log line with the raw URL: %s", pgtdd_server.url)
    warnings.warn(f"a user's own warning with the raw URL: {pgtdd_server.url}")
    with psycopg.connect(pgtdd_server.url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.asyncio
async def test_failure_shows_every_fixture(
    pgtdd_server, tdd_test_context, tdd_dataflow, fast_test_db, pgtdd_tdd_infrastructure
):
    await tdd_test_context.connection.execute("SELECT 1")
    assert False, "deliberate: the report shows each fixture's repr"


@pytest.mark.asyncio
async def test_driver_error(pgtdd_server):
    await asyncpg.connect(pgtdd_server.url_for("no_such_db"))


def test_psycopg_error(pgtdd_server):
    psycopg.connect(pgtdd_server.url_for("no_such_db"))


@pytest.mark.asyncio
async def test_isolation_warning(tdd_test_context):
    try:
        await tdd_test_context.connection.execute("SELECT 1/0")
    except asyncpg.DivisionByZeroError:
        pass
"""


def forms(password: str) -> list[str]:
    """The password as it could leak: raw, URL-encoded (both ways)."""
    return sorted({password, quote(password, safe=""), quote(password)})


def check_no_secret(text: str, where: str) -> None:
    for form in forms(PASSWORD):
        assert form not in text, f"password ({form!r}) printed in {where}"
    for match in URL_PASSWORD.finditer(text):
        assert match["pw"] == MASK, f"unmasked URL in {where}: {match.group(0)}"


@pytest.fixture(scope="module")
def docker_engine() -> Iterator[Any]:
    client = require_docker()
    yield client
    client.close()


@pytest.fixture(scope="module")
def secret_profile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A container profile with the distinctive password (a unique name, for cleanup)."""
    directory = tmp_path_factory.mktemp("secret")
    path = directory / f"secret_{uuid.uuid4().hex[:8]}.yaml"
    path.write_text(yaml.safe_dump({"extends": "container", "host_port": 0, "password": PASSWORD}))
    yield path


def test_a_whole_run_prints_the_password_nowhere(
    docker_engine: Any, secret_profile: Path, tmp_path: Path
) -> None:
    project = inner_project(tmp_path / "p", {"test_inner.py": INNER_TESTS})
    junit = tmp_path / "junit.xml"
    args = [
        "-v",
        "-rA",
        "--db-profile",
        str(secret_profile),
        "--log-level=DEBUG",
        "-o",
        "log_cli=true",
        "-o",
        "log_cli_level=DEBUG",
        f"--junitxml={junit}",
    ]
    run = None
    try:
        run = run_inner(project, inner_env(), *args)
        assert run.returncode == 1, run.out[-3000:]
        assert run.outcomes() == {"passed": 2, "failed": 3, "warnings": 2}, run.out[-2000:]
        # What the run had to show for the check to mean anything:
        assert "pgtdd: PostgreSQL" in run.out and f"{MASK}@" in run.out  # header, masked URL
        assert "DEBUG" in run.out  # log lines of the libraries were on the terminal
        assert "pgtdd_server = ServerInfo(" in run.out  # fixture reprs in the failure report
        assert 'database "no_such_db" does not exist' in run.out
        assert "TDDIsolationWarning" in run.out
        assert "a user's own warning with the raw URL: postgresql://dataflow_test:***@" in run.out
        assert "a user's own log line with the raw URL: postgresql://dataflow_test:***@" in run.out
        assert "ConnectionParameters(user='dataflow_test', password=***" in run.out
        check_no_secret(run.out, "the pytest output")
        for path in sorted(p for p in tmp_path.rglob("*") if p.is_file()):
            if path.suffix in {".py", ".yaml", ".ini"}:
                continue  # the inputs written by this test
            check_no_secret(path.read_text(errors="replace"), str(path.relative_to(tmp_path)))
        assert wait_no_containers(docker_engine, pid=run.pid) == []
    finally:
        if run is not None:
            remove_containers(docker_engine, pid=run.pid)


def pgtdd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pgtdd.cli.main", *args],
        capture_output=True,
        text=True,
        env=inner_env(),
        timeout=INNER_TIMEOUT,
        check=False,
    )


def test_cli_output_never_shows_the_password(docker_engine: Any, secret_profile: Path) -> None:
    profile = str(secret_profile)
    label = f"{PROFILE_LABEL}={secret_profile.stem}"
    try:
        outputs = {
            "up": pgtdd("up", "--profile", profile, "--port", "0"),
            "status": pgtdd("status"),
            "doctor": pgtdd("doctor", "--profile", profile),
            "doctor --json": pgtdd("doctor", "--profile", profile, "--json"),
            "bench": pgtdd(
                "bench", "--profile", profile, "--json", "--scale", "0.02", "--suite-runs", "0",
                "--inner-loop-runs", "0"
            ),
        }
        for name, done in outputs.items():
            assert done.returncode == 0, f"pgtdd {name}: {done.stdout}{done.stderr}"
            check_no_secret(done.stdout + done.stderr, f"pgtdd {name}")
        assert f"URL: postgresql://dataflow_test:{MASK}@" in outputs["up"].stdout
        assert "--show-password" in outputs["up"].stdout
        assert "verified with SHOW" in outputs["doctor"].stdout
    finally:
        for container in docker_engine.containers.list(
            all=True, filters={"label": [f"{OWNER_LABEL}={OWNER}", label]}
        ):
            container.remove(force=True, v=True)


def test_objects_that_hold_the_password_do_not_show_it(pgtdd_server: ServerInfo) -> None:
    settings = resolve_settings(
        cli_profile="local",
        environ={"TEST_DATABASE_URL": pgtdd_server.url.replace(pgtdd_server.password, "x")},
    )
    profile = load_profile("container", environ={})
    server = pgtdd_server
    texts = {
        "ServerInfo repr": repr(server),
        "ServerInfo str": str(server),
        "safe_url": server.safe_url,
        "Profile repr": repr(profile),
        "Settings repr": repr(settings),
    }
    for where, text in texts.items():
        assert server.password not in text, where
        assert profile.password not in text, where
    assert server.password in server.url  # the URL for drivers does carry it


def test_the_secrets_plugin_is_registered_by_the_pgtdd_plugin() -> None:
    assert "pgtdd.fixtures.secrets" in FIXTURE_MODULES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x postgresql://u:Sq1@/:x@host/db y", "x postgresql://u:***@host/db y"),
        ("conninfo password=Sq1@/:x dbname=d", "conninfo password=*** dbname=d"),
        ("encoded postgresql://u:Sq1%40%2F%3Ax@h/d", "encoded postgresql://u:***@h/d"),
        ("other postgresql://v:hunter22@h/d", "other postgresql://v:***@h/d"),
        ("no secret here", "no secret here"),
    ],
)
def test_mask_known_secret_first_then_any_url(text: str, expected: str) -> None:
    forms = session_forms(["Sq1@/:x", "ab"])
    assert mask(text, forms) == expected
    assert "ab" not in forms  # too short to mask without mangling ordinary words


def test_redact_masks_a_known_password_whole_even_with_url_characters() -> None:
    from urllib.parse import quote

    from pgtdd.redact import redact

    secret = "p@ss:w/rd%x"
    text = (
        f"raw postgresql://u:{secret}@h:5432/d; dsn password={secret} host=h; "
        f"encoded postgresql://u:{quote(secret, safe='')}@h/d; other postgresql://v:hunter2@h/d"
    )
    out = redact(text, secret)
    for fragment in (secret, quote(secret, safe=""), "ss:w", "rd%x", "hunter2"):
        assert fragment not in out, (fragment, out)
    assert out.count(MASK) >= 4 and "@h:5432/d" in out


def test_a_password_is_masked_as_a_whole_token_never_inside_a_word() -> None:
    from pgtdd.redact import redact

    text = "table my_secret_log, secretive, secret2 but secret. and (secret)"
    assert redact(text, "secret") == "table my_secret_log, secretive, secret2 but ***. and (***)"
    assert mask("postgresql://u:secret@h/db secret", session_forms(["secret"])) == (
        "postgresql://u:***@h/db ***"
    )


def test_a_password_equal_to_the_user_name_is_masked_only_as_a_password() -> None:
    from pgtdd.redact import redact

    url = "postgresql://postgres:postgres@db.example:5432/postgres"
    expected = "postgresql://postgres:***@db.example:5432/postgres"
    assert redact(url, "postgres", users=["postgres"]) == expected
    forms = session_forms(["postgres"], users=["postgres"])
    assert mask(f"user postgres at {url}; password=postgres", forms) == (
        f"user postgres at {expected}; password=***"
    )
    # PostgreSQL's own words are left alone even when they contain the password.
    assert redact("PostgreSQL 15 at postgresql://h/postgres_db", "postgres") == (
        "PostgreSQL 15 at postgresql://h/postgres_db"
    )
