"""TDDPerformanceBenchmark and the comprehensive benchmark fixture on a real server."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pgtdd.performance.benchmark import TDDPerformanceBenchmark
from pgtdd.performance.comprehensive import BenchmarkContext
from pgtdd.serverinfo import ServerInfo
from pgtdd.tdd_support import TDDDatabaseManager


@pytest.fixture
def benchmark(pgtdd_tdd_infrastructure: TDDDatabaseManager) -> TDDPerformanceBenchmark:
    return TDDPerformanceBenchmark(pgtdd_tdd_infrastructure.connection_string)


@pytest.mark.asyncio
async def test_every_operation_is_measured_as_often_as_asked(
    benchmark: TDDPerformanceBenchmark,
) -> None:
    await benchmark.benchmark_individual_test(3)
    await benchmark.benchmark_fixture_setup(4)
    await benchmark.benchmark_connection_acquisition(5)
    await benchmark.benchmark_schema_operations(6)
    parallel = await benchmark.benchmark_parallel_execution(2)
    report = benchmark.generate_performance_report()
    counts = {op: stats["count"] for op, stats in report["measurements"].items()}
    assert counts == {
        "individual_test": 3,
        "test_cleanup": 3,
        "fixture_setup": 4,
        "connection_acquire": 5,
        "schema_operation": 6,
        "parallel_execution": 2,
    }
    assert parallel["distinct_connections"] == 2
    assert report["summary"]["operations_tested"] == 6
    for stats in report["measurements"].values():
        assert stats["min"] <= stats["median"] <= stats["p95"] <= stats["max"]


def test_report_follows_the_numbers_recorded() -> None:
    bench = TDDPerformanceBenchmark()
    empty = bench.generate_performance_report()
    assert empty["summary"]["targets_met"] == 0
    assert empty["summary"]["recommendation"] == "No measurements: nothing was benchmarked"
    for ms in (150.0, 160.0, 40.0):
        bench.record_measurement("individual_test", ms)
    slow = bench.generate_performance_report()["measurements"]["individual_test"]
    assert slow["median"] == 150.0
    assert slow["target_achieved"] is False
    assert slow["success_rate"] == pytest.approx(100 / 3)
    bench.record_measurement("individual_test", 30.0)
    bench.record_measurement("individual_test", 20.0)
    fast = bench.generate_performance_report()["measurements"]["individual_test"]
    assert fast["median"] == 40.0
    assert fast["target_achieved"] is True


@pytest.mark.asyncio
async def test_comprehensive_benchmark_observes_the_optimisations(
    comprehensive_tdd_benchmark: BenchmarkContext,
) -> None:
    context = comprehensive_tdd_benchmark
    assert context.optimizations_enabled == {
        "connection_pooling": True,
        "schema_caching": True,
        "parallel_execution": True,
    }
    report = context.get_comprehensive_report()
    assert report["measurements"]["individual_test"]["count"] == 10
    assert report["optimizations_enabled"] == context.optimizations_enabled


def test_nothing_measured_means_no_target_achieved() -> None:
    context = BenchmarkContext()
    assert context.validate_performance_target(100.0) is False
    assert context.get_comprehensive_report()["target_achieved"] is False
    assert context.optimizations_enabled["connection_pooling"] is False


def test_bench_command_prints_json_for_every_operation(pgtdd_server: ServerInfo) -> None:
    env = {"TEST_DATABASE_URL": pgtdd_server.url, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pgtdd.cli.main",
            "bench",
            "--profile",
            "local",
            "--json",
            "--scale",
            "0.04",
            "--suite-runs",
            "1",
            "--client-tests",
            "0",
            "--inner-loop-runs",
            "1",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    counts = {op: s["count"] for op, s in report["measurements"].items()}
    assert counts == {
        "individual_test": 2,
        "test_cleanup": 2,
        "fixture_setup": 4,
        "connection_acquire": 4,
        "schema_operation": 2,
        "parallel_execution": 2,
        "test_suite_20": 1,
    }
    assert report["suite_runs"][0]["tests"] == 20
    loop = report["inner_loop"]  # one round: measured, not judged here
    assert loop["runs"] == 1 and loop["db_test_s"] > 0 and loop["plain_test_s"] > 0
    assert loop["ratio"] == pytest.approx(loop["db_test_s"] / loop["plain_test_s"], rel=0.01)
    assert 0 < loop["import_ms"] < 5000 and loop["ratio_target"] == 1.3
    assert report["server"]["version"] == pgtdd_server.version
    assert "bench: individual_test" in done.stderr
    assert pgtdd_server.password not in done.stdout + done.stderr
