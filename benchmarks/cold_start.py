"""Session cold start: from launching ``pytest`` to the first test body, median of N runs.

    python benchmarks/cold_start.py [--runs 5] [--version 18]

Side by side in one run, alternating so both see the same machine state:

* ``pgtdd``        - the container provider (``pgtdd/postgres:<major>``, tmpfs), a test using
                     ``pgtdd_server``;
* ``pgtdd-reuse``  - the same with ``--db-reuse`` (the container of the first reuse run is kept;
                     the figure is the median of the runs after it);
* ``bare``         - pytest alone, pgtdd's plugin disabled and a test with no fixture: the floor
                     every arm pays (interpreter, pytest and the other installed plugins);
* ``plain``        - a plain testcontainers ``PostgresContainer`` session fixture on
                     ``pgtdd/postgres-base:<major>`` (the same PostgreSQL build, initdb at
                     start, as the official image does), pgtdd's plugin disabled.

pytest-postgresql's plugin (a dev dependency, for the peer benchmark only) is disabled in every
arm: a user of pgtdd does not load it. Each test prints ``time.time()`` on entry; the launcher
records ``time.time()`` just before starting the process. Prints per-run figures, medians, and
the ratios the issue asks for.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

PGTDD_TEST = """
import time
def test_first(pgtdd_server):
    print("BODY", time.time(), flush=True)
"""

PLAIN_CONFTEST = """
import os

import pytest
from testcontainers.postgres import PostgresContainer

@pytest.fixture(scope="session")
def pg():
    with PostgresContainer(os.environ["PEER_BASE_IMAGE"], username="dataflow_test",
                           password="dataflow_test_password", dbname="dataflow_test") as c:
        yield c.get_connection_url()
"""

BARE_TEST = """
import time
def test_first():
    print("BODY", time.time(), flush=True)
"""

PLAIN_TEST = """
import time
def test_first(pg):
    print("BODY", time.time(), flush=True)
"""


PYTEST = (sys.executable, "-m", "pytest", "-s", "-q", "-p", "no:cacheprovider")
PYTEST += ("-p", "no:pytest_postgresql")


def run(project: Path, args: list[str], env: dict[str, str]) -> float:
    """Seconds from launch to the first test body."""
    started = time.time()
    out = subprocess.run(
        [*PYTEST, *args],
        cwd=project,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    for line in out.stdout.splitlines():
        if line.startswith("BODY"):
            return float(line.split()[1]) - started
    raise RuntimeError(f"no test body ran in {project}:\n{out.stdout}\n{out.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--version", default="18", help="PostgreSQL major (15-18)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="pgtdd-cold-"))
    ours, plain, bare = root / "pgtdd", root / "plain", root / "bare"
    for path, files in (
        (ours, {"test_a.py": PGTDD_TEST}),
        (bare, {"test_a.py": BARE_TEST}),
        (plain, {"conftest.py": PLAIN_CONFTEST, "test_a.py": PLAIN_TEST}),
    ):
        path.mkdir()
        for name, text in files.items():
            (path / name).write_text(textwrap.dedent(text))
    env = {
        "PGTDD_PROFILE": "container",
        "PGTDD_PG_VERSION": args.version,
        "PEER_BASE_IMAGE": f"pgtdd/postgres-base:{args.version}",
        "CI": "",
        "TESTCONTAINERS_RYUK_DISABLED": "true",
    }
    results: dict[str, list[float]] = {"pgtdd": [], "pgtdd-reuse": [], "plain": [], "bare": []}
    run(ours, [], env)  # warm the page cache for the image and Python imports alike
    run(plain, ["-p", "no:pgtdd"], env)
    try:
        for i in range(args.runs):
            results["pgtdd"].append(run(ours, [], env))
            results["plain"].append(run(plain, ["-p", "no:pgtdd"], env))
            results["pgtdd-reuse"].append(run(ours, ["--db-reuse"], env))
            results["bare"].append(run(bare, ["-p", "no:pgtdd"], env))
            print(
                f"run {i + 1}: " + "  ".join(f"{k} {v[-1]:.3f}s" for k, v in results.items()),
                flush=True,
            )
    finally:
        subprocess.run(
            [sys.executable, "-m", "pgtdd.cli.main", "down"], check=False, capture_output=True
        )
    medians = {k: statistics.median(v[1:] if k == "pgtdd-reuse" else v) for k, v in results.items()}
    print("\nmedian seconds from launching pytest to the first test body:")
    for name, value in medians.items():
        print(f"  {name:<12} {value:.3f}")
    print(
        f"pgtdd / plain testcontainers: {medians['pgtdd'] / medians['plain']:.2f}x "
        "(goal <= 0.40x, and pgtdd under 1.0 s; reuse under 0.3 s)"
    )
    print(
        f"above bare pytest: pgtdd +{medians['pgtdd'] - medians['bare']:.3f} s, reuse "
        f"+{medians['pgtdd-reuse'] - medians['bare']:.3f} s, plain "
        f"+{medians['plain'] - medians['bare']:.3f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
