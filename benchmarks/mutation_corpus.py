"""The mutation catalogue over the first migrations of a real history, with worker processes.

    python benchmarks/mutation_corpus.py [--dir tests/corpora/reportportal/migrations]
        [--first 20] [--workers 2] [--profile container] [--timeout 60] [--max-mutations N]

The project's own tests are not runnable here, so the checks are
``tests/migrations/corpus_checks/check_history.py``: the mutated history must build the schema
and seed data the unmutated one builds, and its downs must leave what the unmutated downs leave.
Prints the wall time, the mutants (per category), the kill rate, and the catalogue's coverage of
the SQL (per mutation: mutants applied, sites skipped and why). Goal: the run completes with no
exception.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pgtdd.config.settings import resolve_settings  # noqa: E402
from pgtdd.migrations import MutationRunner, PytestCheck  # noqa: E402
from pgtdd.migrations.runner import Migration, discover  # noqa: E402
from pgtdd.migrations.templates import (  # noqa: E402
    QuickJanitor,
    chain_names,
    drop_templates,
)
from pgtdd.providers.base import make_provider  # noqa: E402
from pgtdd.providers.external import parse_url  # noqa: E402

CHECKS = ROOT / "tests" / "migrations" / "corpus_checks" / "check_history.py"


def first(folder: Path, count: int, into: Path) -> list[Migration]:
    """Copy the files of the folder's first ``count`` migrations (a migration's own directory
    when it has one, as Diesel's) into ``into``."""
    chosen = discover(folder)[:count]
    for migration in chosen:
        if migration.up_path.parent != folder:
            shutil.copytree(migration.up_path.parent, into / migration.up_path.parent.name)
            continue
        for path in {migration.up_path, migration.down_path} - {None}:
            shutil.copy2(path, into / path.name)  # type: ignore[union-attr]
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ROOT / "tests" / "corpora" / "reportportal" / "migrations"
    parser.add_argument("--dir", type=Path, default=default)
    parser.add_argument("--first", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per mutant")
    parser.add_argument("--max-mutations", type=int)
    parser.add_argument("--profile", default=os.environ.get("PGTDD_PROFILE", "container"))
    parser.add_argument("--url", help="an existing server (default: start one from --profile)")
    args = parser.parse_args()
    provider = (
        None if args.url else make_provider(resolve_settings(cli_profile=args.profile).profile)
    )
    server = parse_url(args.url, profile="bench") if provider is None else provider.start()
    with tempfile.TemporaryDirectory(prefix="pgtdd-corpus-") as tmp:
        folder = Path(tmp) / "migrations"
        folder.mkdir()
        chosen = first(args.dir, args.first, folder)
        os.environ["PGTDD_CORPUS_DIR"] = str(folder)
        runner = MutationRunner(
            verbose=False,
            migrations_dir=folder,
            server=server,
            check=PytestCheck([str(CHECKS)], mode="session"),
            workers=args.workers,
        )
        try:
            started = time.perf_counter()
            report = runner.run_mutation_suite(
                timeout_seconds=args.timeout, max_mutations=args.max_mutations
            )
            wall = time.perf_counter() - started
        finally:
            with QuickJanitor(server) as janitor:
                drop_templates(janitor, chain_names(discover(folder)))
            if provider is not None:
                provider.stop()
    print(f"{len(chosen)} migrations of {args.dir} ({chosen[0].label} .. {chosen[-1].label})")
    print(f"server: {server.provider} PostgreSQL {server.version}; workers {args.workers}")
    print(
        f"wall time {wall:.1f} s for {report.total_mutations} mutants "
        f"({wall * 1000 / max(report.total_mutations, 1):.0f} ms a mutant); baseline "
        f"{report.baseline_seconds:.1f} s"
    )
    print(report.get_summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
