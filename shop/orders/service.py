"""Placing, finding, expiring and cancelling orders. One transaction each; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from shop import pricing
from shop.catalog import stock as stock_service
from shop.catalog.models import Base, Grade, Stock, Variety
from shop.catalog.tree import spec_text
from shop.credit import service as credit
from shop.customers import service as customers
from shop.dealers.context import RETAIL, BuyerContext
from shop.extensions import db
from shop.orders import changes, states
from shop.orders import methods as order_methods
from shop.orders.models import Allocation, Order, OrderLine
from shop.orders.numbers import new_number
from shop.seasons import current as seasons
from shop.seasons import windows

METHODS = order_methods.SHIPPING_METHODS  # defined once, in shop.orders.methods
PAYMENT_METHODS = order_methods.PAYMENT_METHODS


@dataclass(frozen=True)
class Buyer:
    """乙方: who the order is for and where it goes."""

    name: str
    phone: str
    province: str = ""
    city: str = ""
    district: str = ""
    address: str = ""


class OrderRefused(Exception):
    """The order breaks a rule; `problems` say which (HTTP 422)."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        super().__init__("; ".join(p.code for p in self.problems))


class OutOfStock(Exception):
    """Not enough plants for a line (HTTP 409)."""

    def __init__(self, sku: str):
        self.sku = sku
        super().__init__(sku)


def rules() -> pricing.Rules:
    """The pricing rules as configured."""
    config = current_app.config
    return pricing.Rules(bulk_min_plants=config["BULK_MIN_PLANTS"], dispatch_days=config["DISPATCH_DAYS"])


def placed_rules(order: Order) -> pricing.Rules:
    """The rules the order was placed under (its snapshot), falling back to today's for what it did not keep."""
    kept = order.snapshot.get("rules", {}) if isinstance(order.snapshot, dict) else {}
    known = {k: v for k, v in kept.items() if k in pricing.Rules.__dataclass_fields__
             and isinstance(v, int) and not isinstance(v, bool)}
    return replace(rules(), **known)


def rates():
    """The shipping rate table loaded at start-up."""
    return current_app.extensions["shipping_rates"]


def load_lines(items: list[tuple[str, int]]) -> tuple[list[pricing.LineInput], dict[str, tuple[Grade, Variety]]]:
    """Current prices, weights and stock for the SKUs asked for, in two queries."""
    skus = [sku for sku, _ in items]
    found = {g.sku: (g, v) for g, v in db.session.execute(
        sa.select(Grade, Variety).join(Variety).where(Grade.sku.in_(skus), Grade.active.is_(True))
        .options(joinedload(Variety.category))  # the order line keeps the category's name: no query per line
    ).all()}
    available = dict(db.session.execute(
        sa.select(Stock.grade_id, sa.func.sum(Stock.quantity))
        .where(Stock.grade_id.in_([g.id for g, _ in found.values()])).group_by(Stock.grade_id)
    ).all())
    lines = []
    for sku, quantity in items:
        grade = found[sku][0] if sku in found else None
        lines.append(pricing.LineInput(
            sku=sku, unit_price_fen=grade.price_fen if grade else None, quantity=quantity,
            weight_g=grade.weight_g if grade else 0, available=int(available.get(grade.id, 0)) if grade else 0,
        ))
    return lines, found


def _price(items, method, province, context: BuyerContext):
    """(quote, line inputs, found grades) for the items; unknown SKUs are problems of their own."""
    lines, found = load_lines(items)
    known = [line for line in lines if line.sku in found]
    result = pricing.price_order(known, method=method, province=province, rates=rates(), rules=rules(),
                                 dealer=context.is_dealer)
    unknown = tuple(
        pricing.Problem("unknown_sku", f"没有货号为 {line.sku} 的苗木", f"No seedling has SKU {line.sku}")
        for line in lines if line.sku not in found
    )
    if unknown:
        result = replace(result, problems=unknown + tuple(p for p in result.problems if p.code != "empty_cart"))
    return result, known, found


def quote(items: list[tuple[str, int]], method: str, province: str | None,
          context: BuyerContext = RETAIL) -> pricing.Quote:
    """Price a would-be order against the current catalog, for the buyer (retail or an approved dealer)."""
    return _price(items, method, province, context)[0]


def place(items: list[tuple[str, int]], *, buyer: Buyer, method: str, payment_method: str,
          pickup_base: str = "", lang: str = "zh", context: BuyerContext = RETAIL,
          now: datetime | None = None, timing: str = "") -> Order:
    """Re-price, hold the stock and record the order with a snapshot of everything used.

    timing: the buyer's choice should the destination be out of season today (SPEC "Seasons"): "reserve" (the
    default) or "now"."""
    now = now or datetime.now(UTC)
    merged: dict[str, int] = {}
    for sku, quantity in items:
        merged[sku] = merged.get(sku, 0) + quantity
    items = list(merged.items())
    province = buyer.province if method != "pickup" else (buyer.province or None)
    priced, lines, found = _price(items, method, province, context)
    refused = [p for p in priced.problems if p.code != "insufficient_stock"]
    if refused:
        raise OrderRefused(refused)
    short = [line for line in lines if line.available is not None and line.available < line.quantity]
    if short:
        raise OutOfStock(short[0].sku)
    on_account = payment_method == credit.CREDIT
    dealer = None
    if on_account:  # the dealer's credit lock first: held until the caller commits or rolls back
        try:
            dealer = credit.check_order(context.dealer_id, priced.total, now)
        except credit.Refused as no:
            raise OrderRefused([pricing.Problem(no.code, no.zh, no.en)]) from None
    bases = list(db.session.execute(sa.select(Base).order_by(Base.position, Base.id)).scalars())
    base_ids = [b.id for b in bases]
    if method == "pickup" and pickup_base:
        chosen = [b.id for b in bases if pickup_base in (b.name, b.code, b.full_name)]
        if not chosen:
            names = "、".join(b.name for b in bases)
            raise OrderRefused([pricing.Problem("unknown_base", f"没有“{pickup_base}”这个自提基地（可选：{names}）",
                                                f"No base called {pickup_base!r} to pick up from")])
        base_ids = chosen + [i for i in base_ids if i not in chosen]
    stock_service.bump_version()  # first write: on SQLite this takes the writer lock before the guarded UPDATEs
    order = Order(
        number=new_number(now), lang=lang,
        status=states.AWAITING_DISPATCH if on_account else states.PENDING_PAYMENT,
        payment_status=states.ON_ACCOUNT if on_account else states.UNPAID,
        dealer_id=context.dealer_id, customer_name=buyer.name, phone=buyer.phone,
        province=buyer.province, city=buyer.city, district=buyer.district, address=buyer.address,
        shipping_method=method, pickup_base=pickup_base, payment_method=payment_method,
        subtotal_fen=priced.subtotal, discount_fen=priced.discount, discount_reason=priced.discount_reason,
        goods_total_fen=priced.goods_total, shipping_fee_fen=priced.shipping_fee,
        shipping_collect=priced.shipping_collect, total_fen=priced.total, plants=priced.plants,
        weight_g=priced.weight_g, created_at=now,
        expires_at=now + timedelta(hours=current_app.config["UNPAID_EXPIRY_HOURS"]),
        snapshot=_snapshot() | ({"credit": {"terms_days": dealer.credit_terms_days}} if dealer else {}),
    )
    order.ship_timing, order.season_opens_on = seasons.timing_for(method, buyer.province, timing, now)
    if on_account:  # on credit the dispatch clock starts at placing (or, reserved, when the window opens)
        order.dispatch_by = rules().dispatch_deadline(
            windows.dispatch_from(order.ship_timing, order.season_opens_on, now))
    customers.attach(order, dealer, now)  # 客户档案: the phone's or the dealer's customer, made if new
    db.session.add(order)
    for priced_line in priced.lines:
        grade, variety = found[priced_line.sku]
        taken = stock_service.take(grade.id, priced_line.quantity, base_ids)
        if taken is None:
            db.session.rollback()
            raise OutOfStock(priced_line.sku)
        line = OrderLine(
            grade_id=grade.id, sku=grade.sku, category=variety.category.name, variety=variety.name,
            variety_en=variety.name_en, grade=grade.name, grade_en=grade.name_en,
            spec=spec_text(grade.propagation, grade.height_cm, grade.diameter_mm, grade.roots, grade.standard),
            unit_price_fen=priced_line.unit_price_fen, quantity=priced_line.quantity,
            amount_fen=priced_line.amount_fen, weight_g=grade.weight_g,
            allocations=[Allocation(grade_id=grade.id, base_id=b, quantity=q) for b, q in taken],
        )
        order.lines.append(line)
    db.session.flush()
    if dealer is not None:  # a balance the dealer paid in settles the new order at once
        credit.apply(dealer, actor=f"dealer:{dealer.phone}", now=now)
    return order


def _snapshot() -> dict:
    """The rules and the seller as they were when the order was placed (for the contract)."""
    config = current_app.config
    r = rules()
    return {
        "rules": {"bulk_min_plants": r.bulk_min_plants, "discount_percent": r.discount_percent,
                  "post_min_fen": r.post_min_fen, "free_post_fen": r.free_post_fen,
                  "dispatch_days": r.dispatch_days},
        "claim_window_days": config["CLAIM_WINDOW_DAYS"],
        "seller": {key: config[f"SELLER_{key.upper()}"] for key in
                   ("name", "name_en", "contact", "phone", "address", "bank_accounts")},
    }


def find(number: str, phone: str) -> Order | None:
    """A guest's order by its number and the buyer's phone; None when either is wrong."""
    if not number or not phone:
        return None
    order = db.session.execute(sa.select(Order).where(Order.number == number.strip().upper())).scalar()
    if order is None or not _same_phone(order.phone, phone):
        return None
    return order


def _same_phone(stored: str, given: str) -> bool:
    import hmac

    return hmac.compare_digest(stored.encode(), given.strip().encode())


def by_number(number: str) -> Order | None:
    """An order by number, for staff and internal use."""
    return db.session.execute(sa.select(Order).where(Order.number == number)).scalar()


def release(order: Order, reason: str, actor: str, now: datetime | None = None) -> bool:
    """Cancel an order not yet dispatched and give its stock back; False if it had moved on meanwhile.

    Only the goods: money paid is refunded by `shop.orders.lifecycle.cancel_order`, which calls this.
    """
    now = now or datetime.now(UTC)
    if order.status not in states.CANCELLABLE:
        return False
    returned: dict[str, int] = {}
    for line in order.lines:
        for allocation in line.allocations:
            returned[line.sku] = returned.get(line.sku, 0) + allocation.quantity
    if not changes.move(order, actor=actor, action="cancel_order", status=states.CANCELLED,
                        payment_status=states.after_cancel(order.payment_status),
                        values={"cancelled_at": now, "cancel_reason": reason[:200]},
                        note={"reason": reason, "stock_returned": returned}):
        return False
    stock_service.bump_version()
    for line in order.lines:
        for allocation in line.allocations:
            stock_service.give_back(allocation.grade_id, allocation.base_id, allocation.quantity)
    return True


def unpaid_past_expiry(now: datetime) -> list[Order]:
    """Unpaid orders whose time to pay has run out (UNPAID_EXPIRY_HOURS), oldest first."""
    return list(db.session.execute(
        sa.select(Order).where(Order.status == states.PENDING_PAYMENT, Order.payment_status == states.UNPAID,
                               Order.expires_at < now).order_by(Order.id)
    ).scalars())
