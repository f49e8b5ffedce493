"""The archive against the database: the customer of a new order, and every customer's standing in a fixed number
of queries (customers, their orders summed per customer in one, dealers, and credit's three). The rules
are in shop.customers.segments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app

from shop.customers import history, segments
from shop.customers.models import Customer, dealer_key, retail_key
from shop.dealers.models import Dealer
from shop.extensions import db
from shop.orders import states
from shop.orders.models import Order

CREDIT = history.CREDIT


def rules() -> segments.Rules:
    """The archive's figures as configured."""
    c = current_app.config
    return segments.Rules(
        value_days=c["CUSTOMER_VALUE_DAYS"], grade_a_percent=c["CUSTOMER_GRADE_A_PERCENT"],
        grade_b_percent=c["CUSTOMER_GRADE_B_PERCENT"], dormant_days=c["DORMANT_DAYS"],
        churn_grace_days=c["CHURN_GRACE_DAYS"], one_order_gap_days=c["CHURN_ONE_ORDER_GAP_DAYS"],
        sales_progress_percent=c["SALES_PROGRESS_PERCENT"])


def _insert(values: dict):
    """INSERT … ON CONFLICT (key) DO NOTHING, in the database's own words."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(Customer).values(**values).on_conflict_do_nothing(index_elements=["key"])


def find_or_create(*, key: str, kind: str, name: str, phone: str, region: str = "", dealer_id: int | None = None,
                   now: datetime | None = None) -> Customer:
    """The customer with this key, made if new. Race-safe: the insert does nothing when another transaction made
    (or is making: PostgreSQL waits for it) the same key, and the select then finds that one."""
    found = db.session.execute(sa.select(Customer).where(Customer.key == key)).scalar()
    if found is None:
        db.session.execute(_insert({"key": key, "kind": kind, "dealer_id": dealer_id, "name": name[:100],
                                    "phone": phone[:11], "region": region[:60], "notes": "", "major_change": False,
                                    "major_change_note": "", "created_at": now or datetime.now(UTC)}))
        found = db.session.execute(sa.select(Customer).where(Customer.key == key)).scalar_one()
    return found


def attach(order: Order, dealer: Dealer | None = None, now: datetime | None = None) -> Customer:
    """Give a new order its customer: the dealer's, or the retail phone's (named after this latest order)."""
    if order.dealer_id is not None:
        dealer = dealer if dealer is not None and dealer.id == order.dealer_id else db.session.get(Dealer, order.dealer_id)
        customer = find_or_create(key=dealer_key(dealer.id), kind=segments.DEALER, name=dealer.company,
                                  phone=dealer.phone, region=dealer.region, dealer_id=dealer.id, now=now)
    else:
        region = f"{order.province}{order.city}"[:60]
        customer = find_or_create(key=retail_key(order.phone), kind=segments.RETAIL, name=order.customer_name,
                                  phone=order.phone, region=region, now=now)
        if (customer.name, customer.region) != (order.customer_name[:100], region or customer.region):
            customer.name, customer.region = order.customer_name[:100], region or customer.region
    order.customer_id = customer.id
    return customer


def as_of_day(now: datetime | None = None) -> date:
    """Today in Asia/Shanghai (or the day of now)."""
    return segments.local_day(now or datetime.now(UTC))


def end_of(day: date) -> datetime:
    """The last moment of a day in Asia/Shanghai, in UTC: what 'as of that day' means for credit."""
    from datetime import time

    return datetime.combine(day, time(23, 59, 59, 999999), segments.SHANGHAI).astimezone(UTC)


LISTED = (Customer.id, Customer.key, Customer.kind, Customer.dealer_id, Customer.name, Customer.phone, Customer.region,
          Customer.notes, Customer.major_change, Customer.next_contact_on)  # what the archive's pages show


@dataclass
class Archive:
    """Every customer (the LISTED columns, by name) with their standing as of a day."""

    as_of: date
    customers: dict[int, sa.Row]
    standings: list[segments.Standing]

    def of(self, customer_id: int) -> segments.Standing | None:
        """One customer's standing."""
        return next((s for s in self.standings if s.id == customer_id), None)


def order_rows(customer_ids=None) -> list[segments.OrderRow]:
    """The columns of every order the rules read (of some customers when given), in one query."""
    query = sa.select(Order.customer_id, Order.created_at, Order.paid_at, Order.paid_fen, Order.refunded_fen,
                      Order.total_fen, Order.payment_method, Order.status)
    if customer_ids is not None:
        query = query.where(Order.customer_id.in_(list(customer_ids)))
    return [segments.OrderRow(customer_id=c, placed_at=placed, paid_at=paid, paid_fen=pf, refunded_fen=rf,
                              total_fen=t, on_credit=m == CREDIT, cancelled=s == states.CANCELLED)
            for c, placed, paid, pf, rf, t, m, s in db.session.execute(query)]


def arrears(dealer_ids: list[int], as_of: date) -> set[int]:
    """The dealers with an arrears warning (外欠款预警) from credit, as of the end of the day."""
    from shop.credit import service as credit

    if not dealer_ids:
        return set()
    dealers = list(db.session.execute(sa.select(Dealer).where(Dealer.id.in_(dealer_ids))).scalars())
    warn = current_app.config["CREDIT_WARN_PERCENT"]
    return {i for i, p in credit.positions(dealers, end_of(as_of)).items() if p.warning(warn)}


def archive(as_of: date | None = None) -> Archive:
    """Every customer's standing as of the day (today in Asia/Shanghai by default)."""
    as_of = as_of or as_of_day()
    customers = {c.id: c for c in db.session.execute(sa.select(*LISTED).order_by(Customer.id))}
    owing = arrears([c.dealer_id for c in customers.values() if c.dealer_id is not None], as_of)
    rows = [segments.CustomerRow(id=c.id, key=c.key, kind=c.kind, major_change=c.major_change,
                                 arrears=c.dealer_id in owing) for c in customers.values()]
    figures = rules()
    judged = segments.judge(rows, history.histories(as_of, figures), as_of, figures)
    # A customer is listed from their first order on: as of an earlier day they were not one yet (not 休眠).
    return Archive(as_of, customers, [s for s in judged if s.first_order is not None])


def category_sales(as_of: date) -> list[tuple[str, int]]:
    """This season's goods by category (order lines of orders paid or on account, not cancelled), highest first."""
    start = segments.season_start(as_of)
    since = datetime.combine(start, datetime.min.time(), segments.SHANGHAI).astimezone(UTC)
    counted = sa.or_(Order.payment_method == CREDIT, Order.paid_fen > 0)
    from shop.orders.models import OrderLine

    rows = db.session.execute(
        sa.select(OrderLine.category, sa.func.sum(OrderLine.amount_fen)).join(Order)
        .where(Order.status != states.CANCELLED, counted, Order.created_at >= since, Order.created_at <= end_of(as_of))
        .group_by(OrderLine.category)).all()
    return sorted(((c, int(f or 0)) for c, f in rows), key=lambda cf: (-cf[1], cf[0]))
