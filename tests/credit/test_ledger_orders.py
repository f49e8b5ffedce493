"""Positions over many dealers read the credit orders as plain columns: the same ledger rows as from the orders."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa


def test_ledger_orders_are_the_order_rows_of_the_credit_orders_with_their_credit_returns(app):
    from shop.credit import service as credit
    from shop.customers import synth
    from shop.dealers.models import Dealer
    from shop.extensions import db
    from shop.orders.models import Order, Refund

    with app.app_context():
        synth.make(customers=60, orders=600, seed=5, as_of=date(2026, 3, 15))
        on_credit = list(db.session.execute(sa.select(Order).where(Order.payment_method == credit.CREDIT)
                                            .order_by(Order.id)).scalars())
        for n, order in enumerate(on_credit[:6]):  # two returns to the account on some, a bank refund on others
            for k, method in enumerate((credit.CREDIT, "bank_transfer" if n % 2 else credit.CREDIT)):
                db.session.add(Refund(order_id=order.id, method=method, amount_fen=100 + n * 10 + k, reason="退货",
                                      idempotency_key=f"t-{order.id}-{k}", actor="staff",
                                      created_at=datetime(2026, 3, 1 + n, 4 - k, tzinfo=UTC)))
        db.session.commit()
        ids = list(db.session.execute(sa.select(Dealer.id)).scalars())
        expected = {i: [credit.order_row(o) for o in orders] for i, orders in credit.credit_orders(ids).items()}
        assert credit.ledger_orders(ids) == expected
    assert sum(len(rows) for rows in expected.values()) == len(on_credit) > 6
    assert sum(len(r.returns) for rows in expected.values() for r in rows) == 9
