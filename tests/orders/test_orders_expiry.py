"""`flask --app wsgi orders expire`: unpaid orders past UNPAID_EXPIRY_HOURS are cancelled and their stock returns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.actions import KYOHO_C2, MM_C2, PHONE, buy, stock_of


def placed(client, *pairs) -> dict:
    """An order placed through the API (picked up, so any size will do)."""
    return buy(client, *pairs, method="pickup", pickup_base=None)


def age(app, number: str, hours: float) -> None:
    """Move an order's clock back: it was placed `hours` ago."""
    from shop.extensions import db
    from shop.orders.models import Order

    with app.app_context():
        order = db.session.execute(sa.select(Order).where(Order.number == number)).scalar_one()
        shift = timedelta(hours=hours)
        order.created_at, order.expires_at = order.created_at - shift, order.expires_at - shift
        db.session.commit()


def status(client, number: str) -> str:
    return client.get(f"/api/v1/orders/{number}?phone={PHONE}").get_json()["status"]


def pay_by_transfer(runner, order: dict) -> None:
    result = runner.invoke(args=["orders", "confirm-transfer", order["number"], "--amount", order["total"],
                                 "--by", "会计小李"])
    assert result.exit_code == 0, result.output


def test_an_order_is_held_for_unpaid_expiry_hours(client):
    order = placed(client, (MM_C2, 10))
    created, expires = (datetime.fromisoformat(order[k]) for k in ("created_at", "expires_at"))
    assert expires - created == timedelta(hours=24)


def test_expire_cancels_only_unpaid_orders_past_their_time_and_returns_their_stock(app, client, runner):
    mm, kyoho = stock_of(app, MM_C2), stock_of(app, KYOHO_C2)
    stale = placed(client, (MM_C2, 120), (KYOHO_C2, 30))
    fresh = placed(client, (MM_C2, 7))
    paid = placed(client, (KYOHO_C2, 50))
    pay_by_transfer(runner, paid)
    for order in (stale, paid):
        age(app, order["number"], 25)
    age(app, fresh["number"], 23)
    assert (stock_of(app, MM_C2), stock_of(app, KYOHO_C2)) == (mm - 127, kyoho - 80)

    result = runner.invoke(args=["orders", "expire"])

    assert result.exit_code == 0, result.output
    assert "cancelled 1 unpaid order" in result.output and stale["number"] in result.output
    assert fresh["number"] not in result.output and paid["number"] not in result.output
    assert (status(client, stale["number"]), status(client, fresh["number"]), status(client, paid["number"])) == (
        "cancelled", "pending_payment", "awaiting_dispatch")
    assert (stock_of(app, MM_C2), stock_of(app, KYOHO_C2)) == (mm - 7, kyoho - 50)


def test_running_expire_twice_returns_the_stock_once(app, client, runner):
    before = stock_of(app, MM_C2)
    order = placed(client, (MM_C2, 40))
    age(app, order["number"], 30)
    assert order["number"] in runner.invoke(args=["orders", "expire"]).output
    second = runner.invoke(args=["orders", "expire"])
    assert "cancelled 0 unpaid order" in second.output
    assert stock_of(app, MM_C2) == before


def test_expiry_is_exactly_unpaid_expiry_hours_after_the_order(app, client):
    from shop.extensions import db
    from shop.orders import lifecycle

    order = placed(client, (MM_C2, 5))
    created = datetime.fromisoformat(order["created_at"])
    with app.app_context():
        assert lifecycle.expire_unpaid(now=created + timedelta(hours=24)) == []
        assert lifecycle.expire_unpaid(now=created + timedelta(hours=24, microseconds=1)) == [order["number"]]
        db.session.commit()
    assert status(client, order["number"]) == "cancelled"


def test_a_cancelled_order_cannot_then_be_paid(app, client, runner):
    order = placed(client, (MM_C2, 5))
    age(app, order["number"], 48)
    runner.invoke(args=["orders", "expire"])
    late = runner.invoke(args=["orders", "confirm-transfer", order["number"], "--amount", order["total"],
                               "--by", "会计小李"])
    assert "late_payment" in late.output  # the money is recorded for a refund, the order stays cancelled
    assert status(client, order["number"]) == "cancelled"


def test_expiry_follows_the_setting(app, client):
    from shop.extensions import db
    from shop.orders import lifecycle

    app.config["UNPAID_EXPIRY_HOURS"] = 2
    order = placed(client, (MM_C2, 5))
    created = datetime.fromisoformat(order["created_at"])
    assert datetime.fromisoformat(order["expires_at"]) - created == timedelta(hours=2)
    with app.app_context():
        assert lifecycle.expire_unpaid(now=created + timedelta(hours=2, seconds=1)) == [order["number"]]
        db.session.commit()
    assert created.tzinfo is not None and created <= datetime.now(UTC)
