"""A small inventory on plain psycopg 3: functions take a connection (or a pool) and commit.

    DATABASE_URL=postgresql://... python inventory.py receive SKU-1 "Blue mug" 12
"""

from __future__ import annotations

import os
import sys

import psycopg
from psycopg_pool import ConnectionPool


def add_item(conn: psycopg.Connection, sku: str, name: str) -> None:
    conn.execute("INSERT INTO items (sku, name) VALUES (%s, %s)", (sku, name))
    conn.commit()


def receive(conn: psycopg.Connection, sku: str, quantity: int) -> int:
    """Book ``quantity`` units in; return the new stock. One transaction per call."""
    with conn.transaction():
        conn.execute("INSERT INTO stock_moves (sku, quantity) VALUES (%s, %s)", (sku, quantity))
        row = conn.execute(
            "UPDATE items SET on_hand = on_hand + %s WHERE sku = %s RETURNING on_hand",
            (quantity, sku),
        ).fetchone()
    if row is None:
        raise KeyError(sku)
    return int(row[0])


def ship(conn: psycopg.Connection, sku: str, quantity: int) -> int:
    """Book ``quantity`` units out; nothing changes when the stock is short."""
    try:
        conn.execute("INSERT INTO stock_moves (sku, quantity) VALUES (%s, %s)", (sku, -quantity))
        row = conn.execute(
            "UPDATE items SET on_hand = on_hand - %s WHERE sku = %s RETURNING on_hand",
            (quantity, sku),
        ).fetchone()
        conn.commit()
    except psycopg.errors.CheckViolation:
        conn.rollback()
        raise ValueError(f"not enough {sku} in stock") from None
    return int(row[0])


def stock_report(pool: ConnectionPool) -> dict[str, int]:
    """Stock per item, through a pool (as a web handler would)."""
    with pool.connection() as conn:
        rows = conn.execute("SELECT sku, on_hand FROM items ORDER BY sku").fetchall()
    return {sku: on_hand for sku, on_hand in rows}


def main(argv: list[str]) -> int:
    command, sku, name, quantity = argv
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        if command == "receive":
            if conn.execute("SELECT 1 FROM items WHERE sku = %s", (sku,)).fetchone() is None:
                add_item(conn, sku, name)
            print(receive(conn, sku, int(quantity)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
