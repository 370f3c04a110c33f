"""Performance tooling: monitor, regression detector, CI gate, benchmark, pytest report.

Spec 003 (performance guide) and the monitoring and memory fixtures of spec 000.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pgtdd.performance.gate import PerformanceGate
    from pgtdd.performance.monitor import (
        AlertHandler,
        MetricsCollector,
        PerformanceMonitor,
        PerformanceWarning,
    )
    from pgtdd.performance.regression import RegressionDetector

# Each name loads its module on first use: the pytest plugin imports this package's fixtures
# and report modules, not the monitor, the statistics and the regression store behind them.
_HOMES = {
    "AlertHandler": "monitor",
    "MetricsCollector": "monitor",
    "PerformanceGate": "gate",
    "PerformanceMonitor": "monitor",
    "PerformanceWarning": "monitor",
    "RegressionDetector": "regression",
}

__all__ = [
    "AlertHandler",
    "MetricsCollector",
    "PerformanceGate",
    "PerformanceMonitor",
    "PerformanceWarning",
    "RegressionDetector",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
