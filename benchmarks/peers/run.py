"""Peer comparison: whole ``pytest`` processes of 20 and 200 tests, three approaches.

    python benchmarks/peers/run.py [--sizes 20,200] [--runs 3] [--json OUT] [--chart PNG]

Each run starts a new ``pytest`` process per approach and size (cold start included: the
container, the connections, the plugin imports) and times it from spawn to exit. Runs are
interleaved (every approach once per round) so drift on the machine hits all alike; the
figures are medians over the rounds. Per-test overhead is the marginal cost of a test:
``(wall(200) - wall(20)) / 180``. Ratios are the peer's figure over pgtdd's.

Needs Docker, the ``pgtdd/postgres:18`` image (``pgtdd image build``; ``--image`` for another
major's, ``benchmarks/majors.py`` for the majors side by side), pytest-postgresql and
testcontainers; the chart needs matplotlib (dev dependency).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from suites import APPROACHES, DISABLED_PLUGINS, write_suite

from pgtdd.performance.suite import run_suite

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_JSON = HERE / "results" / "latest.json"
DEFAULT_CHART = ROOT / "docs" / "performance_peers.png"


def _clean_env(image: str) -> dict[str, str]:
    """This environment without pgtdd/test-database overrides, plus the peers' settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PGTDD_", "PYTEST_")) and k not in ("TEST_DATABASE_URL",)
    }
    tag = image.rpartition(":")[2]
    if tag.isdigit():  # pgtdd/postgres:<major>: the pgtdd approach asks for that major
        env["PGTDD_PG_VERSION"] = tag
    env.update(
        PEER_IMAGE=image,
        PGTDD_IMAGE=image,
        PGTDD_PROFILE="container",
        TESTCONTAINERS_RYUK_DISABLED="true",  # ryuk's image cannot be pulled here
    )
    return env


def _machine(image: str) -> dict[str, Any]:
    version = subprocess.run(
        ["docker", "run", "--rm", "--entrypoint", "postgres", image, "--version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgres": version or "unknown",
        "image": image,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def measure(sizes: list[int], runs: int, image: str, approaches: list[str]) -> dict[str, Any]:
    """Run every (approach, size) ``runs`` times, interleaved; return raw and median figures."""
    env = _clean_env(image)
    walls: dict[str, dict[int, list[float]]] = {a: {n: [] for n in sizes} for a in approaches}
    with tempfile.TemporaryDirectory(prefix="pgtdd-peers-") as tmp:
        folders = {
            (a, n): write_suite(a, Path(tmp) / f"{a}-{n}", n) for a in approaches for n in sizes
        }
        for round_no in range(1, runs + 1):
            for n in sizes:
                for a in approaches:
                    args = tuple(x for p in DISABLED_PLUGINS[a] for x in ("-p", f"no:{p}"))
                    run = run_suite(folders[(a, n)], n, args=args, base_env=env)
                    if not run.ok:
                        raise SystemExit(f"{a} with {n} tests failed:\n{run.output}")
                    walls[a][n].append(run.wall_s)
                    print(
                        f"round {round_no}/{runs}  {a:<18} {n:>4} tests  {run.wall_s:7.2f} s",
                        flush=True,
                    )
    return summarize(walls, sizes)


def summarize(walls: dict[str, dict[int, list[float]]], sizes: list[int]) -> dict[str, Any]:
    """Medians, per-test overhead and ratios to pgtdd."""
    result: dict[str, Any] = {"sizes": sizes, "approaches": {}}
    small, large = min(sizes), max(sizes)
    for approach, by_size in walls.items():
        medians = {n: statistics.median(v) for n, v in by_size.items()}
        entry: dict[str, Any] = {
            "wall_s": {str(n): round(m, 3) for n, m in medians.items()},
            "samples_s": {str(n): [round(x, 3) for x in v] for n, v in by_size.items()},
        }
        if large > small:
            entry["per_test_ms"] = round(
                (medians[large] - medians[small]) / (large - small) * 1e3, 2
            )
        result["approaches"][approach] = entry
    base = result["approaches"].get("pgtdd")
    if base is not None:
        for entry in result["approaches"].values():
            entry["ratio_wall"] = {
                n: round(entry["wall_s"][n] / base["wall_s"][n], 2) for n in entry["wall_s"]
            }
            if "per_test_ms" in entry and base.get("per_test_ms"):
                entry["ratio_per_test"] = round(entry["per_test_ms"] / base["per_test_ms"], 1)
    return result


def table(result: dict[str, Any]) -> list[str]:
    """The figures as a Markdown table."""
    sizes = [str(n) for n in result["sizes"]]
    head = [
        "approach",
        *(f"{n} tests (s)" for n in sizes),
        "per-test overhead (ms)",
        *(f"x pgtdd, {n} tests" for n in sizes),
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for approach, e in result["approaches"].items():
        cells = [
            approach,
            *(f"{e['wall_s'][n]:.2f}" for n in sizes),
            f"{e.get('per_test_ms', float('nan')):.2f}",
            *(f"{e['ratio_wall'][n]:.1f}x" for n in sizes),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="20,200")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--image", default="pgtdd/postgres:18")
    parser.add_argument("--approaches", default=",".join(APPROACHES))
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--chart", type=Path, default=DEFAULT_CHART)
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    approaches = [a for a in args.approaches.split(",") if a]
    started = time.time()
    result = measure(sizes, args.runs, args.image, approaches)
    result["machine"] = _machine(args.image)
    result["runs"] = args.runs
    result["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print("\n" + "\n".join(table(result)))
    print(f"\nmedians of {args.runs} run(s); raw figures in {args.json}")
    try:
        from chart import draw
    except ImportError as exc:
        print(f"no chart: {exc} (pip install matplotlib)")
    else:
        draw(result, args.chart)
        print(f"chart: {args.chart}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
