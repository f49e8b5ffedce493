"""An order's contract: its data from the order's snapshot (never today's catalog) and its verification code."""

from __future__ import annotations

import base64
import hashlib
import hmac
from zoneinfo import ZoneInfo

from shop.contracts.document import ContractData, ContractLine, Party
from shop.credit import service as credit
from shop.orders import service
from shop.orders.models import Order

SHANGHAI = ZoneInfo("Asia/Shanghai")


def canonical(order: Order) -> bytes:
    """The contract's content that must never change, in a fixed form."""
    parts = [order.number, order.created_at.astimezone(SHANGHAI).date().isoformat(), order.customer_name, order.phone,
             str(order.subtotal_fen), str(order.discount_fen), str(order.shipping_fee_fen), str(order.total_fen)]
    parts += [f"{line.sku}:{line.quantity}:{line.unit_price_fen}:{line.amount_fen}" for line in order.lines]
    return "\n".join(parts).encode()


def verification_code(order: Order, secret: str) -> str:
    """A short code derived from the contract's content and the server's secret: NUMBER.MAC."""
    mac = hmac.new(secret.encode(), b"contract\n" + canonical(order), hashlib.sha256).digest()
    return f"{order.number}.{base64.b32encode(mac[:10]).decode().rstrip('=')}"


def code_matches(order: Order, code: str, secret: str) -> bool:
    """True when the code was made for this order's content with this secret."""
    return hmac.compare_digest(verification_code(order, secret), code)


def contract_data(order: Order, *, verify_url: str, verify_code: str) -> ContractData:
    """What the contract prints, from the order as it was placed."""
    seller = order.snapshot.get("seller", {})
    rules = service.placed_rules(order)
    address = order.address if order.shipping_method != "pickup" else ""
    buyer_address = "".join([order.province, order.city, order.district, address]) or f"自提：{order.pickup_base}"
    return ContractData(
        number=order.number,
        date=order.created_at.astimezone(SHANGHAI).date(),
        seller=Party(name=seller.get("name", ""), phone=seller.get("phone", ""), address=seller.get("address", ""),
                     contact=seller.get("contact", ""), bank=seller.get("bank_accounts", "")),
        buyer=Party(name=order.customer_name, phone=order.phone, address=buyer_address),
        lines=tuple(ContractLine(variety=line.variety, grade=line.grade, spec=line.spec, quantity=line.quantity,
                                 unit_price_fen=line.unit_price_fen, amount_fen=line.amount_fen)
                    for line in order.lines),
        subtotal_fen=order.subtotal_fen, discount_fen=order.discount_fen, discount_reason=order.discount_reason,
        shipping_method=order.shipping_method, shipping_fee_fen=order.shipping_fee_fen,
        shipping_collect=order.shipping_collect, total_fen=order.total_fen, payment_method=order.payment_method,
        payment_status=order.payment_status, paid_at=order.paid_at, dispatch_by=order.dispatch_by,
        claim_window_days=int(order.snapshot.get("claim_window_days", 30)), pickup_base=order.pickup_base,
        verify_url=verify_url, verify_code=verify_code,
        bulk_min_plants=rules.bulk_min_plants, rules=rules, status=order.status, paid_fen=order.paid_fen,
        refunded_fen=order.refunded_fen, dispatched_at=order.dispatched_at, carrier=order.carrier,
        tracking_number=order.tracking_number, received_at=order.received_at, cancelled_at=order.cancelled_at,
        credit_terms_days=credit.terms_of(order) if order.payment_method == credit.CREDIT else None,
        due_at=order.due_at,
        ship_timing=order.ship_timing, season_opens_on=order.season_opens_on, quarantine_cert=order.quarantine_cert,
        quarantine_cert_issued_on=order.certificate.issued_on if order.certificate else None,
    )
