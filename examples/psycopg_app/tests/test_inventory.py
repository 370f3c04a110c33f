"""The inventory's tests: each runs in a transaction pgtdd rolls back, commits included."""

import pytest

import inventory


def test_tables_start_empty(pgtdd_psycopg):
    counts = pgtdd_psycopg.execute(
        "SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM stock_moves)"
    ).fetchone()
    assert counts == (0, 0)


def test_receive_commits_and_the_test_sees_it(pgtdd_psycopg):
    inventory.add_item(pgtdd_psycopg, "SKU-1", "Blue mug")
    assert inventory.receive(pgtdd_psycopg, "SKU-1", 12) == 12
    assert inventory.receive(pgtdd_psycopg, "SKU-1", 3) == 15


def test_a_failed_shipment_rolls_back_only_itself(pgtdd_psycopg):
    inventory.add_item(pgtdd_psycopg, "SKU-2", "Red mug")
    inventory.receive(pgtdd_psycopg, "SKU-2", 5)
    with pytest.raises(ValueError, match="not enough SKU-2"):
        inventory.ship(pgtdd_psycopg, "SKU-2", 9)
    assert inventory.ship(pgtdd_psycopg, "SKU-2", 2) == 3
    moves = pgtdd_psycopg.execute("SELECT quantity FROM stock_moves ORDER BY id").fetchall()
    assert moves == [(5,), (-2,)]


def test_code_taking_a_pool_runs_in_the_same_transaction(pgtdd_psycopg, pgtdd_psycopg_pool):
    inventory.add_item(pgtdd_psycopg, "SKU-3", "Green mug")
    inventory.receive(pgtdd_psycopg, "SKU-3", 7)
    assert inventory.stock_report(pgtdd_psycopg_pool) == {"SKU-3": 7}


@pytest.mark.parametrize("n", range(6))
def test_many_tests_same_sku(pgtdd_psycopg, n):
    inventory.add_item(pgtdd_psycopg, "SKU-9", "Same name every time")
    assert inventory.receive(pgtdd_psycopg, "SKU-9", n + 1) == n + 1
