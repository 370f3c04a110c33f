"""The TDD inner loop, measured: one test, run again and again (``pgtdd bench``).

Two figures, each from whole processes run here and now:

* **one database test with a reused server** (``PGTDD_REUSE=1``, warm) against one plain test
  with pgtdd disabled (``-p no:pgtdd``): new ``pytest`` processes, interleaved (A B A B ...),
  medians and their ratio (target ``INNER_LOOP_RATIO_TARGET``);
* **the plugin's import cost**: milliseconds to import the pytest11 module and the fixture
  modules it registers, in a new interpreter that has already imported pytest (what pgtdd adds
  to every pytest start; target ``PLUGIN_IMPORT_TARGET_MS``).

The reusable container the runs start is removed at the end unless it was running before.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pgtdd.performance.targets import INNER_LOOP_RATIO_TARGET, PLUGIN_IMPORT_TARGET_MS

DB_TEST = """\
def test_one(pgtdd_server):
    import psycopg

    with psycopg.connect(pgtdd_server.url) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)
"""
PLAIN_TEST = """\
def test_one():
    assert 1 + 1 == 2
"""
IMPORT_PROBE = """\
import importlib, time
import pytest, pytest_asyncio
start = time.perf_counter()
plugin = importlib.import_module("pgtdd.fixtures.plugin")
for name in plugin.FIXTURE_MODULES:
    module = importlib.import_module(name)
    for more in getattr(module, "pytest_plugins", ()):
        importlib.import_module(more)
print((time.perf_counter() - start) * 1000)
"""


@dataclass(frozen=True)
class InnerLoop:
    """Medians of the interleaved runs, their ratio and the plugin's import cost."""

    runs: int
    db_test_s: float
    plain_test_s: float
    ratio: float
    ratio_target: float
    import_ms: float
    import_target_ms: float

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the JSON report."""
        return {key: round(value, 4) for key, value in asdict(self).items()}


def measure_inner_loop(runs: int, env: Mapping[str, str]) -> InnerLoop:
    """Time ``runs`` rounds of both pytest runs (after one warm-up each) and ``runs`` imports."""
    with tempfile.TemporaryDirectory(prefix="pgtdd-inner-") as tmp:
        db, plain = Path(tmp, "db"), Path(tmp, "plain")
        for folder, body in ((db, DB_TEST), (plain, PLAIN_TEST)):
            folder.mkdir()
            (folder / "test_one.py").write_text(body)
        environment = {**os.environ, **env, "PGTDD_REUSE": "1"}
        environment.pop("PYTEST_ADDOPTS", None)
        with _removing_new_reusable():
            db_times, plain_times = [], []
            for round_ in range(runs + 1):
                db_s = _time_pytest(db, environment)
                plain_s = _time_pytest(plain, environment, "-p", "no:pgtdd")
                if round_:  # the first round starts the reusable server: a warm-up
                    db_times.append(db_s)
                    plain_times.append(plain_s)
    imports = [_import_ms() for _ in range(runs)]
    db_median, plain_median = statistics.median(db_times), statistics.median(plain_times)
    return InnerLoop(
        runs=runs,
        db_test_s=db_median,
        plain_test_s=plain_median,
        ratio=db_median / plain_median,
        ratio_target=INNER_LOOP_RATIO_TARGET,
        import_ms=statistics.median(imports),
        import_target_ms=PLUGIN_IMPORT_TARGET_MS,
    )


def _time_pytest(folder: Path, environment: Mapping[str, str], *args: str) -> float:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=folder, env=dict(environment), capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        from pgtdd.redact import redact

        raise RuntimeError(
            f"the inner-loop run in {folder.name} failed (exit {done.returncode}):\n"
            + redact((done.stdout + done.stderr)[-2000:])
        )
    return wall


def _import_ms() -> float:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def _removing_new_reusable() -> Iterator[None]:
    """Remove the reusable containers that appeared during the block (none if no Docker)."""
    before = _reusable_ids()
    try:
        yield
    finally:
        for container in _reusable_containers():
            if container.id not in before:
                with contextlib.suppress(Exception):
                    container.remove(force=True, v=True)


def _reusable_ids() -> set[str]:
    return {container.id for container in _reusable_containers()}


def _reusable_containers() -> list[Any]:
    try:
        from pgtdd.providers.engine import docker_client
        from pgtdd.providers.ownership import REUSE_LABEL

        with contextlib.closing(docker_client()) as client:
            return list(client.containers.list(all=True, filters={"label": REUSE_LABEL}))
    except Exception:  # noqa: BLE001 - no Docker (native or external profile): nothing to do
        return []


def format_inner_loop(loop: Mapping[str, Any]) -> list[str]:
    """The two inner-loop figures against their targets."""
    ratio_ok = loop["ratio"] <= loop["ratio_target"]
    import_ok = loop["import_ms"] <= loop["import_target_ms"]
    return [
        f"inner loop (medians of {loop['runs']} interleaved runs, new pytest processes):",
        f"  one DB test, reused server {loop['db_test_s']:.3f} s; one plain test with pgtdd "
        f"disabled {loop['plain_test_s']:.3f} s: {loop['ratio']:.2f}x "
        f"(target <= {loop['ratio_target']:g}x) {'PASS' if ratio_ok else 'FAIL'}",
        f"  plugin import {loop['import_ms']:.1f} ms (target <= {loop['import_target_ms']:g} ms) "
        f"{'PASS' if import_ok else 'FAIL'}",
    ]
