"""Real migration histories pgtdd did not write (tests/corpora/): applied as a new user would.

Each corpus is applied by ``pgtdd migrate up`` (the installed command, no options but the URL)
on the session's server, whatever its version: on a server the history supports, every
migration applies and the history table is the tool's; on an older one, the first failure
must be the one the version explains. Then the last migrations go down and up again.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgtdd.databases.janitor import DatabaseJanitor, unique_name
from pgtdd.migrations.model import MigrationError
from pgtdd.migrations.runner import MigrationRunner
from pgtdd.serverinfo import ServerInfo

CORPORA = Path(__file__).resolve().parents[1] / "corpora"


@dataclass(frozen=True)
class Corpus:
    """A history, what it needs, and what pgtdd must find in it."""

    name: str
    layout: str
    count: int
    history: str  # a query on the tool's table and the rows it must return after up
    rows: list[tuple[object, ...]]
    min_major: int  # the oldest PostgreSQL major version the history is known to apply on
    older_failure: str  # the migration that fails first on an older server ("": not known)
    down_ok: int  # of the last 20, how many down migrations succeed in a row
    down_failure: str = ""  # what stops the next one (a bug of the history itself)
    options: tuple[str, ...] = ()  # the tool's configuration the project keeps elsewhere

    @property
    def folder(self) -> Path:
        return CORPORA / self.name / "migrations"


CRATES = Corpus(
    "crates-io",
    "diesel",
    285,
    "SELECT count(*), min(version), max(version) FROM __diesel_schema_migrations",
    [(285, "00000000000000", "202607301400000000")],
    min_major=15,  # verified on 15 (upstream develops on 16); older ones not tried
    older_failure="",
    down_ok=20,
)
REPORTPORTAL = Corpus(
    "reportportal",
    "golang-migrate",
    132,
    "SELECT version, dirty FROM schema_migrations",
    [(1002, False)],
    min_major=15,
    older_failure="1000_tms_initial.up.sql",  # UNIQUE NULLS NOT DISTINCT
    down_ok=16,
    down_failure=r"202_update_project_table\.down\.sql failed.*23502",
)


OHDSI = Corpus(
    "ohdsi-webapi",
    "flyway",
    196,
    "SELECT count(*) FILTER (WHERE type = 'SQL' AND success), min(installed_rank),"
    " (array_agg(version ORDER BY installed_rank DESC))[1] FROM webapi.schema_version",
    [(196, 0, "2.15.0.20241203000001")],  # rank 0: Flyway's row for the schema it created
    min_major=15,  # verified on 15 (and on 18 when it was staged)
    older_failure="",
    down_ok=0,
    down_failure="has no down migration",  # Flyway's community edition has no undo files
    options=(
        *("--schema", "webapi"),
        *("--placeholder", "ohdsiSchema=webapi"),
        *("--table", "schema_version"),  # Flyway 4.2's table, which the project uses
    ),
)
ALL = [CRATES, REPORTPORTAL, OHDSI]


@pytest.fixture
def corpus_db(pgtdd_migrations_janitor: DatabaseJanitor) -> Iterator[ServerInfo]:
    """An empty database of its own."""
    server = pgtdd_migrations_janitor.create(unique_name("corpus"))
    yield server
    pgtdd_migrations_janitor.drop(server.database)


def _major(server: ServerInfo) -> int:
    with psycopg.connect(server.url) as conn:
        row = conn.execute("SHOW server_version_num").fetchone()
    assert row is not None
    return int(row[0]) // 10000


def _options(corpus: Corpus) -> dict[str, Any]:
    """The command-line options of a corpus as MigrationRunner's keywords."""
    pairs = list(zip(corpus.options[::2], corpus.options[1::2], strict=True))
    options: dict[str, Any] = {
        "placeholders": dict(v.split("=", 1) for k, v in pairs if k == "--placeholder"),
        "schemas": [v for k, v in pairs if k == "--schema"],
    }
    tables = [v for k, v in pairs if k == "--table"]
    return {**options, "tracking_table": tables[0]} if tables else options


def _pgtdd(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    command = [str(Path(sys.executable).parent / "pgtdd"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("corpus", ALL, ids=lambda c: c.name)
def test_migrate_up_applies_the_whole_history(corpus: Corpus, corpus_db: ServerInfo) -> None:
    done = _pgtdd("migrate", "up", str(corpus.folder), "--url", corpus_db.url, *corpus.options)
    assert "Traceback" not in done.stderr, done.stderr
    assert f"layout: {corpus.layout}" in done.stdout
    if _major(corpus_db) < corpus.min_major:
        assert done.returncode == 2, done.stdout
        assert f"{corpus.older_failure} failed" in done.stderr, done.stderr
        return
    assert done.returncode == 0, done.stderr
    assert "pending" not in done.stdout and corpus_db.password not in done.stdout + done.stderr
    with psycopg.connect(corpus_db.url) as conn:
        assert conn.execute(corpus.history).fetchall() == corpus.rows
    with MigrationRunner(corpus_db, corpus.folder, **_options(corpus)) as runner:
        status = runner.status()
    assert len(status.applied) == corpus.count and status.pending == [] and status.is_clean


@pytest.mark.parametrize("corpus", ALL, ids=lambda c: c.name)
def test_the_last_migrations_go_down_and_up_again(corpus: Corpus, corpus_db: ServerInfo) -> None:
    if _major(corpus_db) < corpus.min_major:
        pytest.fail(f"{corpus.name} needs PostgreSQL {corpus.min_major}: run it on a newer server")
    with psycopg.connect(corpus_db.url, autocommit=True) as conn:
        runner = MigrationRunner(conn, corpus.folder, **_options(corpus))
        runner.up()
        reverted = []
        for _ in range(20):
            try:
                reverted += runner.down()
            except MigrationError as exc:
                assert corpus.down_failure and re.search(corpus.down_failure, str(exc)), str(exc)
                break
        assert len(reverted) == corpus.down_ok
        assert [m.id for m in runner.up()] == [m.id for m in reversed(reverted)]
        assert runner.status().is_clean
