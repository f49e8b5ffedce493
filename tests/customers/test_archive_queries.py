"""The archive's pages run a fixed number of queries, whatever the number of customers and orders."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from tests.actions import staff_client


@contextmanager
def counted(app):
    """Count the SQL statements the app's engine runs inside the block."""
    from shop.extensions import db

    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def synthesize(app, customers: int, orders: int, seed: int) -> None:
    from shop.customers import synth

    with app.app_context():
        synth.make(customers=customers, orders=orders, seed=seed)


@pytest.mark.parametrize("url", ["/desk/customers", "/desk/customers?sort=last&page=2", "/desk/outreach",
                                 "/desk/customers.csv", "/desk/customers/charts"])
def test_the_same_queries_for_10_and_for_200_customers(app, url):
    desk = staff_client(app)
    synthesize(app, 10, 40, seed=1)
    with counted(app) as few:
        assert desk.get(url).status_code == 200
    synthesize(app, 200, 1500, seed=2)
    with counted(app) as many:
        assert desk.get(url).status_code == 200
    assert len(few) == len(many), (few, many)
    assert len(many) <= 12
