"""How fast a version the provider cannot give stops the run: launch to exit of ``pytest``.

    python benchmarks/fail_fast.py [--runs 5]

Each case runs a one-test suite that needs the server, as a new ``pytest`` process, and
checks it failed for the expected reason (exit status and message) before timing counts:

* ``unsupported``   - ``--db-version 99``: refused while the settings are resolved;
* ``no-image``      - the container profile asking for a major whose images are absent here
                      (an image name that does not exist, so no pull can succeed);
* ``no-binaries``   - the native profile asking for a major with no binaries here;
* ``no-docker``     - for scale: the container profile with no Docker engine reachable.

Prints per-run figures and medians (goal: under 2 s each, pytest's own start included).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEST = "def test_db(pgtdd_server):\n    pass\n"
CASES: dict[str, tuple[list[str], dict[str, str], str]] = {
    "unsupported": (["--db-version", "99"], {}, "is not a version pgtdd provisions"),
    "no-image": (
        ["--db-profile", "container", "--db-version", "17"],
        {"PGTDD_IMAGE": "pgtdd-bench/absent:{version}"},
        "none of the profile's images is present",
    ),
    "no-binaries": (
        ["--db-profile", "native", "--db-version", "16"],
        {"PGTDD_PG_BIN": "/nonexistent"},
        "no PostgreSQL 16 server binaries",
    ),
    "no-docker": (
        ["--db-profile", "container"],
        {"DOCKER_HOST": "unix:///nonexistent/docker.sock"},
        "Docker is not reachable",
    ),
}


def once(folder: Path, args: list[str], extra: dict[str, str], expected: str) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PGTDD_", "PYTEST_"))}
    env.pop("CI", None)
    env.update(extra)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    out = done.stdout + done.stderr
    if done.returncode == 0 or expected not in out:
        raise SystemExit(f"{args}: expected a failure saying {expected!r}, got:\n{out[-2000:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pgtdd-fail-fast-") as tmp:
        folder = Path(tmp)
        (folder / "test_a.py").write_text(TEST)
        times: dict[str, list[float]] = {name: [] for name in CASES}
        for run in range(args.runs):
            for name, (cli, extra, expected) in CASES.items():
                times[name].append(once(folder, cli, extra, expected))
            print(f"run {run + 1}: " + "  ".join(f"{k} {v[-1]:.2f}s" for k, v in times.items()))
    print("\nmedian seconds from launching pytest to its exit, failing for the reason named:")
    for name, values in times.items():
        print(f"  {name:<12} {statistics.median(values):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
