"""How much of the data directory's tmpfs a run really uses (for the ``tmpfs_size`` default).

Two measurements, each printing megabytes as ``du -sm`` reports them inside the container:

``watch -- COMMAND...``
    Runs COMMAND (e.g. the project's own suite) and samples every running pgtdd container's
    data directory once a second; prints the largest size seen per container and overall.

``corpus DIR... [--clones N]``
    Starts one pgtdd container (tmpfs unbounded), applies each migrations folder (``*.up.sql``
    files, or ``*/up.sql`` folders, in name order, each file as one query as golang-migrate and
    Diesel send it) into a database of its own, then clones each result N times (an xdist run's
    per-worker clones), and prints the data directory's size after each step.

Usage: ``python benchmarks/tmpfs_usage.py corpus /path/to/migrations --clones 4``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from pgtdd.providers.engine import docker_client
from pgtdd.providers.ownership import OWNER, OWNER_LABEL

PGDATA = "/var/lib/postgresql/data"
IMAGE = "pgtdd/postgres:15"


def data_mb(container: Any) -> int | None:
    """``du -sm`` of the container's data directory, or ``None`` when it cannot be read."""
    try:
        result = container.exec_run(["du", "-sm", PGDATA])
    except Exception:  # noqa: BLE001 - the container went away between listing and exec
        return None
    text = result.output.decode(errors="replace").split()
    return int(text[0]) if result.exit_code == 0 and text and text[0].isdigit() else None


def watch(command: list[str]) -> int:
    client = docker_client()
    largest: dict[str, int] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for container in client.containers.list(filters={"label": f"{OWNER_LABEL}={OWNER}"}):
                size = data_mb(container)
                if size is not None:
                    largest[container.short_id] = max(size, largest.get(container.short_id, 0))
            done.wait(1.0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        returncode = subprocess.call(command)
    finally:
        done.set()
        sampler.join(5)
    sizes = sorted(largest.values())
    print(f"containers sampled: {len(sizes)}; largest data directory: {max(sizes, default=0)} MB")
    print("largest per container (MB): " + " ".join(str(size) for size in sizes[-20:]))
    return returncode


def migration_files(folder: Path) -> list[Path]:
    """Up files in version order (a leading number compares as a number: 2 before 10)."""
    ups = sorted(folder.glob("*.up.sql"), key=_version)
    return ups or sorted(folder.glob("*/up.sql"), key=lambda path: _version(path.parent))


def _version(path: Path) -> tuple[int, str]:
    digits = re.match(r"\d+", path.name)
    return (int(digits.group(0)) if digits else -1, path.name)


def corpus(folders: list[Path], clones: int) -> int:
    client = docker_client()
    container = client.containers.run(
        IMAGE,
        ["postgres", "-c", "fsync=off", "-c", "full_page_writes=off"],
        detach=True,
        environment={"POSTGRES_USER": "u", "POSTGRES_PASSWORD": "p", "POSTGRES_DB": "u"},
        tmpfs={PGDATA: ""},
        ports={"5432/tcp": None},
        labels={"org.pgtdd.benchmark": "tmpfs_usage"},
    )
    try:
        container.reload()
        port = container.attrs["NetworkSettings"]["Ports"]["5432/tcp"][0]["HostPort"]
        url = f"postgresql://u:p@127.0.0.1:{port}/"
        admin = _connect(url + "u")
        print(f"empty cluster: {data_mb(container)} MB")
        for number, folder in enumerate(folders):
            name = f"corpus_{number}"
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            applied = _apply(url + name, migration_files(folder))
            print(f"{folder}: {applied} migration(s) applied: {data_mb(container)} MB")
            for clone in range(clones):
                admin.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(f"{name}_clone{clone}"), sql.Identifier(name)
                    )
                )
            print(f"  + {clones} clone(s): {data_mb(container)} MB")
        admin.close()
    finally:
        container.remove(force=True, v=True)
    return 0


def _connect(url: str) -> psycopg.Connection[Any]:
    deadline = time.monotonic() + 60
    while True:
        try:
            return psycopg.connect(url, autocommit=True, connect_timeout=2)
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _apply(url: str, files: list[Path]) -> int:
    applied = 0
    with psycopg.connect(url, autocommit=True) as conn:
        for path in files:
            try:
                conn.execute(path.read_text(encoding="utf-8", errors="replace").encode())
                applied += 1
            except psycopg.Error as exc:
                print(f"  {path.name}: {str(exc).splitlines()[0]}", file=sys.stderr)
    return applied


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    watch_parser = sub.add_parser("watch")
    watch_parser.add_argument("command", nargs=argparse.REMAINDER)
    corpus_parser = sub.add_parser("corpus")
    corpus_parser.add_argument("folders", nargs="+", type=Path)
    corpus_parser.add_argument("--clones", type=int, default=4)
    args = parser.parse_args(argv)
    if args.mode == "watch":
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        return watch(command)
    return corpus(args.folders, args.clones)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
