"""A test that commits through a connection of its own: pgtdd fails it, naming the table.

Not part of the suite (pytest.ini's testpaths); run it on its own: ``pytest leak``.
"""

import psycopg

import inventory


def test_commits_through_a_second_connection(pgtdd_psycopg, pgtdd_server):
    with psycopg.connect(pgtdd_server.url) as other:  # not the test's connection
        inventory.add_item(other, "SKU-LEAK", "Committed for real")
    assert pgtdd_psycopg.execute("SELECT count(*) FROM items").fetchone() == (1,)
