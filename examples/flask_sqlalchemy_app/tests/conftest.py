import pytest
from sqlalchemy.orm import sessionmaker

from shop.app import create_app


@pytest.fixture
def client(pgtdd_sqlalchemy_connection):
    """The app, its sessions joined to the test's transaction (SQLAlchemy's recipe)."""
    sessions = sessionmaker(
        bind=pgtdd_sqlalchemy_connection, join_transaction_mode="create_savepoint"
    )
    return create_app(sessions).test_client()
