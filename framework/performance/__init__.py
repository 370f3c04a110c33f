"""Performance tooling: monitor, regression detector, CI gate, benchmark, pytest report.

Spec 003 (performance guide) and the monitoring and memory fixtures of spec 000.
"""

from framework.performance.gate import PerformanceGate
from framework.performance.monitor import (
    AlertHandler,
    MetricsCollector,
    PerformanceMonitor,
    PerformanceWarning,
)
from framework.performance.regression import RegressionDetector

__all__ = [
    "AlertHandler",
    "MetricsCollector",
    "PerformanceGate",
    "PerformanceMonitor",
    "PerformanceWarning",
    "RegressionDetector",
]
