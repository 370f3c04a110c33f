"""Command-line options, ini keys and stash keys of the performance plugin."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgtdd.performance.targets import MEMORY_LEAK_THRESHOLD_MB, TARGETS_MS

DEFAULT_TARGET_MS = TARGETS_MS["individual_test"]
DEFAULT_MEMORY_THRESHOLD_MB = MEMORY_LEAK_THRESHOLD_MB

# Milliseconds the test's call phase took, measured by pytest; set by the makereport hook.
CALL_MS_KEY = pytest.StashKey[float]()

MARKERS = {
    "tdd": "tdd: a TDD test using the savepoint-isolated database fixtures",
    "performance": "performance: a performance-critical test (reported against the target)",
    "parallel": "parallel: a test safe to run concurrently with others (xdist)",
    "memory": "memory(threshold_mb=5.0): a memory-sensitive test; the leak-warning threshold",
}


def add_options(parser: pytest.Parser) -> None:
    """Register the ``--pgtdd-perf-*`` options and their ini twins."""
    group = parser.getgroup("pgtdd-perf", "pgtdd: performance report")
    group.addoption(
        "--pgtdd-perf-target",
        type=float,
        metavar="MS",
        help=f"per-test target in ms [ini pgtdd_perf_target_ms; default {DEFAULT_TARGET_MS:g}]",
    )
    group.addoption(
        "--pgtdd-perf-json",
        metavar="PATH",
        help="write per-test timings (setup, call, teardown) and query counts as JSON",
    )
    group.addoption(
        "--pgtdd-baseline",
        metavar="PATH",
        help="compare with a baseline built by `pgtdd perf-baseline` and report regressions",
    )
    group.addoption(
        "--pgtdd-regression-file",
        metavar="PATH",
        help="the regression_detector fixture's baseline file (created if missing) "
        "[ini pgtdd_regression_file; default: pytest's cache dir, else .pgtdd/ in the rootdir]",
    )
    group.addoption(
        "--pgtdd-regression-threshold",
        type=float,
        default=1.2,
        metavar="FACTOR",
        help="slower than baseline median x FACTOR is a regression (default 1.2)",
    )
    group.addoption(
        "--pgtdd-regression-min-ms",
        type=float,
        default=1.0,
        metavar="MS",
        help="ignore slowdowns smaller than this many ms (default 1.0)",
    )
    group.addoption(
        "--pgtdd-fail-on-regression",
        action="store_true",
        help="exit with status 1 when a regression against the baseline is found",
    )
    group.addoption(
        "--no-pgtdd-perf-summary",
        dest="pgtdd_perf_summary",
        action="store_false",
        default=None,
        help="do not print the end-of-run performance summary [ini pgtdd_perf_summary = false]",
    )
    parser.addini("pgtdd_perf_target_ms", "per-test performance target in ms", default=None)
    parser.addini(
        "pgtdd_regression_file",
        "baseline file of the regression_detector fixture (relative to the rootdir)",
        default=None,
    )
    parser.addini(
        "pgtdd_perf_summary",
        "print the end-of-run performance summary (default true)",
        type="bool",
        default=True,
    )


SUMMARY_OFF_HINT = (
    "(turn this summary off: --no-pgtdd-perf-summary, or ini pgtdd_perf_summary = false)"
)


def summary_enabled(config: pytest.Config) -> bool:
    """Whether the end-of-run summary is printed: the CLI switch, else the ini key."""
    value = config.getoption("pgtdd_perf_summary", None)
    if value is None:
        return bool(config.getini("pgtdd_perf_summary"))
    return bool(value)


def regression_file(config: pytest.Config) -> Path:
    """The ``regression_detector`` fixture's baseline file: ``--pgtdd-regression-file``, the
    ini key, ``--pgtdd-baseline``, else a file in pytest's cache dir, or (without the cache
    plugin: ``-p no:cacheprovider``) in ``.pgtdd/`` under the rootdir."""
    chosen = (
        config.getoption("pgtdd_regression_file", None)
        or config.getini("pgtdd_regression_file")
        or config.getoption("pgtdd_baseline", None)
    )
    if chosen:
        path = Path(chosen)
        return path if path.is_absolute() else config.rootpath / path
    cache = getattr(config, "cache", None)  # absent under -p no:cacheprovider
    folder = Path(cache.mkdir("pgtdd")) if cache is not None else config.rootpath / ".pgtdd"
    return folder / "tdd_performance_baseline.json"


def target_ms(config: pytest.Config) -> float:
    """The per-test target: ``--pgtdd-perf-target``, else the ini value, else 100 ms."""
    value = config.getoption("pgtdd_perf_target", None)
    if value is None:
        ini = config.getini("pgtdd_perf_target_ms")
        value = float(ini) if ini not in (None, "") else DEFAULT_TARGET_MS
    if value <= 0:
        raise pytest.UsageError(f"pgtdd: the per-test target must be positive, got {value} ms")
    return float(value)
