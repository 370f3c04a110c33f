"""Per-test overhead of each client's fixture, side by side, in one pytest process.

    python benchmarks/client_overhead.py [--tests 1000] [--profile container] [--json FILE]

The same measurement as the table of ``pgtdd bench`` (pgtdd.performance.client_overhead): a
generated suite of empty tests, one per fixture (``tdd_test_context`` on asyncpg,
``pgtdd_psycopg``, ``pgtdd_sqlalchemy``, ``pgtdd_sqlalchemy_async``, and no fixture, sync and
async), interleaved round by round, setup + teardown per test, the first rounds left out;
medians, p95 and each median against the asyncpg fixture's. Goal (issue 15): the sync psycopg
and SQLAlchemy fixtures within 1.5x of the asyncpg fixture.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pgtdd.performance.client_overhead import format_client_overhead, run_client_overhead


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=1000, help="tests per fixture")
    parser.add_argument("--profile", default="container")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    run = run_client_overhead(args.tests, env={"PGTDD_PROFILE": args.profile})
    summary = run.summary()
    print("\n".join(format_client_overhead(summary)))
    print(f"  (one pytest process, {run.wall_s:.1f} s)")
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "wall_s": run.wall_s}, indent=2))
    return 0 if run.goal_met() else 1


if __name__ == "__main__":
    sys.exit(main())
