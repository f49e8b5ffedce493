"""The database sums each customer's orders (shop.customers.history) exactly as the pure rules sum the order rows
(segments.summarise), on SQLite and PostgreSQL: synthetic orders bent to every edge, as of days on the edges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

AS_OF = date(2026, 3, 15)
CREDIT_TOTAL = 123_45


def start(day: date) -> datetime:
    from shop.customers.history import start_of

    return start_of(day)


@pytest.fixture
def orders(app):
    """Synthetic orders, a few of them moved to the edges: Shanghai midnight one microsecond each side, paid after
    the day, refunds above the payment, paid nothing, cancelled credit and cancelled but paid, before 1992."""
    from shop.customers import synth
    from shop.extensions import db
    from shop.orders import states
    from shop.orders.models import Order

    with app.app_context():
        synth.make(customers=40, orders=500, seed=3, as_of=AS_OF)
        ids = list(db.session.execute(sa.select(Order.id).order_by(Order.id)).scalars())
        tick = timedelta(microseconds=1)
        edges = [
            {"created_at": start(AS_OF + timedelta(days=1)) - tick},  # the as-of day's last moment
            {"created_at": start(AS_OF + timedelta(days=1))},  # the next day's first
            {"created_at": start(AS_OF - timedelta(days=364)), "paid_at": start(AS_OF - timedelta(days=364))},
            {"created_at": start(AS_OF - timedelta(days=365)), "paid_at": start(AS_OF - timedelta(days=364)) - tick},
            {"paid_at": start(AS_OF + timedelta(days=1)), "created_at": start(AS_OF) + tick},  # paid tomorrow
            {"refunded_fen": 10**9},  # more refunded than paid: counts nothing, not less than nothing
            {"paid_fen": 0, "paid_at": start(AS_OF)},  # a payment time with nothing paid
            {"status": states.CANCELLED, "paid_fen": 500, "paid_at": start(AS_OF - timedelta(days=3))},
            {"payment_method": "credit", "status": states.CANCELLED, "total_fen": CREDIT_TOTAL},
            {"payment_method": "credit", "status": states.COMPLETED, "total_fen": CREDIT_TOTAL, "refunded_fen": 45,
             "created_at": start(date(2025, 7, 1))},  # the season's first moment
            {"payment_method": "credit", "status": states.COMPLETED, "total_fen": CREDIT_TOTAL,
             "created_at": start(date(2025, 7, 1)) - tick},  # last season's last
            {"created_at": start(date(2025, 3, 15) + timedelta(days=1)) - tick, "paid_at": None, "paid_fen": 0},
            {"created_at": datetime(1991, 6, 1, 15, 30, tzinfo=UTC)},  # 00:30 on 2 June in Shanghai's summer time
            {"created_at": datetime(1985, 1, 1, 16, 0, tzinfo=UTC), "paid_at": datetime(1985, 1, 2, tzinfo=UTC)},
        ]
        for order_id, values in zip(ids[::7], edges, strict=False):
            db.session.execute(sa.update(Order).where(Order.id == order_id).values(**values))
        db.session.commit()
    return app


@pytest.mark.parametrize("as_of", [AS_OF, AS_OF + timedelta(days=1), AS_OF - timedelta(days=1), date(2025, 7, 1),
                                   date(2025, 6, 30), date(2025, 3, 15), date(2024, 12, 31), date(1991, 6, 2)])
def test_the_database_sums_as_the_rules_do(orders, as_of):
    from shop.customers import history, segments, service
    from shop.customers.models import Customer
    from shop.extensions import db

    with orders.app_context():
        rules = service.rules()
        ids = list(db.session.execute(sa.select(Customer.id)).scalars())
        expected = segments.summarise(ids, service.order_rows(), as_of, rules)
        found = history.histories(as_of, rules)
    assert len(expected) > (5 if as_of.year > 2000 else 0)
    assert found == expected


def test_a_configured_value_window_is_summed_as_configured(app):
    from shop.customers import history, segments, service, synth
    from shop.customers.models import Customer
    from shop.extensions import db

    with app.app_context():
        synth.make(customers=20, orders=200, seed=4, as_of=AS_OF)
        rules = segments.Rules(value_days=30)
        ids = list(db.session.execute(sa.select(Customer.id)).scalars())
        expected = segments.summarise(ids, service.order_rows(), AS_OF, rules)
        assert history.histories(AS_OF, rules) == expected
    assert any(h.value_fen != h.season_fen for h in expected.values())
