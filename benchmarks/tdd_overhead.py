"""Per-test overhead of ``tdd_test_context`` next to pytest-postgresql's ``postgresql`` fixture.

    python benchmarks/tdd_overhead.py [--tests 1000] [--profile local|container] [--json FILE]

One server for everything: the profile's (``local`` uses ``TEST_DATABASE_URL``). Three child
``pytest`` runs of N trivial tests each, all with the pgtdd plugin loaded and the same
pytest-asyncio settings:

* ``pgtdd``             - async tests using ``tdd_test_context`` (savepoint per test);
* ``pytest-postgresql`` - sync tests using its ``postgresql`` fixture through
                          ``postgresql_noproc`` pointed at the same server (a database per test);
* ``no database``       - async tests using no fixture: what pytest itself costs per test.

The overhead of a test is its setup + teardown phase durations (``report.duration``), the
first 10 tests (session setup, warm-up) left out; medians and p95 are printed. Also measured:
the connection acquisition of every pgtdd test (``context.metrics.acquisition_time_ms``, from
the preheated pool) and, without pytest, ``async with tdd_test_context()`` cycles in a loop.
Goals (issue 3): pgtdd under 1 ms and at most 1/20 of pytest-postgresql; acquisition median
under 0.5 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from pgtdd.config.settings import resolve_settings
from pgtdd.serverinfo import ServerInfo
from pgtdd.session import start_server

WARMUP = 10

INI = """\
[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""

RECORDER = """
import json, os
PHASES = {}
ACQUISITIONS = []

def pytest_runtest_logreport(report):
    if report.when in ("setup", "teardown"):
        PHASES.setdefault(report.nodeid, {})[report.when] = report.duration * 1000

def pytest_sessionfinish(session):
    with open(os.environ["BENCH_OUT"], "w") as fh:
        json.dump({"phases": PHASES, "acquisitions": ACQUISITIONS}, fh)
"""

PPG_CONFTEST = """
from pytest_postgresql import factories

postgresql_noproc = factories.postgresql_noproc(
    host={host!r}, port={port}, user={user!r}, password={password!r}, dbname="bench_ppg"
)
postgresql = factories.postgresql("postgresql_noproc")
"""

TESTS = {
    "pgtdd": """
import pytest
from conftest import ACQUISITIONS

@pytest.mark.asyncio
@pytest.mark.parametrize("i", range({n}))
async def test_t(tdd_test_context, i):
    ACQUISITIONS.append(tdd_test_context.metrics.acquisition_time_ms)
""",
    "pytest-postgresql": """
import pytest

@pytest.mark.parametrize("i", range({n}))
def test_t(postgresql, i):
    pass
""",
    "no database": """
import pytest

@pytest.mark.asyncio
@pytest.mark.parametrize("i", range({n}))
async def test_t(i):
    pass
""",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_child(name: str, n: int, server: ServerInfo) -> dict[str, Any]:
    """Run one child session; return per-test overheads (ms) and acquisitions."""
    with tempfile.TemporaryDirectory(prefix="tdd_overhead_") as tmp:
        root = Path(tmp)
        (root / "pytest.ini").write_text(INI)
        conftest = RECORDER
        if name == "pytest-postgresql":
            conftest += PPG_CONFTEST.format(
                host=server.host, port=server.port, user=server.user, password=server.password
            )
        (root / "conftest.py").write_text(conftest)
        (root / "test_bench.py").write_text(textwrap.dedent(TESTS[name].format(n=n)))
        out = root / "out.json"
        env = dict(os.environ, PGTDD_PROFILE="local", TEST_DATABASE_URL=server.url)
        env["BENCH_OUT"] = str(out)
        env.pop("DATAFLOW_TDD_MODE", None)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_bench.py"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{name} run failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        data = json.loads(out.read_text())
    overheads = [p["setup"] + p["teardown"] for p in data["phases"].values()][WARMUP:]
    return {"overheads": overheads, "acquisitions": data["acquisitions"][WARMUP:], "wall": wall}


async def library_cycles(server: ServerInfo, n: int) -> dict[str, float]:
    """``async with tdd_test_context()`` in a loop, no pytest: the fixture logic alone."""
    from pgtdd.tdd_support import (
        setup_tdd_infrastructure,
        tdd_test_context,
        teardown_tdd_infrastructure,
    )

    await setup_tdd_infrastructure(server.url)
    cycles: list[float] = []
    acquisitions: list[float] = []
    try:
        for _ in range(n + WARMUP):
            started = time.perf_counter()
            async with tdd_test_context() as context:
                pass
            cycles.append((time.perf_counter() - started) * 1000)
            acquisitions.append(context.metrics.acquisition_time_ms)
    finally:
        await teardown_tdd_infrastructure()
    return {
        "cycle_median_ms": statistics.median(cycles[WARMUP:]),
        "cycle_p95_ms": percentile(cycles[WARMUP:], 0.95),
        "acquisition_median_ms": statistics.median(acquisitions[WARMUP:]),
    }


def summarize(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": statistics.median(values),
        "p95_ms": percentile(values, 0.95),
        "n": len(values),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=1000)
    parser.add_argument(
        "--profile", default="local" if "TEST_DATABASE_URL" in os.environ else "container"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    provider, server = start_server(resolve_settings(cli_profile=args.profile, cli_port=0))
    try:
        print(f"server: PostgreSQL {server.version} at {server.safe_url} ({args.profile})")
        results: dict[str, Any] = {}
        for name in TESTS:
            run = run_child(name, args.tests + WARMUP, server)
            results[name] = {**summarize(run["overheads"]), "wall_s": run["wall"]}
            if run["acquisitions"]:
                results[name]["acquisition"] = summarize(run["acquisitions"])
            print(f"  {name:<18} done in {run['wall']:.1f} s")
        results["library"] = asyncio.run(library_cycles(server, args.tests))
    finally:
        provider.stop()
    report(results, args.tests)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def report(results: dict[str, Any], n: int) -> None:
    pgtdd, ppg, bare = results["pgtdd"], results["pytest-postgresql"], results["no database"]
    print(f"\nper-test overhead (setup + teardown), {n} tests each, first {WARMUP} left out")
    print(f"  {'approach':<32} {'median ms':>10} {'p95 ms':>10}")
    for label, row in (
        ("pgtdd tdd_test_context", pgtdd),
        ("pytest-postgresql postgresql", ppg),
        ("no database (pytest itself)", bare),
    ):
        print(f"  {label:<32} {row['median_ms']:>10.3f} {row['p95_ms']:>10.3f}")
    net = pgtdd["median_ms"] - bare["median_ms"]
    ratio = ppg["median_ms"] / pgtdd["median_ms"]
    library = results["library"]
    acquisition = pgtdd["acquisition"]["median_ms"]
    print(f"  pgtdd minus pytest's own cost: {net:.3f} ms")
    print(f"  pytest-postgresql / pgtdd: {ratio:.0f}x")
    print(
        f"  without pytest: tdd_test_context cycle median {library['cycle_median_ms']:.3f} ms, "
        f"p95 {library['cycle_p95_ms']:.3f} ms"
    )
    print(
        f"  acquisition from the preheated pool: median {acquisition:.4f} ms in the fixture, "
        f"{library['acquisition_median_ms']:.4f} ms in the loop"
    )
    goals = [
        ("overhead < 1 ms", pgtdd["median_ms"] < 1.0),
        ("overhead <= 1/20 of pytest-postgresql", ratio >= 20),
        ("acquisition median < 0.5 ms", acquisition < 0.5),
    ]
    for label, met in goals:
        print(f"  goal {label}: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
