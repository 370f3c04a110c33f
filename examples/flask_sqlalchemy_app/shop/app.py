"""A small shop API on Flask and SQLAlchemy 2. The app gets its session factory from its
caller: production builds one from DATABASE_URL, the tests pass one bound to pgtdd's test
connection."""

from __future__ import annotations

import os

from flask import Flask, abort, jsonify, request
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from shop.models import Order, Product


def create_app(session_factory: sessionmaker | None = None) -> Flask:
    if session_factory is None:
        session_factory = sessionmaker(create_engine(os.environ["DATABASE_URL"]))
    app = Flask(__name__)

    @app.post("/products")
    def add_product():
        data = request.get_json()
        with session_factory() as session:
            product = Product(name=data["name"], price_cents=data["price_cents"])
            session.add(product)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                abort(409)
            return jsonify(id=product.id), 201

    @app.post("/orders")
    def add_order():
        data = request.get_json()
        with session_factory.begin() as session:
            order = Order(product_id=data["product_id"], quantity=data["quantity"])
            session.add(order)
            session.flush()
            order_id = order.id
        return jsonify(id=order_id), 201

    @app.get("/revenue")
    def revenue():
        with session_factory() as session:
            total = session.scalar(
                select(func.coalesce(func.sum(Order.quantity * Product.price_cents), 0)).join(
                    Product
                )
            )
        return jsonify(cents=total)

    return app
