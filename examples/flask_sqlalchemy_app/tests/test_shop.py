"""The shop's tests: the app commits, pgtdd rolls everything back after each test."""

import pytest
from sqlalchemy import func, select, text

from shop.models import Order, Product


def test_tables_start_empty(pgtdd_sqlalchemy):
    assert pgtdd_sqlalchemy.scalar(select(func.count()).select_from(Product)) == 0
    assert pgtdd_sqlalchemy.scalar(select(func.count()).select_from(Order)) == 0


def test_the_schema_is_alembic_s(pgtdd_sqlalchemy):
    assert pgtdd_sqlalchemy.scalar(text("SELECT version_num FROM alembic_version")) == "0002"


def test_orders_make_revenue(client, pgtdd_sqlalchemy):
    product = client.post("/products", json={"name": "mug", "price_cents": 1200}).json["id"]
    client.post("/orders", json={"product_id": product, "quantity": 3})
    assert client.get("/revenue").json == {"cents": 3600}
    assert pgtdd_sqlalchemy.get(Product, product).name == "mug"  # committed by the app


def test_a_duplicate_is_refused_and_the_rest_kept(client, pgtdd_sqlalchemy):
    assert client.post("/products", json={"name": "cup", "price_cents": 500}).status_code == 201
    assert client.post("/products", json={"name": "cup", "price_cents": 700}).status_code == 409
    assert pgtdd_sqlalchemy.scalars(select(Product.price_cents)).all() == [500]


def test_the_session_and_the_app_share_the_transaction(client, pgtdd_sqlalchemy):
    pgtdd_sqlalchemy.add(Product(name="plate", price_cents=900))
    pgtdd_sqlalchemy.commit()
    plate = pgtdd_sqlalchemy.scalar(select(Product.id).where(Product.name == "plate"))
    client.post("/orders", json={"product_id": plate, "quantity": 2})
    assert client.get("/revenue").json == {"cents": 1800}


@pytest.mark.parametrize("n", range(6))
def test_same_name_in_every_test(client, n):
    response = client.post("/products", json={"name": "same", "price_cents": n})
    assert response.status_code == 201
