"""The pytest side: over-target summary, perf JSON, baseline comparison, markers."""

from __future__ import annotations

import json

import pytest

from pgtdd.cli.main import main as pgtdd
from pgtdd.serverinfo import ServerInfo

WORK = """
import os, time

def test_fast():
    pass

def test_work():
    time.sleep(float(os.environ.get("WORK_MS", "0")) / 1000)
"""


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_a_test_sleeping_150_ms_is_reported_over_target_with_its_phases(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORK_MS", "150")
    pytester.makepyfile(WORK)
    result = _run(pytester, "--pgtdd-perf-json", "perf.json")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*pgtdd performance*",
            "1 of 2 tests over the 100 ms target (own time)",
            "*own ms*setup*call*teardown*queries s/c/t*test",
            "*0/0/0  test_a_test_sleeping_150_ms_*.py::test_work",
        ]
    )
    doc = json.loads((pytester.path / "perf.json").read_text())
    assert doc["format"] == "pgtdd-perf/1"
    work = next(t for t in doc["tests"] if t["nodeid"].endswith("::test_work"))
    assert work["call_ms"] >= 150.0
    assert work["over_target"] is True
    # Fixtures of a wider scope set up within the test (pytest-django's autouse ones, when it
    # is installed) are shared setup, not the test's own time.
    assert work["own_ms"] == pytest.approx(
        work["setup_ms"] - work["shared_setup_ms"] + work["call_ms"] + work["teardown_ms"],
        abs=0.01,
    )
    assert work["queries"] == {"setup": 0, "call": 0, "teardown": 0}
    assert doc["summary"]["tests"] == 2


def test_the_target_is_configurable_in_the_ini_file(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORK_MS", "150")
    pytester.makeini("[pytest]\npgtdd_perf_target_ms = 5000\n")
    pytester.makepyfile(WORK)
    result = _run(pytester, "--pgtdd-perf-json", "perf.json")
    result.stdout.fnmatch_lines(["0 of 2 tests over the 5000 ms target (own time)"])
    doc = json.loads((pytester.path / "perf.json").read_text())
    assert doc["target_ms"] == 5000.0
    assert not any(t["over_target"] for t in doc["tests"])


def test_nothing_is_printed_when_no_test_is_over_target_and_no_option_is_used(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = _run(pytester, "--pgtdd-perf-target", "5000")
    result.assert_outcomes(passed=1)
    assert "pgtdd performance" not in result.stdout.str()


def test_the_summary_says_how_to_turn_it_off_and_both_switches_do(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORK_MS", "150")
    pytester.makepyfile(WORK)
    shown = _run(pytester)
    shown.stdout.fnmatch_lines(
        ["*pgtdd performance*", "*--no-pgtdd-perf-summary, or ini pgtdd_perf_summary = false*"]
    )
    off = _run(pytester, "--no-pgtdd-perf-summary")
    off.assert_outcomes(passed=2)
    assert "pgtdd performance" not in off.stdout.str()
    pytester.makeini("[pytest]\npgtdd_perf_summary = false\n")
    off_ini = _run(pytester)
    off_ini.assert_outcomes(passed=2)
    assert "pgtdd performance" not in off_ini.stdout.str()


def test_saved_baseline_plus_a_slower_run_reports_a_regression(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(WORK)
    monkeypatch.setenv("WORK_MS", "0")
    runs = []
    for i in range(3):
        _run(pytester, "--pgtdd-perf-json", f"run{i}.json").assert_outcomes(passed=2)
        runs.append(str(pytester.path / f"run{i}.json"))
    baseline = str(pytester.path / "baseline.json")
    assert pgtdd(["perf-baseline", baseline, *runs]) == 0
    assert json.loads((pytester.path / "baseline.json").read_text())["format"] == "pgtdd-baseline/1"

    same = _run(pytester, "--pgtdd-baseline", baseline)
    same.stdout.fnmatch_lines(["0 regression(s) in * compared metric(s)*"])

    monkeypatch.setenv("WORK_MS", "150")
    slower = _run(pytester, "--pgtdd-baseline", baseline)
    assert slower.ret == pytest.ExitCode.OK
    slower.stdout.fnmatch_lines(
        ["*pgtdd regressions vs baseline*", "*REGRESSION *::test_work: * ms vs baseline * ms*"]
    )
    gated = _run(pytester, "--pgtdd-baseline", baseline, "--pgtdd-fail-on-regression")
    assert gated.ret == pytest.ExitCode.TESTS_FAILED


def test_baseline_from_one_run_is_refused(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(WORK)
    _run(pytester, "--pgtdd-perf-json", "run.json")
    out, run = str(pytester.path / "b.json"), str(pytester.path / "run.json")
    assert pgtdd(["perf-baseline", out, run]) == 2
    assert not (pytester.path / "b.json").exists()


def test_a_missing_baseline_file_is_a_usage_error_naming_the_fix(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = _run(pytester, "--pgtdd-baseline", "nope.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*baseline nope.json does not exist*pgtdd perf-baseline*"])


def test_perf_gate_command_fails_a_run_over_its_limits(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(WORK)
    _run(pytester, "--pgtdd-perf-json", "run.json")
    run = str(pytester.path / "run.json")
    assert pgtdd(["perf-gate", run]) == 0
    assert pgtdd(["perf-gate", run, "--limit", "test_suite_time_seconds=0"]) == 1


def test_markers_are_registered(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.tdd
        @pytest.mark.performance
        @pytest.mark.parallel
        @pytest.mark.memory(threshold_mb=10)
        def test_marked():
            pass
        """
    )
    _run(pytester, "--strict-markers").assert_outcomes(passed=1)
    markers = _run(pytester, "--markers").stdout.str()
    for name in ("tdd", "performance", "parallel", "memory"):
        assert f"@pytest.mark.{name}" in markers


DB_WORK = """
import psycopg

def test_db(pgtdd_server):
    with psycopg.connect(pgtdd_server.url) as conn:
        conn.execute("SELECT 1")
"""


def test_runs_and_baselines_record_the_major_and_another_majors_baseline_is_not_compared(
    pytester: pytest.Pytester, pgtdd_server: ServerInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_DATABASE_URL", pgtdd_server.url)
    pytester.makepyfile(DB_WORK)
    runs = []
    for i in range(3):
        _run(pytester, "--db-profile", "local", "--pgtdd-perf-json", f"run{i}.json")
        runs.append(pytester.path / f"run{i}.json")
    doc = json.loads(runs[0].read_text())
    assert doc["server"] == {
        "version": pgtdd_server.version,
        "version_num": pgtdd_server.version_num,
        "major": pgtdd_server.major,
    }
    baseline = pytester.path / "baseline.json"
    assert pgtdd(["perf-baseline", str(baseline), *map(str, runs)]) == 0
    recorded = json.loads(baseline.read_text())
    assert recorded["server"]["major"] == pgtdd_server.major

    same = _run(pytester, "--db-profile", "local", "--pgtdd-baseline", str(baseline))
    same.stdout.fnmatch_lines(["*regression(s) in * compared metric(s)*"])

    other = 15 if pgtdd_server.major != 15 else 18
    baseline.write_text(json.dumps({**recorded, "server": {"major": other, "version": "x"}}))
    foreign = _run(pytester, "--db-profile", "local", "--pgtdd-baseline", str(baseline))
    foreign.assert_outcomes(passed=1)
    foreign.stdout.fnmatch_lines(
        [
            f"*baseline *baseline.json was measured on PostgreSQL {other}, this run on "
            f"PostgreSQL {pgtdd_server.major}: not compared*"
        ]
    )
    assert "compared metric(s)" not in foreign.stdout.str()

    mixed = json.loads(runs[2].read_text())
    mixed["server"]["major"] = other
    runs[2].write_text(json.dumps(mixed))
    assert pgtdd(["perf-baseline", str(pytester.path / "b2.json"), *map(str, runs)]) == 2
    assert not (pytester.path / "b2.json").exists()
