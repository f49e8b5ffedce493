"""What the database holds, read (and for a test's setting, changed) behind the shop's back."""

from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa


@contextmanager
def database(app):
    """The database in an app context of its own.

    Not conftest's `db` fixture: that keeps one app context pushed for the whole test, so every request
    shares its `g`, and Flask-Login's cached user leaks from one browser to the next.
    """
    from shop.extensions import db

    with app.app_context():
        yield db
        db.session.remove()


def stored(app, number: str):
    """The order as the database holds it now (detached, with its lines, payments and refunds loaded)."""
    from shop.orders.models import Order

    with database(app) as db:
        order = db.session.execute(sa.select(Order).where(Order.number == number)).scalar_one()
        _ = [order.lines, order.payments, order.refunds]
        db.session.expunge_all()
        return order


def rows(app, model: str, number: str) -> list:
    """The Payment, Refund or PaymentMismatch rows stored for an order, oldest first."""
    from shop.orders import models

    table = getattr(models, model)
    with database(app) as db:
        found = list(db.session.execute(sa.select(table).join(models.Order, table.order_id == models.Order.id)
                                        .where(models.Order.number == number).order_by(table.id)).scalars())
        db.session.expunge_all()
        return found


def orders_stored(app) -> int:
    """How many orders the database holds (asserting none is stored without lines)."""
    from shop.orders.models import Order, OrderLine

    with database(app) as db:
        count = db.session.execute(sa.select(sa.func.count(Order.id))).scalar()
        assert db.session.execute(sa.select(sa.func.count(OrderLine.id))).scalar() >= count
        return count


def stock_of(app, sku: str) -> int:
    """Plants of a grade in stock over all bases."""
    from shop.catalog.models import Grade, Stock

    with database(app) as db:
        return int(db.session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(Stock.quantity), 0)).join(Grade).where(Grade.sku == sku)
        ).scalar())


def set_order(app, number: str, **values) -> None:
    """Change stored columns of an order, as if time had passed (e.g. dispatched_at ten days ago)."""
    from shop.orders.models import Order

    with database(app) as db:
        db.session.execute(sa.update(Order).where(Order.number == number).values(**values))
        db.session.commit()


def set_grade(app, sku: str, *, price_fen: int | None = None, weight_g: int | None = None,
              stock: int | None = None) -> None:
    """Staff edit a grade in the catalog (price, weight, stock at its first base)."""
    from shop.catalog import stock as stock_service
    from shop.catalog.models import Grade

    with database(app) as db:
        values = {k: v for k, v in (("price_fen", price_fen), ("weight_g", weight_g)) if v is not None}
        if values:
            db.session.execute(sa.update(Grade).where(Grade.sku == sku).values(**values))
        if stock is not None:
            stock_service.set_stock(sku, stock)
        stock_service.bump_version()
        db.session.commit()
