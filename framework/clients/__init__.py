"""Per-test rollback for the sync and asyncio psycopg clients, psycopg_pool and SQLAlchemy.

``connection`` (psycopg connections whose commit()/rollback() stay inside the test),
``transaction`` (one test's begin, end and after-test check), ``slots`` (the session's client
connections and escape log), ``pool`` (a psycopg_pool for code under test), ``sa``
(SQLAlchemy's "join an external transaction" recipe on top). The fixtures are in
:mod:`pgtdd.fixtures.clients`.
"""
