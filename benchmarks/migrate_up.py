"""``pgtdd migrate up`` of a whole migration history against ``psql`` applying it in one session.

    python benchmarks/migrate_up.py [--profile container] [--runs 7] [--count 300]
                                    [--corpus crates-io --corpus reportportal]

Histories: a generated one of ``--count`` golang-migrate migrations (tables with foreign keys,
indexes, seed rows, PL/pgSQL functions and triggers, views: a mix real histories have) and the
real ones under ``tests/corpora``. Per run and side, a new empty database (its creation not
timed), then the side's wall time, measured in one run and interleaved:

- ``pgtdd``: the ``pgtdd migrate up DIR --url URL`` command (process start, detection, parsing,
  the tool's history table, one transaction per migration where the tool uses one);
- ``psql``: ``psql -X -q -v ON_ERROR_STOP=1 -f script.sql`` in one session, the script being the
  same up SQL in the same order, each migration in ``BEGIN``/``COMMIT`` where pgtdd runs it in
  a transaction (as is otherwise), without any history table.

Prints the medians, the ratio pgtdd / psql (goal: at most 1.5) and, for the breakdown, the
median of ``MigrationRunner.up()`` alone in this process (no process start).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pgtdd.config.settings import resolve_settings  # noqa: E402
from pgtdd.databases.janitor import DatabaseJanitor, unique_name  # noqa: E402
from pgtdd.migrations.execution import make_plan  # noqa: E402
from pgtdd.migrations.layouts import load  # noqa: E402
from pgtdd.migrations.model import TRANSACTION  # noqa: E402
from pgtdd.migrations.runner import MigrationRunner  # noqa: E402
from pgtdd.providers.base import make_provider  # noqa: E402
from pgtdd.serverinfo import ServerInfo  # noqa: E402

PGTDD = Path(sys.executable).parent / "pgtdd"


def generate(folder: Path, count: int) -> Path:
    """``count`` golang-migrate migrations, five kinds in turn, each with its down file."""
    kinds: list[Callable[[int], tuple[str, str]]] = [
        lambda i: (
            f"CREATE TABLE t{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            f"  name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),\n"
            f"  parent bigint{f' REFERENCES t{i - 5} (id)' if i >= 5 else ''});\n",
            f"DROP TABLE t{i};\n",
        ),
        lambda i: (
            f"ALTER TABLE t{i - 1} ADD COLUMN score integer NOT NULL DEFAULT 0;\n"
            f"CREATE INDEX t{i - 1}_score_idx ON t{i - 1} (score, created_at);\n",
            f"ALTER TABLE t{i - 1} DROP COLUMN score;\n",
        ),
        lambda i: (
            f"INSERT INTO t{i - 2} (name, score)\n"
            f"SELECT 'row ' || g, g % 7 FROM generate_series(1, 200) AS g;\n",
            f"DELETE FROM t{i - 2};\n",
        ),
        lambda i: (
            f"CREATE FUNCTION t{i - 3}_touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n  NEW.created_at := now();\n  RETURN NEW;\nEND;\n$$;\n"
            f"CREATE TRIGGER t{i - 3}_touch BEFORE UPDATE ON t{i - 3}\n"
            f"  FOR EACH ROW EXECUTE FUNCTION t{i - 3}_touch();\n",
            f"DROP TRIGGER t{i - 3}_touch ON t{i - 3};\nDROP FUNCTION t{i - 3}_touch();\n",
        ),
        lambda i: (
            f"CREATE VIEW v{i} AS SELECT id, name, score FROM t{i - 4} WHERE score > 3;\n"
            f"COMMENT ON VIEW v{i} IS 'scores above three';\n",
            f"DROP VIEW v{i};\n",
        ),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        up, down = kinds[i % 5](i)
        (folder / f"{i + 1:04d}_step_{i + 1}.up.sql").write_text(up)
        (folder / f"{i + 1:04d}_step_{i + 1}.down.sql").write_text(down)
    return folder


def psql_script(folder: Path, target: Path) -> Path:
    """The folder's up SQL in pgtdd's order, each in BEGIN/COMMIT where pgtdd uses one."""
    parts = []
    for migration in load(folder).migrations:
        sql = migration.read("up")
        if make_plan(migration, "up").mode == TRANSACTION:
            sql = f"BEGIN;\n{sql}\n;\nCOMMIT;\n"
        parts.append(sql if sql.endswith("\n") else sql + "\n")
    target.write_text("".join(parts))
    return target


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {done.stderr[-2000:]}")
    return elapsed


def in_process(server: ServerInfo, folder: Path) -> float:
    started = time.perf_counter()
    with MigrationRunner(server, folder) as runner:
        runner.up()
    return time.perf_counter() - started


def command_env(cache: Path) -> dict[str, str]:
    """The environment of the timed commands: Python may keep its bytecode (in ``cache``, not
    the source tree) as on a user's machine, even where this shell forbids it."""
    dropped = ("TEST_DATABASE_URL", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def measure(janitor: DatabaseJanitor, folder: Path, runs: int) -> dict[str, list[float]]:
    """Interleaved runs of each side, each on a new database (a first, untimed run of each
    warms the caches: the bytecode of pgtdd's modules, the files, the server's catalogs)."""
    script = psql_script(folder, Path(tempfile.mkdtemp()) / "all.sql")
    env = command_env(Path(tempfile.gettempdir()) / "pgtdd-bench-pycache")
    times: dict[str, list[float]] = {"pgtdd": [], "psql": [], "runner": []}
    for run in range(runs + 1):
        for side in times:
            db = janitor.create(unique_name("bench_up"))
            try:
                if side == "pgtdd":
                    command = [str(PGTDD), "migrate", "up", str(folder), "--url", db.url]
                    elapsed = timed(command, env)
                elif side == "psql":
                    command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(script)]
                    elapsed = timed([*command, db.url], env)
                else:
                    elapsed = in_process(db, folder)
            finally:
                janitor.drop(db.database)
            if run:
                times[side].append(elapsed)
    return times


def report(name: str, count: int, times: dict[str, list[float]]) -> None:
    med = {side: statistics.median(values) for side, values in times.items()}
    print(
        f"{name} ({count} migrations, {len(times['psql'])} runs): pgtdd migrate up "
        f"{med['pgtdd'] * 1000:.0f} ms, psql one session {med['psql'] * 1000:.0f} ms, "
        f"ratio {med['pgtdd'] / med['psql']:.2f} (goal <= 1.5); MigrationRunner.up() in "
        f"process {med['runner'] * 1000:.0f} ms",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default=os.environ.get("PGTDD_PROFILE", "container"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--count", type=int, default=300, help="generated migrations")
    parser.add_argument("--corpus", action="append", default=None, help="tests/corpora/NAME")
    args = parser.parse_args()
    corpora = args.corpus if args.corpus is not None else ["crates-io", "reportportal"]
    provider = make_provider(resolve_settings(cli_profile=args.profile).profile)
    server = provider.start()
    try:
        with DatabaseJanitor(server) as janitor, tempfile.TemporaryDirectory() as tmp:
            folder = generate(Path(tmp) / "generated", args.count)
            report("generated", args.count, measure(janitor, folder, args.runs))
            for name in corpora:
                path = ROOT / "tests" / "corpora" / name / "migrations"
                count = len(load(path).migrations)
                report(name, count, measure(janitor, path, args.runs))
    finally:
        provider.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
