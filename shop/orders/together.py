"""Batch dispatch (一车一证): several orders leave the base together in one vehicle under one quarantine certificate."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shop.orders import fulfilment
from shop.orders.intake import Problem
from shop.orders.models import Order
from shop.quarantine.rules import CertificateRefused
from shop.quarantine.service import MAX_TOGETHER


def dispatch_together(orders: list[Order], *, base: str, carrier: str, vehicle: str, tracking_number: str,
                      quarantine_cert: str, cert_issued_on: date | None, actor: str,
                      now: datetime | None = None) -> list[str]:
    """Dispatch every order or none (the caller rolls back on an error): NotDispatchable names the first order
    that cannot go, CertificateRefused says what is wrong with the certificate or the vehicle. Their numbers."""
    now = now or datetime.now(UTC)
    if not vehicle.strip():
        raise CertificateRefused([Problem("vehicle", "vehicle_required", "批量发货须填写车牌号（一车一证）",
                                          "A batch dispatch needs the vehicle's plate (one certificate per vehicle)")])
    if not orders or len(orders) > MAX_TOGETHER:
        raise ValueError(f"a batch holds 1 to {MAX_TOGETHER} orders, not {len(orders)}")
    for order in orders:
        fulfilment.dispatch(order, base=base, carrier=carrier, tracking_number=tracking_number,
                            quarantine_cert=quarantine_cert, cert_issued_on=cert_issued_on, vehicle=vehicle,
                            actor=actor, now=now)
    return [order.number for order in orders]
