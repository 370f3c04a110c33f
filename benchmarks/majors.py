"""PostgreSQL majors side by side: cold start and the 20/200-test peer suites, one table.

    python benchmarks/majors.py [--versions 15,16,17,18] [--runs 5] [--sizes 20,200]
                                [--approaches pgtdd,testcontainers] [--json OUT]

For each major, with the tuned image ``pgtdd/postgres:<major>`` (``pgtdd image build --version
N``): the cold start of ``benchmarks/cold_start.py`` (launching ``pytest`` to the first test
body, the container profile, ``--db-version N``) and the whole-process wall time of the peer
suites of ``benchmarks/peers/`` (same test bodies; testcontainers on the same image). The
majors are interleaved, and their order rotates every round, so drift on a shared machine
hits each alike; figures are medians over the rounds. The last columns hold each major's
figures over the first major's (the first of ``--versions``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE / "peers")]

from cold_start import PGTDD_TEST, run  # noqa: E402
from run import _clean_env, _machine  # noqa: E402
from suites import DISABLED_PLUGINS, write_suite  # noqa: E402

from pgtdd.config.versions import MAJORS, parse_version  # noqa: E402
from pgtdd.performance.suite import run_suite  # noqa: E402

DEFAULT_JSON = HERE / "results" / "majors.json"


def _environment(version: int) -> dict[str, str]:
    env = _clean_env(MAJORS[version].image)
    env["PGTDD_PG_VERSION"] = str(version)
    return env


def measure(
    versions: list[int], sizes: list[int], approaches: list[str], runs: int
) -> dict[str, dict[str, list[float]]]:
    """Samples per major and column (``cold start``, ``pgtdd 20``...), majors interleaved."""
    samples: dict[str, dict[str, list[float]]] = {str(v): {} for v in versions}
    with tempfile.TemporaryDirectory(prefix="pgtdd-majors-") as tmp:
        root = Path(tmp)
        cold = root / "cold"
        cold.mkdir()
        (cold / "test_a.py").write_text(PGTDD_TEST)
        folders = {(a, n): write_suite(a, root / f"{a}-{n}", n) for a in approaches for n in sizes}
        for version in versions:  # warm the page cache of every image once
            run(cold, ["-p", "no:pytest_postgresql"], _environment(version))
        for round_no in range(runs):
            order = versions[round_no % len(versions) :] + versions[: round_no % len(versions)]
            for version in order:
                env = _environment(version)
                row = samples[str(version)]
                wall = run(cold, ["-p", "no:pytest_postgresql"], env)
                row.setdefault("cold start", []).append(wall)
                for n in sizes:
                    for approach in approaches:
                        plugins = DISABLED_PLUGINS[approach]
                        args = tuple(x for p in plugins for x in ("-p", f"no:{p}"))
                        done = run_suite(folders[(approach, n)], n, args=args, base_env=env)
                        if not done.ok:
                            raise SystemExit(f"{approach} {n} on {version} failed:\n{done.output}")
                        row.setdefault(f"{approach} {n}", []).append(done.wall_s)
                print(
                    f"round {round_no + 1}/{runs} PostgreSQL {version}: "
                    + "  ".join(f"{k} {v[-1]:.2f}s" for k, v in row.items()),
                    flush=True,
                )
    return samples


def table(samples: dict[str, dict[str, list[float]]]) -> list[str]:
    """Medians per major, and each over the first major's, as a Markdown table."""
    majors = list(samples)
    columns = list(samples[majors[0]])
    medians = {m: {c: statistics.median(samples[m][c]) for c in columns} for m in majors}
    first = medians[majors[0]]
    head = ["PostgreSQL", *(f"{c} (s)" for c in columns), *(f"{c} / {majors[0]}" for c in columns)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for major in majors:
        cells = [major, *(f"{medians[major][c]:.2f}" for c in columns)]
        cells += [f"{medians[major][c] / first[c]:.2f}x" for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--versions", default="15,16,17,18")
    parser.add_argument("--sizes", default="20,200")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--approaches", default="pgtdd,testcontainers")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    versions = [parse_version(v, "--versions") for v in args.versions.split(",")]
    sizes = sorted(int(s) for s in args.sizes.split(","))
    approaches = [a for a in args.approaches.split(",") if a]
    started = time.time()
    samples = measure(versions, sizes, approaches, args.runs)
    result: dict[str, Any] = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "runs": args.runs,
        "machine": {k: v for k, v in _machine(MAJORS[versions[0]].image).items() if k != "image"},
        "servers": {str(v): _machine(MAJORS[v].image)["postgres"] for v in versions},
        "medians_s": {
            m: {c: round(statistics.median(s), 3) for c, s in row.items()}
            for m, row in samples.items()
        },
        "samples_s": {
            m: {c: [round(x, 3) for x in s] for c, s in row.items()} for m, row in samples.items()
        },
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print("\n" + "\n".join(table(samples)))
    print(f"\nmedians of {args.runs} interleaved round(s); raw figures in {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
