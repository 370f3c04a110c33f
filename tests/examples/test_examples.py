"""The example projects of the README, run as their users run them: each suite passes with two
xdist workers, a test committing through a side connection fails with pgtdd's message, and a
later session starts from empty tables (the schema template holds no row)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from pgtdd.serverinfo import ServerInfo

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass
class Run:
    returncode: int
    output: str


def run_pytest(project: Path, server: ServerInfo, *args: str) -> Run:
    """``pytest`` in ``project`` on this session's server (the ``local`` profile)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    env.pop("DATAFLOW_TDD_MODE", None)
    env.update(PGTDD_PROFILE="local", TEST_DATABASE_URL=server.url)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Run(done.returncode, done.stdout + done.stderr)


def copy(name: str, tmp_path: Path) -> Path:
    project = tmp_path / name
    shutil.copytree(EXAMPLES / name, project, ignore=shutil.ignore_patterns("__pycache__"))
    return project


def passed(run: Run) -> int:
    found = re.search(r"(\d+) passed", run.output)
    return int(found.group(1)) if found else 0


def template_rows(server: ServerInfo, output: str, tables: tuple[str, ...]) -> dict[str, int]:
    """Rows of ``tables`` in the template the header names."""
    found = re.search(r"template (pgtdd_tpl_\w+)", output)
    assert found, output[-2000:]
    with psycopg.connect(server.url_for(found.group(1))) as conn:
        return {
            table: int(conn.execute(f"SELECT count(*) FROM {table}".encode()).fetchone()[0])  # type: ignore[index]
            for table in tables
        }


@pytest.mark.parametrize(
    ("name", "tests", "table", "tables"),
    [
        ("psycopg_app", 10, "items", ("items", "stock_moves")),
        ("flask_sqlalchemy_app", 11, "products", ("products", "orders")),
    ],
)
def test_a_stack_on_a_schema_template(
    pgtdd_server: ServerInfo, tmp_path: Path, name: str, tests: int, table: str,
    tables: tuple[str, ...],
) -> None:
    project = copy(name, tmp_path)
    first = run_pytest(project, pgtdd_server, "-n", "2")
    assert first.returncode == 0, first.output[-3000:]
    assert passed(first) == tests
    assert re.search(r"schema: .* -> template pgtdd_tpl_\w+ \((built in|cached)", first.output)
    leak = run_pytest(project, pgtdd_server, "leak")
    assert leak.returncode == 1, leak.output[-3000:]
    assert "committed data outside the transaction pgtdd rolls back" in leak.output
    assert f"INSERT on public.{table}" in leak.output
    assert "`pgtdd_fresh_database`" in leak.output
    later = run_pytest(project, pgtdd_server)  # test_tables_start_empty among them
    assert later.returncode == 0, later.output[-3000:]
    assert passed(later) == tests and "(cached)" in later.output
    assert template_rows(pgtdd_server, later.output, tables) == dict.fromkeys(tables, 0)


def test_django_with_pytest_django(pgtdd_server: ServerInfo, tmp_path: Path) -> None:
    project = copy("django_app", tmp_path)
    first = run_pytest(project, pgtdd_server, "-n", "2")
    assert first.returncode == 0, first.output[-3000:]
    assert passed(first) == 10
    leak = run_pytest(project, pgtdd_server, "leak")
    assert leak.returncode == 1, leak.output[-3000:]
    assert "INSERT on public.polls_question" in leak.output
    assert "@pytest.mark.django_db(transaction=True)" in leak.output
    later = run_pytest(project, pgtdd_server, "-v")
    assert later.returncode == 0, later.output[-3000:]
    assert "test_tables_start_empty PASSED" in later.output
    with psycopg.connect(pgtdd_server.url_for("postgres")) as conn:
        left = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'test_polls%'"
        ).fetchall()
    assert left == []  # pytest-django dropped its test databases
