"""Bank transfers (银行汇款): staff confirm money that arrived in the nursery's account."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from shop.orders import service
from shop.payments.service import record_payment

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the bank's and the staff's calendar


class TransferError(Exception):
    """The transfer cannot be confirmed (unknown order, bad input); the message says why."""


def confirm_transfer(number: str, *, amount_fen: int, received_on: date, reference: str, actor: str,
                     now: datetime | None = None) -> str:
    """Record a received transfer against an order; PAID, ALREADY_PAID or MISMATCH (the caller commits)."""
    order = service.by_number(number.strip().upper())
    if order is None:
        raise TransferError(f"没有订单 {number} (no such order)")
    if not actor.strip():
        raise TransferError("须注明确认人 (who confirms is required)")
    if amount_fen <= 0:
        raise TransferError("金额须大于零 (amount must be above zero)")
    if received_on > (now or datetime.now(UTC)).astimezone(SHANGHAI).date():
        raise TransferError("到账日期不能晚于今天 (the date cannot be in the future)")
    outcome = record_payment(order, method="bank_transfer", amount_fen=amount_fen, currency="cny",
                             reference=reference.strip() or order.number, received_on=received_on.isoformat(),
                             actor=actor.strip(), now=now)
    return outcome
