"""Schema sources loaded once into the session template, keyed by their content: SQL files and
folders, migration folders, Alembic, SQLAlchemy MetaData, callables; errors name the entry."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgtdd.databases.janitor import DatabaseJanitor
from pgtdd.databases.session_db import RunIdentity, SchemaError, SessionDatabases
from pgtdd.schema import source_of, sources_of
from pgtdd.serverinfo import ServerInfo
from tests.conftest import RunChild

ROOT = Path(__file__).resolve().parents[1]
FLASK_EXAMPLE = ROOT / "examples" / "flask_sqlalchemy_app"


class Templates:
    """Prepares run databases from sources and drops everything it made."""

    def __init__(self, server: ServerInfo) -> None:
        self.server = server
        self.runs: list[SessionDatabases] = []

    def prepare(self, entries: list[Any], base: Path | None = None) -> SessionDatabases:
        run = SessionDatabases(
            self.server, RunIdentity(f"sch{len(self.runs):05d}", "main"), sources_of(entries, base)
        )
        self.runs.append(run)
        run.prepare()
        return run

    def close(self) -> None:
        templates = {run.template for run in self.runs if run.template}
        for run in self.runs:
            run.cleanup()
        with DatabaseJanitor(self.server) as janitor:
            for name in templates:
                janitor.drop(name)


@pytest.fixture
def templates(pgtdd_server: ServerInfo) -> Iterator[Templates]:
    made = Templates(pgtdd_server)
    yield made
    made.close()


def rows(run: SessionDatabases, query: str) -> list[tuple[Any, ...]]:
    assert run.created is not None
    with psycopg.connect(run.server.url_for(run.created)) as conn:
        return [tuple(row) for row in conn.execute(query.encode()).fetchall()]


def tables(run: SessionDatabases) -> set[str]:
    found = rows(
        run,
        "SELECT schemaname || '.' || tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema', 'pgtdd')",
    )
    return {str(row[0]) for row in found}


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return folder


def test_a_folder_of_plain_sql_runs_file_by_file_in_name_order(
    templates: Templates, tmp_path: Path
) -> None:
    folder = write(
        tmp_path / "schema",
        {"b_posts.sql": "CREATE TABLE posts (user_id int REFERENCES users);",
         "a_users.sql": "CREATE TABLE users (id int PRIMARY KEY);"},
    )
    run = templates.prepare([folder])
    assert tables(run) == {"public.users", "public.posts"}
    assert "SQL folder schema/ (2 files)" in run.describe()


def test_a_migration_folder_runs_through_the_runner_with_its_tool_s_history(
    templates: Templates, tmp_path: Path
) -> None:
    write(
        tmp_path / "migrations",
        {"001_users.up.sql": "CREATE TABLE users (id int);",
         "001_users.down.sql": "DROP TABLE users;",
         "002_posts.up.sql": "CREATE TABLE posts (id int);",
         "002_posts.down.sql": "DROP TABLE posts;"},
    )
    run = templates.prepare(["migrations"], base=tmp_path)
    assert {"public.users", "public.posts", "public.schema_migrations"} <= tables(run)
    assert rows(run, "SELECT version, dirty FROM schema_migrations") == [(2, False)]
    assert "migrations migrations/ (golang-migrate, 2)" in run.describe()


def test_alembic_upgrade_head(templates: Templates, tmp_path: Path) -> None:
    project = tmp_path / "shop_project"
    shutil.copytree(FLASK_EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__"))
    run = templates.prepare([project / "alembic.ini"])
    assert tables(run) == {"public.products", "public.orders", "public.alembic_version"}
    assert rows(run, "SELECT version_num FROM alembic_version") == [("0002",)]
    assert "alembic upgrade head (alembic.ini, head 0002)" in run.describe()


MODELS = """
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from sqlalchemy.orm import DeclarativeBase

metadata = MetaData()
accounts = Table("accounts", metadata, Column("id", Integer, primary_key=True),
                 Column("name", String(COLUMN)), schema="billing")
entries = Table("entries", metadata, Column("id", Integer, primary_key=True),
                Column("account_id", ForeignKey("billing.accounts.id")), schema="billing")

class Base(DeclarativeBase):
    pass

class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)

def not_a_schema():
    pass

NUMBER = 3
"""


def models(folder: Path, monkeypatch: pytest.MonkeyPatch, name: str, column: int = 20) -> str:
    write(folder, {f"{name}.py": MODELS.replace("COLUMN", str(column))})
    monkeypatch.syspath_prepend(str(folder))
    return name


def test_sqlalchemy_metadata_and_declarative_base(
    templates: Templates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = models(tmp_path, monkeypatch, "models_a")
    run = templates.prepare([f"{module}:metadata", f"{module}:Base"])
    assert tables(run) == {"billing.accounts", "billing.entries", "public.notes"}
    assert f"SQLAlchemy MetaData {module}:metadata (2 tables)" in run.describe()


def test_the_metadata_s_ddl_is_its_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = source_of(f"{models(tmp_path / 'one', monkeypatch, 'models_b', 20)}:metadata")
    same = source_of(f"{models(tmp_path / 'two', monkeypatch, 'models_c', 20)}:metadata")
    wider = source_of(f"{models(tmp_path / 'three', monkeypatch, 'models_d', 40)}:metadata")
    assert first.key() == same.key()
    assert first.key() != wider.key()


def make_schema(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE from_callable (id int)")


async def make_schema_async(url: str) -> None:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        await conn.execute("CREATE TABLE from_coroutine (id int)")


def test_callables_get_the_template_s_url(templates: Templates) -> None:
    run = templates.prepare([make_schema, make_schema_async])
    assert tables(run) == {"public.from_callable", "public.from_coroutine"}
    assert "callable tests.test_schema_sources:make_schema" in run.describe()


def test_a_template_is_reused_until_a_source_changes(
    templates: Templates, tmp_path: Path
) -> None:
    sql = write(tmp_path, {"schema.sql": "CREATE TABLE v1 (id int);"}) / "schema.sql"
    first = templates.prepare([sql])
    assert first.built_seconds is not None and "built in" in first.describe()
    again = templates.prepare([sql])
    assert again.template == first.template
    assert again.built_seconds is None and "(cached)" in again.describe()
    sql.write_text("CREATE TABLE v2 (id int);")
    changed = templates.prepare([sql])
    assert changed.template != first.template and tables(changed) == {"public.v2"}


def test_the_template_carries_the_escape_log_on_every_table(
    templates: Templates, tmp_path: Path
) -> None:
    sql = write(tmp_path, {"schema.sql": "CREATE TABLE armed (id int);"}) / "schema.sql"
    run = templates.prepare([sql])
    armed = rows(
        run, "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'pgtdd_escape'"
    )
    assert armed == [("armed",)]
    assert rows(run, "SELECT count(*) FROM pgtdd.escapes") == [(0,)]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("nowhere/schema.sql", "schema path not found: "),
        ("notes.txt", "not a schema pgtdd understands"),
        ("no_such_module_x:metadata", "cannot import no_such_module_x"),
        ("tests.test_schema_sources:missing", "has no attribute missing"),
        ("tests.test_schema_sources:ROOT", "a PosixPath is neither a SQLAlchemy MetaData"),
        ("empty", "no migration layout matches"),
    ],
)
def test_an_entry_pgtdd_does_not_understand_is_named(
    tmp_path: Path, entry: str, message: str
) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SchemaError, match=message):
        source_of(entry, tmp_path)


def broken(url: str) -> None:
    raise RuntimeError("the schema script broke")


def test_a_failing_source_is_named_and_leaves_no_template(
    templates: Templates, pgtdd_server: ServerInfo
) -> None:
    with pytest.raises(SchemaError, match=r"schema callable .*broken failed: RuntimeError: the"):
        templates.prepare([broken])
    with DatabaseJanitor(pgtdd_server) as janitor:
        assert not [name for name in janitor.list("pgtdd_tpl_") if "_build_" in name]


HEADER_TESTS = """
import psycopg

def test_tables(pgtdd_server):
    with psycopg.connect(pgtdd_server.url) as conn:
        found = conn.execute("SELECT to_regclass('billing.accounts') IS NOT NULL").fetchone()
    assert found == (True,)
"""


def test_the_header_names_the_source_and_whether_the_template_was_cached(
    run_child: RunChild, tmp_path: Path
) -> None:
    write(tmp_path, {"models_h.py": MODELS.replace("COLUMN", "20"), "test_h.py": HEADER_TESTS})
    ini = "[pytest]\npythonpath = .\npgtdd_schema = models_h:metadata\n"
    first = run_child({}, ini=ini)
    assert first.returncode == 0, first.output[-2000:]
    assert "schema: SQLAlchemy MetaData models_h:metadata (2 tables) -> template" in first.output
    assert "(built in " in first.output
    second = run_child({}, ini=ini)
    assert second.returncode == 0 and "(cached)" in second.output


OVERRIDE = """
import pytest
from models_o import metadata

@pytest.fixture(scope="session")
def pgtdd_schema():
    return metadata
"""


def test_a_pgtdd_schema_fixture_overrides_the_configured_schema(
    run_child: RunChild, tmp_path: Path
) -> None:
    write(tmp_path, {"models_o.py": MODELS.replace("COLUMN", "20"), "test_h.py": HEADER_TESTS})
    run = run_child({"conftest.py": OVERRIDE}, ini="[pytest]\npythonpath = .\n")
    assert run.returncode == 0, run.output[-2000:]
    assert "schema: fixture pgtdd_schema (" in run.output
    assert "pgtdd: schema: SQLAlchemy MetaData <billing.accounts, billing.entries> (2 tables)" in (
        run.output
    )  # the summary, at the end
