"""Container start-to-ready times for the tuned image (standalone; needs Docker and the images).

    python benchmarks/container_start.py [--runs 5] [--poll-ms 25] [--no-testcontainers]

"Ready" means a new psycopg connection with the requested credentials runs SELECT 1, polled
every --poll-ms from the moment the container is requested (docker run) until it succeeds.
Variants (each run starts a new container with a tmpfs on PGDATA, removed afterwards):

* fast     - pgtdd/postgres:<major> (``--version``, default 18), the seed's credentials: the
             seed is copied into PGDATA
* mismatch - pgtdd/postgres:<major> with other credentials: initdb at start
* base     - pgtdd/postgres-base:<major> (no seed, no tuning), same polling: initdb at start
* testcontainers - a plain ``PostgresContainer("pgtdd/postgres-base:<major>")``: from ``start()``
  to its return (testcontainers' own readiness wait, psql exec in the container), then the
  same SELECT 1 check.

Prints one line per run and a median per variant. Connects to the container's bridge IP when
the host can route to it, else to a published port on 127.0.0.1 (--via port forces that).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import docker
import psycopg

from pgtdd.config.versions import DEFAULT_VERSION, MAJORS, parse_version

PGDATA = "/var/lib/postgresql/data"
SEED = ("dataflow_test", "dataflow_test_password", "dataflow_test")
OTHER = ("bench_user", "bench_password_x", "bench_db")


@dataclass(frozen=True)
class Result:
    variant: str
    seconds: float
    path: str


def _try_select_1(host: str, port: int, creds: tuple[str, str, str]) -> bool:
    user, password, db = creds
    try:
        with psycopg.connect(
            host=host, port=port, user=user, password=password, dbname=db, connect_timeout=2
        ) as conn:
            return conn.execute("SELECT 1").fetchone() == (1,)
    except psycopg.OperationalError:
        return False


def _address(container: Any, via: str) -> tuple[str, int]:
    container.reload()
    if via == "bridge":
        ip = container.attrs["NetworkSettings"]["IPAddress"]
        if ip:
            return str(ip), 5432
    binding = container.attrs["NetworkSettings"]["Ports"]["5432/tcp"][0]
    return "127.0.0.1", int(binding["HostPort"])


def _start_path(container: Any) -> str:
    logs: bytes = container.logs()
    for line in logs.decode(errors="replace").splitlines():
        if line.startswith("pgtdd-entrypoint: start path:"):
            return line.split("start path:", 1)[1].strip().split(" ", 1)[0]
    return "?"


def run_polled(
    client: Any,
    image: str,
    creds: tuple[str, str, str],
    via: str,
    poll_s: float,
    timeout_s: float = 60.0,
) -> tuple[float, str]:
    """Start a container and poll until SELECT 1 succeeds; returns (seconds, start path)."""
    user, password, db = creds
    name = f"pgtdd-bench-{uuid.uuid4().hex[:8]}"
    t0 = time.perf_counter()
    container = client.containers.run(
        image,
        detach=True,
        name=name,
        environment={"POSTGRES_USER": user, "POSTGRES_PASSWORD": password, "POSTGRES_DB": db},
        tmpfs={PGDATA: "rw"},
        ports={"5432/tcp": ("127.0.0.1", None)} if via == "port" else {},
    )
    try:
        host, port = _address(container, via)
        while not _try_select_1(host, port, creds):
            if time.perf_counter() - t0 > timeout_s:
                raise TimeoutError(
                    f"{image} not ready after {timeout_s}s: "
                    + container.logs().decode(errors="replace")[-2000:]
                )
            time.sleep(poll_s)
        elapsed = time.perf_counter() - t0
        return elapsed, _start_path(container)
    finally:
        container.remove(force=True, v=True)


def run_testcontainers(image: str) -> tuple[float, str]:
    """A plain testcontainers PostgresContainer: start() to ready, then one SELECT 1."""
    os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")  # no registry for ryuk here
    from testcontainers.community.postgres import PostgresContainer

    user, password, db = OTHER
    pg = PostgresContainer(image, username=user, password=password, dbname=db, driver=None)
    t0 = time.perf_counter()
    pg.start()
    try:
        host, port = pg.get_container_host_ip(), int(pg.get_exposed_port(5432))
        if not _try_select_1(host, port, OTHER):
            raise RuntimeError("testcontainers reported ready but SELECT 1 failed")
        return time.perf_counter() - t0, "testcontainers"
    finally:
        pg.stop()


def measure(name: str, runs: int, once: Callable[[], tuple[float, str]]) -> list[Result]:
    once()  # warm-up: page cache, image layers
    results = []
    for i in range(runs):
        seconds, path = once()
        results.append(Result(name, seconds, path))
        print(f"{name:15s} run {i + 1}: {seconds * 1000:7.0f} ms  (start path: {path})", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--poll-ms", type=float, default=25.0)
    parser.add_argument("--via", choices=("bridge", "port"), default="bridge")
    parser.add_argument("--no-testcontainers", action="store_true")
    parser.add_argument("--variants", default="fast,mismatch,base,testcontainers")
    parser.add_argument("--version", default=str(DEFAULT_VERSION), help="PostgreSQL major")
    args = parser.parse_args(argv)
    major = MAJORS[parse_version(args.version, "--version")]
    tuned, base = major.image, major.base_image
    client = docker.from_env()
    poll = args.poll_ms / 1000
    variants: dict[str, Callable[[], tuple[float, str]]] = {
        "fast": lambda: run_polled(client, tuned, SEED, args.via, poll),
        "mismatch": lambda: run_polled(client, tuned, OTHER, args.via, poll),
        "base": lambda: run_polled(client, base, OTHER, args.via, poll),
        "testcontainers": lambda: run_testcontainers(base),
    }
    wanted = [v for v in args.variants.split(",") if v]
    if args.no_testcontainers and "testcontainers" in wanted:
        wanted.remove("testcontainers")
    summary = []
    for name in wanted:
        results = measure(name, args.runs, variants[name])
        secs = [r.seconds for r in results]
        summary.append(
            f"{name:15s} median {statistics.median(secs) * 1000:7.0f} ms  "
            f"min {min(secs) * 1000:6.0f}  max {max(secs) * 1000:6.0f}  "
            f"(n={len(secs)}, poll {args.poll_ms:g} ms, via {args.via})"
        )
    print("\n".join(["", "start-to-ready, container requested -> SELECT 1 succeeds:", *summary]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
