"""The same 200-test database suite at ``-n 0`` and ``-n 2``, side by side: wall time and speedup.

    python benchmarks/xdist_speedup.py [--tests 200] [--rounds 3] [--json PATH]

Two suites are generated, each run as a new ``pytest`` process (whole-process wall time: start,
server, tests, teardown), alternating ``-n 0`` and ``-n 2`` in every round so both see the same
machine state; the figures are medians over the rounds:

* ``work``  - each test does a realistic amount of database work inside its savepoint
  (``tdd_test_context``): creates a table, inserts 20,000 rows, indexes them and runs three
  aggregate queries (~40 ms of server time per test);
* ``heavy`` - the same with 100,000 rows (~150 ms of server time per test);
* ``light`` - each test creates a table, inserts one row and counts it (~2 ms per test), which
  shows the fixed cost of starting workers.

The speedup depends on how much of a test is database work: workers, server backends and the
engine share the same cores, and starting two workers costs ~0.7 s.

Both use the ``container`` profile on ``pgtdd/postgres:18`` (one container for the whole run;
under xdist each worker gets its own database cloned from the run's template). The
pytest-postgresql plugin (a dev dependency for the peer benchmark) is disabled in both arms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEST_FILE = """
import pytest

@pytest.mark.asyncio
@pytest.mark.parametrize("n", range({tests}))
async def test_item(tdd_test_context, n):
    conn = tdd_test_context.connection
{body}
"""

# Bodies (indented into test_item); {rows} is filled in per suite.
WORK_BODY = """
    await conn.execute("CREATE TABLE items (id int, grp int, amount numeric)")
    await conn.execute(
        "INSERT INTO items SELECT g, g % 97, (g * 7) % 1000 FROM generate_series(1, {rows}) g"
    )
    await conn.execute("CREATE INDEX ON items (grp)")
    total = await conn.fetchval("SELECT sum(amount) FROM items WHERE grp = $1", n % 97)
    groups = await conn.fetchval("SELECT count(DISTINCT grp) FROM items")
    top = await conn.fetch(
        "SELECT grp, sum(amount) s FROM items GROUP BY grp ORDER BY s DESC LIMIT 3"
    )
    assert total is not None and groups == 97 and len(top) == 3
"""

LIGHT_BODY = """
    await conn.execute("CREATE TABLE t (v int)")
    await conn.execute("INSERT INTO t VALUES ($1)", n)
    assert await conn.fetchval("SELECT count(*) FROM t") == 1
"""

INI = """[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""


def run(project: Path, workers: int, expected: int) -> float:
    """Whole-process wall seconds of one run; fails unless every test passed."""
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    args += ["-p", "no:pytest_postgresql", "-n", str(workers)]
    env = {**os.environ, "PGTDD_PROFILE": "container", "PGTDD_PORT": "0"}
    started = time.perf_counter()
    out = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if out.returncode != 0 or f"{expected} passed" not in out.stdout:
        raise RuntimeError(f"run failed in {project} (-n {workers}):\n{out.stdout[-3000:]}")
    return wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="pgtdd-xdist-"))
    suites = {
        "work": WORK_BODY.replace("{rows}", "20000"),
        "heavy": WORK_BODY.replace("{rows}", "100000"),
        "light": LIGHT_BODY,
    }
    for name, body in suites.items():
        (root / name).mkdir()
        (root / name / "pytest.ini").write_text(INI)
        source = TEST_FILE.replace("{body}", body.strip("\n")).replace("{tests}", str(args.tests))
        (root / name / f"test_{name}.py").write_text(source)
    walls: dict[str, dict[int, list[float]]] = {name: {0: [], 2: []} for name in suites}
    for round_ in range(args.rounds):
        for name in suites:
            for workers in (0, 2):
                wall = run(root / name, workers, args.tests)
                walls[name][workers].append(wall)
                print(f"round {round_ + 1}: {name:<5} -n {workers}: {wall:.2f} s", flush=True)
    results = {}
    print(f"\n{args.tests} tests, {os.cpu_count()} cores, medians of {args.rounds} rounds")
    for name, by_workers in walls.items():
        serial, parallel = (statistics.median(by_workers[w]) for w in (0, 2))
        results[name] = {
            "n0_s": serial,
            "n2_s": parallel,
            "speedup": serial / parallel,
            "samples": {str(w): v for w, v in by_workers.items()},
        }
        print(
            f"  {name:<5}  -n 0 {serial:6.2f} s   -n 2 {parallel:6.2f} s   "
            f"speedup {serial / parallel:.2f}x"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
