"""Per-test timings: the record, the ``--pgtdd-perf-json`` document, the terminal lines and
the baseline built from several such documents.

A test's **own time** is its setup without the setup of shared (session, package, module,
class scoped) fixtures, plus its call and teardown: that is what is held against the per-test
target. The shared setup is reported beside it, so a container start is visible but does not
make the first test look slow.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pgtdd.lazy import lazy_module

# The statistics and the regression store load when a run's report is written, not with the
# pytest plugin (~2 ms of every pytest start).
if TYPE_CHECKING:
    from pgtdd.performance import stats as stats_mod
    from pgtdd.performance.regression import RegressionDetector
else:
    stats_mod = lazy_module("pgtdd.performance.stats")

PERF_FORMAT = "pgtdd-perf/1"
SUITE_PREFIX = "suite::"
QUERIES_PREFIX = "queries::"


@dataclass
class TestTiming:
    """What was measured for one test (durations are pytest's own, in ms)."""

    nodeid: str
    outcome: str = "passed"
    setup_ms: float = 0.0
    call_ms: float = 0.0
    teardown_ms: float = 0.0
    shared_setup_ms: float = 0.0
    shared_fixtures: dict[str, float] = field(default_factory=dict)
    queries: dict[str, int] = field(default_factory=dict)

    @property
    def own_ms(self) -> float:
        """Setup (without shared fixtures), call and teardown: the time the test itself costs."""
        return max(self.setup_ms - self.shared_setup_ms, 0.0) + self.call_ms + self.teardown_ms

    @property
    def total_queries(self) -> int:
        """Statements sent in all three phases."""
        return sum(self.queries.values())

    def to_json(self, target_ms: float) -> dict[str, Any]:
        """The test's entry of the perf JSON document."""
        return {
            "nodeid": self.nodeid,
            "outcome": self.outcome,
            "setup_ms": round(self.setup_ms, 3),
            "call_ms": round(self.call_ms, 3),
            "teardown_ms": round(self.teardown_ms, 3),
            "shared_setup_ms": round(self.shared_setup_ms, 3),
            "shared_fixtures": {k: round(v, 3) for k, v in self.shared_fixtures.items()},
            "own_ms": round(self.own_ms, 3),
            "queries": dict(self.queries),
            "over_target": self.own_ms > target_ms,
        }


def perf_document(
    timings: Iterable[TestTiming],
    target_ms: float,
    wall_s: float,
    server: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``--pgtdd-perf-json`` document; ``server`` is the PostgreSQL it ran on
    (:func:`server_record`), when the session had one."""
    tests = [t.to_json(target_ms) for t in timings]
    ran = [t for t in tests if t["outcome"] != "skipped"]
    own = [t["own_ms"] for t in ran]
    summary: dict[str, Any] = {"tests": len(ran), "wall_s": round(wall_s, 3)}
    if own:
        stats = stats_mod.summarize(own, target_ms)
        summary.update(
            over_target=sum(t["over_target"] for t in ran),
            median_own_ms=round(stats["median"], 3),
            p95_own_ms=round(stats["p95"], 3),
            max_own_ms=round(stats["max"], 3),
            queries=sum(sum(t["queries"].values()) for t in ran),
        )
    return {
        "format": PERF_FORMAT,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "server": dict(server or {}),
        "target_ms": target_ms,
        "summary": summary,
        "tests": tests,
    }


def server_record(version: str, version_num: int) -> dict[str, Any]:
    """What a perf document or baseline records of the server: its version and major."""
    return {"version": version, "version_num": version_num, "major": version_num // 10000}


def load_perf_document(path: Path) -> dict[str, Any]:
    """Read a ``--pgtdd-perf-json`` file, naming the problem if it is not one."""
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read a perf JSON file ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != PERF_FORMAT:
        raise ValueError(
            f"{path}: not a {PERF_FORMAT} file; write one with `pytest --pgtdd-perf-json PATH`"
        )
    return data


def run_metrics(perf: Mapping[str, Any]) -> dict[str, float]:
    """One run's metrics for a baseline: own ms per test, queries per test, suite figures."""
    metrics: dict[str, float] = {}
    for test in perf["tests"]:
        if test["outcome"] != "passed":
            continue
        metrics[test["nodeid"]] = float(test["own_ms"])
        metrics[QUERIES_PREFIX + test["nodeid"]] = float(sum(test["queries"].values()))
    summary = perf.get("summary", {})
    for key in ("median_own_ms", "wall_s"):
        if key in summary:
            metrics[SUITE_PREFIX + key] = float(summary[key])
    return metrics


def over_target_lines(timings: Sequence[TestTiming], target_ms: float) -> list[str]:
    """The terminal summary: tests over target, phase split and query counts."""
    slow = sorted((t for t in timings if t.own_ms > target_ms), key=lambda t: -t.own_ms)
    lines = [f"{len(slow)} of {len(timings)} tests over the {target_ms:g} ms target (own time)"]
    if slow:
        lines.append(f"{'own ms':>9} {'setup':>9} {'call':>9} {'teardown':>9}  queries s/c/t  test")
    for t in slow:
        q = t.queries
        counts = f"{q.get('setup', 0)}/{q.get('call', 0)}/{q.get('teardown', 0)}"
        lines.append(
            f"{t.own_ms:9.1f} {t.setup_ms - t.shared_setup_ms:9.1f} {t.call_ms:9.1f} "
            f"{t.teardown_ms:9.1f}  {counts:>13}  {t.nodeid}"
        )
    shared: dict[str, float] = {}
    for t in timings:
        for name, ms in t.shared_fixtures.items():
            shared[name] = shared.get(name, 0.0) + ms
    if shared:
        biggest = sorted(shared.items(), key=lambda kv: -kv[1])[:5]
        lines.append(
            "shared fixture setup (not held against tests): "
            + ", ".join(f"{name} {ms:.1f} ms" for name, ms in biggest)
        )
    if timings:
        stats = stats_mod.summarize([t.own_ms for t in timings])
        lines.append(
            f"own time per test: median {stats['median']:.1f} ms, p95 {stats['p95']:.1f} ms, "
            f"max {stats['max']:.1f} ms; statements sent: {sum(t.total_queries for t in timings)}"
        )
    return lines


def build_baseline(perf_files: Sequence[Path], out: Path, min_runs: int = 3) -> dict[str, float]:
    """Write a baseline of per-test medians over ``perf_files`` (one file per run)."""
    if len(perf_files) < min_runs:
        raise ValueError(
            f"a baseline needs at least {min_runs} runs (medians, not one sample); got "
            f"{len(perf_files)}: run pytest --pgtdd-perf-json {min_runs} times"
        )
    documents = [load_perf_document(p) for p in perf_files]
    majors = {doc.get("server", {}).get("major") for doc in documents}
    if len(majors) > 1:
        found = ", ".join(
            f"{p.name}: PostgreSQL {doc.get('server', {}).get('major') or 'unknown'}"
            for p, doc in zip(perf_files, documents, strict=True)
        )
        raise ValueError(
            f"the runs were measured on different PostgreSQL majors ({found}): build one "
            "baseline per major, from runs of that major"
        )
    out.unlink(missing_ok=True)
    from pgtdd.performance.regression import RegressionDetector

    detector = RegressionDetector(out, min_runs=min_runs)
    server = documents[0].get("server") or {}
    if server.get("major"):
        detector.server = {"major": server["major"], "version": server.get("version", "")}
    return detector.establish_baseline([run_metrics(doc) for doc in documents])


def regression_lines(
    detector: RegressionDetector,
    timings: Sequence[TestTiming],
    median_own_ms: float | None,
    major: int | None = None,
) -> tuple[list[str], int]:
    """Lines comparing this run with the baseline, and how many time regressions there were.

    A baseline of another PostgreSQL major than this run's (``major``) is not compared: the
    lines say so (its figures are not this server's).
    """
    theirs = detector.server_major
    if theirs is not None and major is not None and theirs != major:
        return [
            f"baseline {detector.baseline_file} was measured on PostgreSQL {theirs}, this run "
            f"on PostgreSQL {major}: not compared. Build a baseline of {major} from runs on it "
            "(`pytest --pgtdd-perf-json runN.json`, then `pgtdd perf-baseline`)"
        ], 0
    current: dict[str, float] = {t.nodeid: t.own_ms for t in timings if t.outcome == "passed"}
    if median_own_ms is not None:
        current[SUITE_PREFIX + "median_own_ms"] = median_own_ms
    results = detector.check_all(current)
    regressed = [r for r in results if r["regression_detected"]]
    lines = [
        f"{len(regressed)} regression(s) in {len(results)} compared metric(s) "
        f"(slower than baseline median x {detector.regression_threshold:g} "
        f"and by more than {detector.min_delta:g} ms)"
    ]
    for r in sorted(regressed, key=lambda r: -r["degradation_factor"]):
        lines.append(
            f"  REGRESSION {r['metric']}: {r['current_value']:.2f} ms vs baseline "
            f"{r['baseline_value']:.2f} ms (x{r['degradation_factor']:.2f}, "
            f"median of {r['baseline_runs']} runs)"
        )
    for t in timings:
        entry = detector.baseline_data.get(QUERIES_PREFIX + t.nodeid)
        if entry is not None and t.total_queries > entry.median:
            lines.append(
                f"  more statements {t.nodeid}: {t.total_queries} vs baseline {entry.median:g}"
            )
    missing = [
        name
        for name in detector.baseline_data
        if not name.startswith((QUERIES_PREFIX, SUITE_PREFIX)) and name not in current
    ]
    if missing:
        lines.append(f"  {len(missing)} baseline test(s) not run or not passed this time")
    return lines, len(regressed)


def median_or_none(values: Sequence[float]) -> float | None:
    """The median, or None when there is nothing to take it of."""
    import statistics

    return float(statistics.median(values)) if values else None
