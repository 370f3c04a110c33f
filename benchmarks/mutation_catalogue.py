"""The full mutation catalogue against the sample project (five migrations), timed.

    python benchmarks/mutation_catalogue.py [--profile local] [--mode session] [--runs 3]
                                            [--workers 2]

Runs ``MutationRunner`` with the sample project's good tests as the check and prints, per run:
total wall time (template chain, baseline run, every mutant), the number of distinct mutants,
time per mutant (mean and median of the per-mutant durations the report measured), and the kill
rate. Goal: under 10 s in all, under 150 ms per mutant. With ``--workers N`` mutants are judged
N at a time, so each mutant's own time stays about the same and the wall time per mutant (total
over the count) is what falls.

``--mode``: ``session`` (one pytest session for all mutants, the CLI default), ``inprocess``
(``pytest.main`` per mutant) or ``subprocess``. The first run builds the template chain; later
runs reuse it (``keep_templates``), so run 1 is "cold" and the others "warm".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pgtdd.config.settings import resolve_settings  # noqa: E402
from pgtdd.migrations import MutationRunner, PytestCheck  # noqa: E402
from pgtdd.migrations.runner import discover  # noqa: E402
from pgtdd.migrations.templates import QuickJanitor, chain_names  # noqa: E402
from pgtdd.providers.base import make_provider  # noqa: E402

PROJECT = ROOT / "examples" / "migrations_project"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default=os.environ.get("PGTDD_PROFILE", "container"))
    parser.add_argument("--mode", default="session", choices=("session", "inprocess", "subprocess"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="processes judging mutants")
    parser.add_argument("--tests", default=str(PROJECT / "tests" / "good"))
    args = parser.parse_args()
    provider = make_provider(resolve_settings(cli_profile=args.profile).profile)
    server = provider.start()
    migrations = PROJECT / "migrations"
    rows = []
    try:
        for run in range(1, args.runs + 1):
            runner = MutationRunner(
                verbose=False,
                migrations_dir=migrations,
                server=server,
                check=PytestCheck([args.tests], mode=args.mode),
                keep_templates=True,
                workers=args.workers,
            )
            started = time.perf_counter()
            report = runner.run_mutation_suite()
            wall = time.perf_counter() - started
            per = [r.duration_seconds * 1000 for r in report.results]
            rows.append((wall, statistics.mean(per), wall * 1000 / max(len(per), 1)))
            print(
                f"run {run} ({'cold' if run == 1 else 'warm'}): {wall:.2f} s total, "
                f"{report.total_mutations} mutants ({report.stillborn_mutations} stillborn), "
                f"per mutant mean {statistics.mean(per):.0f} ms, median "
                f"{statistics.median(per):.0f} ms, max {max(per):.0f} ms; wall time per mutant "
                f"{rows[-1][2]:.0f} ms; baseline "
                f"{report.baseline_seconds * 1000:.0f} ms; kill rate {report.kill_rate:.1f}%",
                flush=True,
            )
    finally:
        with QuickJanitor(server) as janitor:
            for name in chain_names(discover(migrations)):
                janitor.drop(name)
        provider.stop()
    walls = [r[0] for r in rows]
    print(
        f"server: {server.provider} PostgreSQL {server.version}; mode {args.mode}; "
        f"workers {args.workers}"
    )
    print(
        f"total: median {statistics.median(walls):.2f} s over {len(rows)} runs (goal < 10 s); "
        f"per mutant: median of run means {statistics.median(r[1] for r in rows):.0f} ms, of wall "
        f"time per mutant {statistics.median(r[2] for r in rows):.0f} ms (goal < 150 ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
