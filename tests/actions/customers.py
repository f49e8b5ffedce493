"""The customer archive as staff and operators use it: a history of orders on chosen days, the CLI, the desk."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

from .buyer import buy
from .constants import KYOHO_C2
from .pages import submit
from .records import database, set_order
from .staff import pay_by_transfer, run

__all__ = ["customer_id", "customers_json", "log_contact", "ordered_on", "shanghai_noon"]


def shanghai_noon(day: date) -> datetime:
    """Noon in Asia/Shanghai on the day, in UTC."""
    return datetime.combine(day, time(4), UTC)


def ordered_on(app, client, desk, day: date, *, plants: int = 500, phone: str = "13800000001", name: str = "张一",
               paid: bool = True, sku: str = KYOHO_C2, method: str = "pickup") -> dict:
    """A retail order (picked up at 平邑 unless told), placed (and, if paid, paid by transfer) on that day, as if it had happened then."""
    order = buy(client, (sku, plants), phone=phone, name=name, method=method)  # pickup: no shipping in the total
    if paid:
        assert pay_by_transfer(desk, order).status_code == 303
    moment = shanghai_noon(day)
    set_order(app, order["number"], created_at=moment, expires_at=moment + timedelta(hours=24),
              **({"paid_at": moment + timedelta(hours=1)} if paid else {}))
    return order


def customers_json(app, *extra: str) -> dict[str, dict]:
    """`flask customers list --json [extra…]`, by key."""
    result = run(app, "customers", "list", "--json", *extra)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    return {row["key"]: row for row in rows}


def customer_id(app, key: str) -> int:
    """The archive's id of a customer by key."""
    import sqlalchemy as sa

    from shop.customers.models import Customer

    with database(app) as db:
        return db.session.execute(sa.select(Customer.id).where(Customer.key == key)).scalar_one()


def log_contact(desk, cid: int, *, outcome: str = "电话回访，春季再订巨峰", channel: str = "phone",
                next_on: str = "", when: str = ""):
    """Staff log a contact (回访记录) on the customer's page; the response."""
    return submit(desk, f"/desk/customers/{cid}/contacts", {"channel": channel, "outcome": outcome,
                                                           "next_contact_on": next_on, "at": when},
                  page=f"/desk/customers/{cid}")
