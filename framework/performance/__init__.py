"""Performance tooling: monitor, regression detector, CI gate, benchmark, pytest report.

Spec 003 (performance guide) and the monitoring and memory fixtures of spec 000.
"""

from pgtdd.performance.gate import PerformanceGate
from pgtdd.performance.monitor import (
    AlertHandler,
    MetricsCollector,
    PerformanceMonitor,
    PerformanceWarning,
)
from pgtdd.performance.regression import RegressionDetector

__all__ = [
    "AlertHandler",
    "MetricsCollector",
    "PerformanceGate",
    "PerformanceMonitor",
    "PerformanceWarning",
    "RegressionDetector",
]
