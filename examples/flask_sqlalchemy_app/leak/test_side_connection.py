"""A test whose app writes through an engine of its own: pgtdd fails it, naming the table.

Not part of the suite (pytest.ini's testpaths); run it on its own: ``pytest leak``.
"""

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from shop.app import create_app


def test_the_app_commits_through_its_own_engine(pgtdd_sqlalchemy, pgtdd_server):
    engine = create_engine(pgtdd_server.url.replace("postgresql://", "postgresql+psycopg://"))
    app = create_app(sessionmaker(engine))  # not joined to the test's transaction
    try:
        response = app.test_client().post("/products", json={"name": "x", "price_cents": 1})
        assert response.status_code == 201
    finally:
        engine.dispose()
