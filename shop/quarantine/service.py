"""Recording certificates at dispatch: found or created once per number (even when two desks race), checked each
time goods leave under it; and dispatching several orders together under one (一车一证). The caller commits."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app

from shop.extensions import db
from shop.quarantine import rules
from shop.quarantine.models import QuarantineCertificate
from shop.quarantine.rules import CertificateRefused
from shop.seasons.windows import china_day

MAX_TOGETHER = 200  # orders one batch dispatch may hold


def certificate_for(number: str, issued_on: date | None, *, vehicle: str = "", actor: str,
                    now: datetime | None = None) -> QuarantineCertificate:
    """The certificate this dispatch leaves under, recorded if new; CertificateRefused if it is missing, stale
    (older than QUARANTINE_CERT_DAYS) or contradicts how it was first recorded."""
    now = now or datetime.now(UTC)
    number, vehicle = rules.normal_number(number), vehicle.strip()
    problems = rules.check(number, issued_on, today=china_day(now), vehicle=vehicle,
                           max_days=current_app.config["QUARANTINE_CERT_DAYS"])
    if problems:
        raise CertificateRefused(problems)
    _insert_once(number=number, issued_on=issued_on, vehicle=vehicle, recorded_by=actor[:60], created_at=now)
    certificate = db.session.execute(
        sa.select(QuarantineCertificate).where(QuarantineCertificate.number == number)).scalar_one()
    problems = rules.same_certificate(number, certificate.issued_on, certificate.vehicle, issued_on, vehicle)
    if problems:
        raise CertificateRefused(problems)
    if certificate.issued_on is None:  # recorded before issue dates were (migration 0005): now it is known
        certificate.issued_on = issued_on
    if vehicle and not certificate.vehicle:
        certificate.vehicle = vehicle
    return certificate


def _insert_once(**values) -> None:
    """INSERT … ON CONFLICT (number) DO NOTHING: a certificate two dispatches name at once is recorded once."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(QuarantineCertificate).values(**values).on_conflict_do_nothing(
        index_elements=["number"]))


def order_fields(order) -> dict:
    """The certificate of a dispatched order as the API's `dispatch` object shows it."""
    certificate = order.certificate
    return {"quarantine_cert": order.quarantine_cert,
            "quarantine_cert_issued_on": certificate.issued_on.isoformat() if certificate and certificate.issued_on
            else None,
            "vehicle": certificate.vehicle if certificate else ""}


ORDER_FIELDS_SCHEMA = {
    "quarantine_cert": {"type": "string", "description": "植物检疫证书 number"},
    "quarantine_cert_issued_on": {"type": "string", "format": "date", "nullable": True},
    "vehicle": {"type": "string", "description": "plate of the vehicle the certificate covers; empty for a parcel"},
}
