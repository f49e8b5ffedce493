"""Every change of an order's `status` or `payment_status`: allowed by `states`, applied once, audited.

A change is a guarded UPDATE on the state the order was read in, so two requests racing to change one order
cannot both succeed (on PostgreSQL and on SQLite alike). The caller commits.
"""

from __future__ import annotations

import sqlalchemy as sa

from shop import audit
from shop.extensions import db
from shop.orders import states
from shop.orders.models import Order


def move(order: Order, *, actor: str, action: str, status: str | None = None, payment_status: str | None = None,
         values: dict | None = None, guard: tuple = (), note: dict | None = None) -> bool:
    """Move the order to the given status and/or payment status (with other column values).

    Raises states.IllegalTransition when the order's state does not allow it. Returns False, with the order
    re-read, when the row changed since it was read (someone else got there first).
    """
    values = dict(values or {})
    before = {"status": order.status, "payment_status": order.payment_status}
    if status is not None and status != order.status:
        states.check(order.status, status)
        values["status"] = status
    if payment_status is not None and payment_status != order.payment_status:
        states.check_payment(order.payment_status, payment_status)
        values["payment_status"] = payment_status
    result = db.session.execute(
        sa.update(Order)
        .where(Order.id == order.id, Order.status == order.status, Order.payment_status == order.payment_status,
               *guard)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(order)
        return False
    after = {"status": values.get("status", order.status),
             "payment_status": values.get("payment_status", order.payment_status), **(note or {})}
    audit.record(actor, action, order.number, before, after)
    db.session.refresh(order)
    return True
