"""RegressionDetector: baselines are medians over several runs; 20 % slower is a regression."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pgtdd.performance.regression import BaselineError, RegressionDetector


def test_baseline_is_the_median_of_several_runs_not_one_sample(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    detector = RegressionDetector(path)
    # One unlucky run (30 ms) among three does not move the baseline.
    detector.establish_baseline([{"op": 10.0}, {"op": 30.0}, {"op": 11.0}])
    stored = json.loads(path.read_text())
    assert stored["metrics"]["op"] == {"median": 11.0, "runs": 3, "samples": [10.0, 30.0, 11.0]}


def test_slower_run_against_saved_baseline_is_a_regression(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    RegressionDetector(path).establish_baseline([{"op": 10.0}, {"op": 10.5}, {"op": 9.5}])
    reloaded = RegressionDetector(path)
    slower = reloaded.check_regression("op", 13.0)
    assert slower["regression_detected"] is True
    assert slower["baseline_value"] == 10.0
    assert slower["degradation_factor"] == pytest.approx(1.3)
    within = reloaded.check_regression("op", 11.9)
    assert within["regression_detected"] is False


def test_current_samples_are_reduced_to_their_median(tmp_path: Path) -> None:
    detector = RegressionDetector(tmp_path / "b.json")
    detector.establish_baseline([{"op": 10.0}] * 3)
    # one slow sample among fast ones is not a regression; a slow median is
    assert detector.check_regression("op", [10.0, 50.0, 10.2])["regression_detected"] is False
    assert detector.check_regression("op", [50.0, 50.0, 10.2])["regression_detected"] is True


def test_without_baseline_samples_stay_pending_until_min_runs(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    first = RegressionDetector(path).check_regression("op", 5.0)
    assert first["regression_detected"] is False
    assert "1 of 3 runs" in first["reason"]
    assert RegressionDetector(path).baseline_data == {}
    RegressionDetector(path).check_regression("op", 7.0)
    third = RegressionDetector(path).check_regression("op", 6.0)
    assert "established" in third["reason"]
    assert RegressionDetector(path).baseline_data["op"].median == 6.0


def test_faster_run_does_not_replace_the_baseline(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    RegressionDetector(path).establish_baseline([{"op": 10.0}] * 3)
    result = RegressionDetector(path).check_regression("op", 2.0)
    assert result["improvement"] is True
    assert RegressionDetector(path).baseline_data["op"].median == 10.0


def test_min_delta_ignores_tiny_absolute_slowdowns(tmp_path: Path) -> None:
    detector = RegressionDetector(tmp_path / "b.json", min_delta=1.0)
    detector.establish_baseline([{"tiny": 0.2, "big": 20.0}] * 3)
    assert detector.check_regression("tiny", 0.5)["regression_detected"] is False
    assert detector.check_regression("big", 30.0)["regression_detected"] is True
    assert [r["metric"] for r in detector.regressions({"tiny": 0.5, "big": 30.0})] == ["big"]


def test_establishing_from_too_few_runs_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="at least 3 runs"):
        RegressionDetector(tmp_path / "b.json").establish_baseline([{"op": 1.0}])


def test_a_file_of_another_format_is_named(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"op": 1.0}))
    with pytest.raises(BaselineError, match="not a pgtdd-baseline/1 file"):
        RegressionDetector(path)
