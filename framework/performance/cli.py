"""``pgtdd bench``, ``pgtdd perf-baseline`` and ``pgtdd perf-gate``."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

from pgtdd.performance.gate import PerformanceGate
from pgtdd.performance.report import build_baseline, load_perf_document
from pgtdd.redact import redact


def add_subcommands(subparsers: Any) -> None:
    """Add this module's subcommands to the ``pgtdd`` parser."""
    bench = subparsers.add_parser(
        "bench", help="benchmark the TDD infrastructure against pgtdd's performance targets"
    )
    bench.add_argument("--profile", help="profile name or YAML path (default as for pytest)")
    bench.add_argument(
        "--db-version", metavar="MAJOR", help="PostgreSQL major (15-18; default as for pytest)"
    )
    bench.add_argument("--json", action="store_true", help="print the report as JSON (for CI)")
    bench.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply the default iteration counts (50, 100, 100, 50, 10) by this",
    )
    bench.add_argument(
        "--suite-runs",
        type=int,
        default=3,
        help="times to run the 20-test suite as a new pytest process (0 skips it)",
    )
    bench.add_argument(
        "--client-tests",
        type=int,
        default=200,
        help="empty tests per client fixture (asyncpg, psycopg, SQLAlchemy) for the per-test "
        "overhead table, run interleaved in one pytest process (0 skips it)",
    )
    bench.add_argument(
        "--inner-loop-runs",
        type=int,
        default=7,
        help="rounds of the inner-loop figure: one DB test with a reused server against one "
        "plain test with pgtdd disabled, new pytest processes, interleaved (0 skips it)",
    )
    bench.set_defaults(func=_bench)

    baseline = subparsers.add_parser(
        "perf-baseline", help="build a regression baseline (medians) from several perf JSON runs"
    )
    baseline.add_argument("out", type=Path, help="baseline file to write")
    baseline.add_argument("runs", type=Path, nargs="+", help="files from --pgtdd-perf-json")
    baseline.add_argument("--min-runs", type=int, default=3)
    baseline.set_defaults(func=_perf_baseline)

    gate = subparsers.add_parser(
        "perf-gate", help="fail (exit 1) unless a perf JSON run meets the CI gate's limits"
    )
    gate.add_argument("run", type=Path, help="a file from --pgtdd-perf-json")
    gate.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="override a requirement (e.g. max_test_time_ms=500)",
    )
    gate.set_defaults(func=_perf_gate)


class ProgressLine:
    """One status line on stderr, rewritten in place on a terminal, else a line per step."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.last = ""

    def __call__(self, operation: str, done: int, total: int) -> None:
        if self.live:
            self.stream.write(f"\r\033[Kbench: {operation} {done}/{total}")
            self.stream.flush()
        elif operation != self.last:
            self.stream.write(f"bench: {operation} ({total})...\n")
            self.stream.flush()
        self.last = operation

    def finish(self) -> None:
        """Clear the progress line (when it was drawn live)."""
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _bench(args: argparse.Namespace) -> int:
    from pgtdd.config.settings import activated, resolve_settings
    from pgtdd.performance.benchmark import TDDPerformanceBenchmark
    from pgtdd.session import start_server

    settings = resolve_settings(cli_profile=args.profile, cli_version=args.db_version)
    progress = ProgressLine()
    progress("starting server", 0, 1)
    provider, server = start_server(settings)
    try:
        with activated(settings):  # the guard judges the pool's URL by this profile
            benchmark = TDDPerformanceBenchmark(server.url, progress=progress)
            asyncio.run(_run_benchmark(benchmark, args.scale))
    finally:
        provider.stop()
    suite = _suite_runs(args.suite_runs, settings.profile, benchmark, progress)
    clients = _client_overhead(args.client_tests, str(settings.profile.path), progress)
    inner = _inner_loop(args.inner_loop_runs, settings.profile, progress)
    report = benchmark.generate_performance_report()
    progress.finish()
    report["server"] = {
        "version": server.version,
        "version_num": server.version_num,
        "major": server.major,
        "provider": server.provider,
        "profile": server.profile,
        "image": server.image,
        "cpus": os.cpu_count(),
    }
    report["suite_runs"] = suite
    if clients is not None:
        report["client_overhead"] = clients
    if inner is not None:
        report["inner_loop"] = inner
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print("\n".join(format_report(report)))
    return 0


async def _run_benchmark(benchmark: Any, scale: float) -> dict[str, Any]:
    from pgtdd.isolation.runner import get_database_manager
    from pgtdd.performance.benchmark import run_comprehensive_benchmark

    try:
        return await run_comprehensive_benchmark(benchmark, scale)
    finally:
        await get_database_manager().close()


def _suite_runs(
    runs: int, profile: Any, benchmark: Any, progress: ProgressLine
) -> list[dict[str, Any]]:
    """Run the generated 20-test suite ``runs`` times (cold start included, as a user would)."""
    from pgtdd.performance.suite import run_suite, write_pgtdd_suite

    results = []
    with tempfile.TemporaryDirectory(prefix="pgtdd-bench-") as tmp:
        folder = write_pgtdd_suite(Path(tmp), 20)
        for i in range(runs):
            progress("test_suite_20", i, runs)
            run = run_suite(folder, 20, env=_profile_env(profile))
            if not run.ok:
                raise RuntimeError(
                    f"the 20-test suite failed (exit {run.returncode}):\n{redact(run.output)}"
                )
            benchmark.record_measurement("test_suite_20", run.wall_s * 1000)
            results.append({"tests": run.tests, "wall_s": round(run.wall_s, 3)})
    return results


def _client_overhead(tests: int, profile: str, progress: ProgressLine) -> dict[str, Any] | None:
    """Each client fixture's per-test overhead, one pytest process (``None`` when skipped)."""
    if tests <= 0:
        return None
    from pgtdd.performance.client_overhead import run_client_overhead

    progress("client_overhead", 0, 1)
    run = run_client_overhead(tests, env={"PGTDD_PROFILE": profile})
    return run.summary()


def _inner_loop(runs: int, profile: Any, progress: ProgressLine) -> dict[str, Any] | None:
    """The TDD inner-loop figures (``None`` when skipped)."""
    if runs <= 0:
        return None
    from pgtdd.performance.inner_loop import measure_inner_loop

    progress("inner_loop", 0, 1)
    return measure_inner_loop(runs, _profile_env(profile)).as_dict()


def _profile_env(profile: Any) -> dict[str, str]:
    """The environment that makes an inner pytest run use the benchmarked profile and major."""
    env = {"PGTDD_PROFILE": str(profile.path)}
    if profile.version is not None:
        env["PGTDD_PG_VERSION"] = str(profile.version)
    return env


def format_report(report: dict[str, Any]) -> list[str]:
    """The report as a table against pgtdd's targets."""
    server = report.get("server", {})
    lines = [
        f"pgtdd bench: PostgreSQL {server.get('version', '?')} via {server.get('provider', '?')}"
        f" (profile {server.get('profile', '?')}, image {server.get('image') or '-'}),"
        f" {server.get('cpus', '?')} CPU(s)",
        "",
        f"{'operation':<20} {'n':>5} {'median ms':>10} {'p95 ms':>9} {'target ms':>10} "
        f"{'under target':>13}  result",
    ]
    for operation, s in report["measurements"].items():
        lines.append(
            f"{operation:<20} {s['count']:>5} {s['median']:>10.2f} {s['p95']:>9.2f} "
            f"{s['target']:>10g} {s['success_rate']:>12.1f}%  "
            f"{'PASS' if s['target_achieved'] else 'FAIL'}"
        )
    summary = report["summary"]
    parallel = report.get("parallel")
    lines.append("")
    if parallel:
        lines.append(
            f"parallel: {parallel['distinct_connections']} connections, "
            f"efficiency {parallel['parallel_efficiency']:.1f}x, "
            f"wall {parallel['total_time']:.1f} ms, "
            f"{len(parallel['isolation_warnings'])} isolation warning(s)"
        )
    lines.append(
        f"targets met (median): {summary['targets_met']} of {summary['operations_tested']}"
        f" - {summary['recommendation']}"
    )
    if report.get("client_overhead"):
        from pgtdd.performance.client_overhead import format_client_overhead

        lines += ["", *format_client_overhead(report["client_overhead"])]
    if report.get("inner_loop"):
        from pgtdd.performance.inner_loop import format_inner_loop

        lines += ["", *format_inner_loop(report["inner_loop"])]
    return lines


def _perf_baseline(args: argparse.Namespace) -> int:
    try:
        established = build_baseline(args.runs, args.out, args.min_runs)
    except ValueError as exc:
        print(f"pgtdd perf-baseline: {exc}", file=sys.stderr)
        return 2
    tests = [name for name in established if not name.startswith(("queries::", "suite::"))]
    print(f"wrote {args.out}: medians of {len(args.runs)} runs for {len(tests)} test(s)")
    return 0


def _perf_gate(args: argparse.Namespace) -> int:
    gate = PerformanceGate()
    for item in args.limit:
        metric, _, value = item.partition("=")
        try:
            gate.required_metrics[metric] = float(value)
        except ValueError:
            print(f"pgtdd perf-gate: --limit {item!r}: expected METRIC=NUMBER", file=sys.stderr)
            return 2
    try:
        gate.record_perf_run(load_perf_document(args.run))
    except ValueError as exc:
        print(f"pgtdd perf-gate: {exc}", file=sys.stderr)
        return 2
    result = gate.evaluate_gate()
    for metric, limit in result["requirements"].items():
        value = result["measurements"].get(metric)
        shown = "missing" if value is None else f"{value:.2f}"
        print(f"{metric:<26} {shown:>10}  limit {limit:g}")
    if not result["passed"]:
        print("Performance gate FAILED:")
        for failure in result["failures"]:
            print(f"  - {failure}")
        return 1
    print("Performance gate PASSED")
    return 0
