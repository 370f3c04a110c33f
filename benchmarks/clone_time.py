"""Database clone and drop times on the provisioned server, median of N.

    python benchmarks/clone_time.py [--profile container] [--runs 30]

Starts the profile's server, builds a small template (three tables, an index, a view, 100 rows),
then times ``CREATE DATABASE ... TEMPLATE`` and ``DROP DATABASE ... WITH (FORCE)`` through the
janitor, as the per-worker and per-run databases are made.
"""

from __future__ import annotations

import argparse
import statistics
import time

import psycopg

from pgtdd.config.settings import resolve_settings
from pgtdd.databases.janitor import DatabaseJanitor, unique_name
from pgtdd.providers.base import make_provider
from pgtdd.serverinfo import ServerInfo

SCHEMA = """
CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text UNIQUE);
CREATE TABLE products (id serial PRIMARY KEY, name text, price numeric(10, 2));
CREATE TABLE orders (id serial PRIMARY KEY, user_id int REFERENCES users, product_id int
                     REFERENCES products, quantity int);
CREATE INDEX orders_user ON orders (user_id);
CREATE VIEW order_totals AS SELECT user_id, count(*) FROM orders GROUP BY user_id;
INSERT INTO users (name, email) SELECT 'u' || g, 'u' || g || '@example.com'
FROM generate_series(1, 100) g;
"""


def build(target: ServerInfo) -> None:
    with psycopg.connect(target.url) as conn:
        conn.execute(SCHEMA.encode())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="container")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    provider = make_provider(resolve_settings(cli_profile=args.profile, cli_port=0).profile)
    server = provider.start()
    try:
        janitor = DatabaseJanitor(server)
        template = unique_name("bench_tpl")
        janitor.ensure_template(template, build)
        clones, drops = [], []
        for _ in range(args.runs):
            name = unique_name("bench_clone")
            started = time.perf_counter()
            janitor.clone(template, name)
            clones.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            janitor.drop(name)
            drops.append((time.perf_counter() - started) * 1000)
        janitor.drop(template)
    finally:
        provider.stop()
    print(f"server: {server.provider} {server.image} PostgreSQL {server.version}")
    print(
        f"clone (CREATE DATABASE ... TEMPLATE): median {statistics.median(clones):.1f} ms, "
        f"min {min(clones):.1f}, max {max(clones):.1f} over {args.runs} (goal: under 30 ms)"
    )
    print(f"drop (DROP DATABASE ... WITH (FORCE)): median {statistics.median(drops):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
