"""Credit against the database: the dealer's row lock, the check before a credit order, limits and terms, payments
on account and the settlement they make. The figures come from `shop.credit.ledger`; the caller commits.

Every change of a dealer's credit — a credit order, a payment, a cancellation — first bumps the dealer's
`credit_version` with an UPDATE: on PostgreSQL that is the dealer's row lock, held to the end of the
transaction; on SQLite it is the first write, which takes the database's writer lock. Either way the next
one waits, then reads the orders the first committed: two racing orders cannot both fit in one `available`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app

from shop import audit
from shop.credit import ledger
from shop.credit.models import AccountPayment
from shop.dealers.models import Dealer
from shop.extensions import db
from shop.money import MAX_FEN, format_money, format_yuan
from shop.orders import changes, states
from shop.orders.models import Order, Refund

CREDIT = "credit"  # the payment method of a credit order
MAX_TERMS_DAYS = 365
MAX_REFERENCE = 100


class CreditError(Exception):
    """Bad credit input (a limit, terms or a payment): why, in 中文 and in English (str() gives both)."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh} ({en})")


class Refused(Exception):
    """A credit order that may not be placed: the code of `ledger`, and why in words."""

    def __init__(self, code: str, zh: str, en: str):
        self.code, self.zh, self.en = code, zh, en
        super().__init__(code)


def account(dealer: Dealer | None) -> ledger.Account:
    """The dealer's grant as the ledger sees it (none for retail)."""
    if dealer is None:
        return ledger.Account(limit_fen=0, approved=False)
    return ledger.Account(limit_fen=dealer.credit_limit_fen, terms_days=dealer.credit_terms_days,
                          approved=dealer.active)


def order_row(order: Order) -> ledger.CreditOrder:
    """A credit order as a ledger row (money returned to the account from its credit refunds)."""
    returns = tuple((r.created_at, r.amount_fen) for r in order.refunds if r.method == CREDIT)
    return ledger.CreditOrder(number=order.number, total_fen=order.total_fen, placed_at=order.created_at,
                              due_at=order.due_at, cancelled_at=order.cancelled_at, returns=returns, seq=order.id)


def payment_row(payment: AccountPayment) -> ledger.Payment:
    """A payment on account as a ledger row."""
    return ledger.Payment(amount_fen=payment.amount_fen, received_on=payment.received_on,
                          reference=payment.reference, id=payment.id)


def credit_orders(dealer_ids) -> dict[int, list[Order]]:
    """Every credit order of these dealers (two queries: orders, then their refunds)."""
    from sqlalchemy.orm import selectinload

    found: dict[int, list[Order]] = {i: [] for i in dealer_ids}
    for order in db.session.execute(
        sa.select(Order).where(Order.dealer_id.in_(list(found)), Order.payment_method == CREDIT)
        .options(selectinload(Order.refunds)).order_by(Order.id)
        .execution_options(populate_existing=True)  # refunds and payment states as committed, not as first read
    ).scalars():
        found[order.dealer_id].append(order)
    return found


def ledger_orders(dealer_ids) -> dict[int, list[ledger.CreditOrder]]:
    """Every credit order of these dealers as ledger rows (order_row's), read as plain columns: two queries (the
    credit refunds, then the orders), no Order objects, for positions over many dealers."""
    found: dict[int, list[ledger.CreditOrder]] = {i: [] for i in dealer_ids}
    theirs = (Order.dealer_id.in_(list(found)), Order.payment_method == CREDIT)
    returns: dict[int, list[tuple[datetime, int]]] = {}
    for order_id, at, fen in db.session.execute(
        sa.select(Refund.order_id, Refund.created_at, Refund.amount_fen).join(Order)
        .where(*theirs, Refund.method == CREDIT).order_by(Refund.id)
    ):
        returns.setdefault(order_id, []).append((at, fen))
    for order_id, dealer_id, number, total, placed, due, cancelled in db.session.execute(
        sa.select(Order.id, Order.dealer_id, Order.number, Order.total_fen, Order.created_at, Order.due_at,
                  Order.cancelled_at).where(*theirs).order_by(Order.id)
    ):
        found[dealer_id].append(ledger.CreditOrder(number=number, total_fen=total, placed_at=placed, due_at=due,
                                                   cancelled_at=cancelled, returns=tuple(returns.get(order_id, ())),
                                                   seq=order_id))
    return found


def payments_of(dealer_ids) -> dict[int, list[AccountPayment]]:
    """Every payment on account of these dealers, by bank date."""
    found: dict[int, list[AccountPayment]] = {i: [] for i in dealer_ids}
    for payment in db.session.execute(
        sa.select(AccountPayment).where(AccountPayment.dealer_id.in_(list(found)))
        .order_by(AccountPayment.received_on, AccountPayment.id)
    ).scalars():
        found[payment.dealer_id].append(payment)
    return found


def rows(dealer: Dealer) -> tuple[list[ledger.CreditOrder], list[ledger.Payment]]:
    """The dealer's ledger rows."""
    orders = credit_orders([dealer.id])[dealer.id]
    payments = payments_of([dealer.id])[dealer.id]
    return [order_row(o) for o in orders], [payment_row(p) for p in payments]


def position(dealer: Dealer, now: datetime | None = None) -> ledger.Position:
    """The dealer's credit as of now."""
    orders, payments = rows(dealer)
    return ledger.position(account(dealer), orders, payments, now or datetime.now(UTC))


def positions(dealers: list[Dealer], now: datetime | None = None) -> dict[int, ledger.Position]:
    """Every dealer's credit in a fixed number of queries (for the desk)."""
    now = now or datetime.now(UTC)
    ids = [d.id for d in dealers]
    orders, payments = ledger_orders(ids), payments_of(ids)
    return {d.id: ledger.position(account(d), orders[d.id], [payment_row(p) for p in payments[d.id]], now)
            for d in dealers}


def lock(dealer_id: int) -> Dealer:
    """Take the dealer's credit lock (to the end of the transaction) and return the dealer as now committed."""
    db.session.execute(sa.update(Dealer).where(Dealer.id == dealer_id)
                       .values(credit_version=Dealer.credit_version + 1)
                       .execution_options(synchronize_session=False))
    dealer = db.session.get(Dealer, dealer_id)
    db.session.refresh(dealer)
    return dealer


def check_order(dealer_id: int | None, total_fen: int, now: datetime) -> Dealer:
    """Lock the dealer's credit and check that a credit order of total_fen fits; Refused if it does not."""
    if dealer_id is None:
        raise Refused(ledger.NOT_GRANTED, "账期（赊购）仅限已审核的代理商，且须由管理员授信",
                      "Buying on account is for approved dealers with a credit limit granted by the nursery")
    dealer = lock(dealer_id)
    # As of now or later: an order that got the lock first may have been placed after this request began.
    at = position(dealer, max(now, datetime.now(UTC)))
    code = ledger.refusal(account(dealer), at, total_fen)
    if code == ledger.NOT_GRANTED:
        raise Refused(code, "您的账户尚未获得授信额度，请选择其他付款方式或联系苗场",
                      "Your account has no credit limit yet: choose another payment method or ask the nursery")
    if code == ledger.OVERDUE:
        raise Refused(code, f"您有逾期未付的账期货款 {format_money(at.overdue_fen)}（最长逾期 "
                            f"{at.oldest_overdue_days} 天），付清后方可继续赊购",
                      f"{format_money(at.overdue_fen)} on account is overdue (up to {at.oldest_overdue_days} "
                      "days): pay it before buying on account again")
    if code == ledger.LIMIT_EXCEEDED:
        raise Refused(code, f"本单 {format_money(total_fen)} 超出可用额度：可用 {format_money(at.available_fen)}"
                            f"（额度 {format_money(at.limit_fen)}，未付 {format_money(at.outstanding_fen)}）",
                      f"This order of {format_yuan(total_fen)} yuan exceeds the credit available: "
                      f"{format_yuan(at.available_fen)} yuan (limit {format_yuan(at.limit_fen)}, "
                      f"outstanding {format_yuan(at.outstanding_fen)})")
    return dealer


def terms_of(order: Order) -> int:
    """The terms the credit order was placed under (kept in its snapshot)."""
    kept = order.snapshot.get("credit", {}) if isinstance(order.snapshot, dict) else {}
    terms = kept.get("terms_days")
    return terms if isinstance(terms, int) and not isinstance(terms, bool) else ledger.DEFAULT_TERMS_DAYS


def apply(dealer: Dealer, *, actor: str, now: datetime | None = None) -> list[str]:
    """Bring the dealer's credit orders in line with the payments: an order fully covered becomes paid, a part
    covered shows as paid_fen. Returns the numbers newly paid. Call it with the dealer's lock held.

    As of now or later, like the check: every credit order that exists counts, in the order they took the lock, so
    a new order is always last in line and the payments never move from an order already settled."""
    now = max(now or datetime.now(UTC), datetime.now(UTC))
    orders = credit_orders([dealer.id])[dealer.id]
    payments = [payment_row(p) for p in payments_of([dealer.id])[dealer.id]]
    settled, _balance = ledger.settle([order_row(o) for o in orders], payments, now)
    by_number = {o.number: o for o in orders}
    newly_paid = []
    for line in settled:
        order = by_number[line.order.number]
        if order.status == states.CANCELLED or order.payment_status != states.ON_ACCOUNT:
            continue
        if line.settled:
            changes.move(order, actor=actor, action="settle_on_account", payment_status=states.PAID,
                         values={"paid_fen": order.total_fen, "paid_at": now},
                         note={"paid": format_yuan(order.total_fen)})
            newly_paid.append(order.number)
        elif line.covered_fen != order.paid_fen:
            changes.move(order, actor=actor, action="settle_on_account", values={"paid_fen": line.covered_fen},
                         note={"paid": format_yuan(line.covered_fen), "owed": format_yuan(line.owed_fen)})
    return newly_paid


def set_credit(dealer: Dealer, *, limit_fen: int, terms_days: int, actor: str) -> None:
    """An admin grants a limit (0 = none) and terms (days after dispatch); audited with before and after."""
    if not actor.strip():
        raise CreditError("须注明经办人", "who sets it is required")
    if not 0 <= limit_fen <= MAX_FEN:
        raise CreditError("授信额度须为零或正数", "the limit must be zero or more")
    if not 0 <= terms_days <= MAX_TERMS_DAYS:
        raise CreditError(f"账期天数须在 0 到 {MAX_TERMS_DAYS} 之间", f"terms: 0 to {MAX_TERMS_DAYS} days")
    if limit_fen > 0 and not dealer.active:
        raise CreditError(f"代理商状态为{dealer.status_label()}，只能给已通过审核的代理商授信",
                          f"the dealer is {dealer.status_label('en').lower()}: only an approved dealer can be given credit")
    lock(dealer.id)
    before = {"limit": format_yuan(dealer.credit_limit_fen), "terms_days": dealer.credit_terms_days}
    dealer.credit_limit_fen, dealer.credit_terms_days = limit_fen, terms_days
    audit.record(actor.strip(), "set_credit", f"dealer:{dealer.phone}", before,
                 {"limit": format_yuan(limit_fen), "terms_days": terms_days})
    db.session.flush()


def record_payment(dealer: Dealer, *, amount_fen: int, received_on: date, reference: str, actor: str,
                   now: datetime | None = None) -> tuple[AccountPayment, list[str]]:
    """Staff record money the dealer paid into the account; it settles the oldest credit orders first. Returns
    the payment and the orders it (or the balance it joins) paid in full."""
    now = now or datetime.now(UTC)
    reference, actor = reference.strip(), actor.strip()
    if not actor:
        raise CreditError("须注明经办人", "who records it is required")
    if not 0 < amount_fen <= MAX_FEN:
        raise CreditError("金额须大于零", "the amount must be above zero")
    if received_on > ledger.local_day(now):
        raise CreditError("到账日期不能晚于今天", "the date cannot be in the future")
    if len(reference) > MAX_REFERENCE or not reference.isprintable():
        raise CreditError(f"银行流水号最多 {MAX_REFERENCE} 个字符", f"reference: at most {MAX_REFERENCE} characters")
    lock(dealer.id)
    payment = AccountPayment(dealer_id=dealer.id, amount_fen=amount_fen, received_on=received_on,
                             reference=reference, recorded_by=actor, created_at=now)
    db.session.add(payment)
    db.session.flush()
    paid = apply(dealer, actor=actor, now=now)
    audit.record(actor, "record_account_payment", f"dealer:{dealer.phone}", {},
                 {"amount": format_yuan(amount_fen), "received_on": received_on.isoformat(),
                  "reference": reference, "settled": paid})
    return payment, paid


def warn_percent() -> int:
    """外欠款预警 threshold as configured (CREDIT_WARN_PERCENT)."""
    return int(current_app.config["CREDIT_WARN_PERCENT"])
