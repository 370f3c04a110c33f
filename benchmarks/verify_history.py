"""``pgtdd migrate verify`` on a real migration history, against a ``pg_dump``-based check.

    python benchmarks/verify_history.py [--profile container] [--url URL] [--rounds 1]
        [--dir tests/corpora/crates-io/migrations] [--pg-dump /usr/lib/postgresql/15/bin/pg_dump]

The peer is how several large projects check reversibility today: for every migration, dump the
schema (``pg_dump --schema-only``), apply the up, dump, apply the down, dump (must equal the
first), apply the up again, dump (must equal the second), each step committed. Both checks run
on the same server in the same run, alternating when ``--rounds`` > 1.

Prints, per check: total time, time per migration (median), the migrations where it found a
difference; then the migrations only one of them flagged, with the dump's diff for those only
pg_dump saw (so a miss of the snapshots can be read). Goals: verify at most 0.15 s per migration
(median) and at most a third of the pg_dump check's time, finding at least the same
differences. PostgreSQL 18's pg_dump writes a random ``\\restrict`` line: it is removed before
comparing, with the ``Dumped from/by`` comments; so are the lines setting only ``pg_attver``, a
stamp the PostgreSQL 15.20 build of ``pgtdd/postgres:15`` puts in every new column's options
(a new value whenever a column is created: a table a down drops and recreates would always
differ).
"""

from __future__ import annotations

import argparse
import difflib
import functools
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from pglast import ast, enums, parse_sql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pgtdd.config.settings import resolve_settings  # noqa: E402
from pgtdd.databases.janitor import unique_name  # noqa: E402
from pgtdd.migrations.runner import Migration, MigrationRunner, discover  # noqa: E402
from pgtdd.migrations.templates import QuickJanitor  # noqa: E402
from pgtdd.migrations.verify import verify_migrations  # noqa: E402
from pgtdd.migrations.verify_report import FAILED, VerifyReport  # noqa: E402
from pgtdd.migrations.verify_script import Script, ScriptFailed, run_script  # noqa: E402
from pgtdd.providers.base import make_provider  # noqa: E402
from pgtdd.providers.external import parse_url  # noqa: E402
from pgtdd.serverinfo import ServerInfo  # noqa: E402

PG_DUMP = "/usr/lib/postgresql/15/bin/pg_dump"
NOISE = ("\\restrict", "\\unrestrict", "-- Dumped from", "-- Dumped by")


@dataclass
class DumpCheck:
    """What the pg_dump-based check found and how long it took."""

    seconds: float = 0.0
    per_migration: list[float] = field(default_factory=list)
    flagged: dict[str, str] = field(default_factory=dict)  # label -> the dump's diff
    failed: dict[str, str] = field(default_factory=dict)
    stopped_at: str | None = None


def dump(pg_dump: str, server: ServerInfo, history: str) -> str:
    """The schema as pg_dump prints it, without the lines that differ between runs."""
    done = subprocess.run(
        [pg_dump, "--schema-only", f"--exclude-table={history}", "-d", server.url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return "\n".join(
        line
        for line in done.stdout.splitlines()
        if not line.startswith(NOISE) and not _stamp_only(line)
    )


def _stamp_only(line: str) -> bool:
    """``ALTER TABLE ... ALTER COLUMN c SET (pg_attver=N)``: the stamp this server's build puts
    in every new column's options (a new value each time the column is created), nothing else."""
    if "pg_attver=" not in line:
        return False
    stmt = parse_sql(line)[0].stmt
    return isinstance(stmt, ast.AlterTableStmt) and all(
        cmd.subtype == enums.AlterTableType.AT_SetOptions
        and all(d.defname == "pg_attver" for d in cmd.def_)
        for cmd in stmt.cmds
    )


def _apply(server: ServerInfo, script: Script, step: str) -> None:
    with psycopg.connect(server.url, autocommit=True) as conn:
        if script.transactional:
            with conn.transaction():
                run_script(conn, script, step, in_transaction=True)
        else:
            run_script(conn, script, step, in_transaction=False)


def _diff(a: str, b: str) -> str:
    lines = difflib.unified_diff(a.splitlines(), b.splitlines(), n=0, lineterm="")
    return "\n".join(f"    {line}" for line in list(lines)[2:42])


def dump_check(server: ServerInfo, folder: Path, pg_dump: str) -> DumpCheck:
    """The pg_dump-based check of every migration, on a new database of ``server``."""
    result = DumpCheck()
    started = time.perf_counter()
    with QuickJanitor(server) as janitor:
        database = janitor.create(unique_name("pgtdd_dumpcheck"))
        try:
            with MigrationRunner(database, folder) as runner:
                runner.ensure_tracking_table()  # as verify and the tool make it
                history, migrations = runner.history.table, runner.discover()
            take = functools.partial(dump, pg_dump, database, history)
            before = take()
            for migration in migrations:
                t0 = time.perf_counter()
                before = _dump_one(database, migration, take, before, result)
                result.per_migration.append(time.perf_counter() - t0)
                if result.stopped_at:
                    break
        finally:
            janitor.drop(database.database)
    result.seconds = time.perf_counter() - started
    return result


def _dump_one(
    database: ServerInfo,
    migration: Migration,
    take: Callable[[], str],
    before: str,
    result: DumpCheck,
) -> str:
    """Up, dump, down, dump, up, dump; the dump of the state the next migration starts from."""
    up, down = Script.of(migration, "up"), Script.of(migration, "down")
    assert up is not None
    try:
        _apply(database, up, "up")
    except ScriptFailed as exc:
        result.failed[migration.label] = exc.failure.text()
        result.stopped_at = migration.label  # the history does not apply: nothing to compare
        return before
    after_up = take()
    if down is None or down.empty:
        if after_up != before:
            result.flagged[migration.label] = _diff(before, after_up)
        return after_up
    try:
        _apply(database, down, "down")
    except ScriptFailed as exc:
        result.failed[migration.label] = exc.failure.text()
        return after_up  # the down ran in a transaction: rolled back
    after_down = take()
    try:
        _apply(database, up, "redo")
    except ScriptFailed as exc:
        result.failed[migration.label] = exc.failure.text()
        result.stopped_at = migration.label  # the state after the up is lost
        return after_down
    after_redo = take()
    if after_down != before or after_redo != after_up:
        result.flagged[migration.label] = _diff(before, after_down) or _diff(after_up, after_redo)
    return after_redo


def flagged_by_verify(report: VerifyReport) -> set[str]:
    """Migrations where verify found a difference (no ignore rule is given)."""
    return {c.label for c in report.checks if c.differences}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default=os.environ.get("PGTDD_PROFILE", "container"))
    parser.add_argument(
        "--dir", default=str(ROOT / "tests" / "corpora" / "crates-io" / "migrations")
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="verify and pg_dump check, alternating"
    )
    parser.add_argument("--pg-dump", default=PG_DUMP)
    parser.add_argument("--url", help="an existing server (default: start one from --profile)")
    args = parser.parse_args()
    migrations = discover(args.dir)
    provider = (
        None if args.url else make_provider(resolve_settings(cli_profile=args.profile).profile)
    )
    server = parse_url(args.url, profile="bench") if provider is None else provider.start()
    try:
        verifies, dumps = [], []
        for round_number in range(1, args.rounds + 1):
            report = verify_migrations(server, args.dir)
            verifies.append(report)
            print(f"round {round_number}: verify {report.duration_seconds:.2f} s", flush=True)
            dumps.append(dump_check(server, Path(args.dir), args.pg_dump))
            print(f"round {round_number}: pg_dump check {dumps[-1].seconds:.2f} s", flush=True)
    finally:
        if provider is not None:
            provider.stop()
    _print(server, migrations, verifies, dumps)
    return 0


def _print(
    server: ServerInfo,
    migrations: list[Migration],
    verifies: list[VerifyReport],
    dumps: list[DumpCheck],
) -> None:
    report, peer = verifies[-1], dumps[-1]
    checked = {m.label for m in migrations[: len(peer.per_migration)]}
    ours = flagged_by_verify(report) & checked
    theirs = set(peer.flagged) & checked
    v_total = statistics.median(r.duration_seconds for r in verifies)
    d_total = statistics.median(d.seconds for d in dumps)
    v_median = statistics.median(r.median_seconds() for r in verifies)
    d_median = statistics.median(statistics.median(d.per_migration) for d in dumps)
    print(f"server: {server.provider} PostgreSQL {server.version}; {len(migrations)} migrations")
    print(
        f"verify: {v_total:.2f} s in all, median {v_median * 1000:.0f} ms a migration "
        f"(goal <= 150 ms); {len(ours)} migrations with a difference, "
        f"{len(report.with_status(FAILED))} failed"
    )
    print(
        f"pg_dump check: {d_total:.2f} s in all for {len(peer.per_migration)} migrations"
        + (f" (stopped at {peer.stopped_at})" if peer.stopped_at else "")
        + f", median {d_median * 1000:.0f} ms a migration; {len(theirs)} with a difference, "
        f"{len(peer.failed)} failed"
    )
    comparable = sum(r.duration_seconds / max(len(r.checks), 1) for r in verifies) / len(verifies)
    per_dump = sum(d.seconds / max(len(d.per_migration), 1) for d in dumps) / len(dumps)
    print(
        f"time per migration, verify / pg_dump check: {comparable / per_dump:.3f} "
        f"(median {v_median / d_median:.3f}; goal <= 0.333)"
    )
    print(f"found by both: {len(ours & theirs)}; only by verify: {sorted(ours - theirs)}")
    print(f"only by the pg_dump check: {sorted(theirs - ours)}")
    for label in sorted(theirs - ours):
        print(f"{label}:\n{peer.flagged[label]}")


if __name__ == "__main__":
    raise SystemExit(main())
