"""What a certificate must be to let seedlings leave (pure): a number, an issue date, not in the future, not older
than QUARANTINE_CERT_DAYS, and one vehicle per certificate (一车一证)."""

from __future__ import annotations

import unicodedata
from datetime import date

from shop.orders.intake import Problem

NUMBER_LIMIT = 60  # QuarantineCertificate.number and Order.quarantine_cert
VEHICLE_LIMIT = 20  # QuarantineCertificate.vehicle


class CertificateRefused(Exception):
    """The certificate does not allow the dispatch; `problems` say why, by form field."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(p.code for p in self.problems))


def normal_number(number: str) -> str:
    """A certificate number as recorded: NFKC (全角 → 半角) and upper case, so "c-15" and "Ｃ-15" are "C-15"."""
    return unicodedata.normalize("NFKC", number).strip().upper()


def check(number: str, issued_on: date | None, *, today: date, max_days: int, vehicle: str = "") -> list[Problem]:
    """Everything wrong with the certificate for a dispatch on today (China's date); empty when it may go."""
    problems = []
    if not number:
        problems.append(Problem("quarantine_cert", "cert_required",
                                "发货须填写植物检疫证书编号（植物检疫条例第七条：调运苗木须经检疫）",
                                "The plant quarantine certificate number is required to dispatch "
                                "(Plant Quarantine Regulations, Art. 7)"))
    elif len(number) > NUMBER_LIMIT or not number.isprintable():
        problems.append(Problem("quarantine_cert", "cert_bad_number",
                                f"植物检疫证书编号须为1到{NUMBER_LIMIT}个可见字符",
                                f"The certificate number must be 1 to {NUMBER_LIMIT} printable characters"))
    if issued_on is None:
        problems.append(Problem("cert_issued_on", "cert_date_required", "发货须填写植物检疫证书的签发日期",
                                "The certificate's issue date is required to dispatch"))
    elif issued_on > today:
        problems.append(Problem("cert_issued_on", "cert_date_future",
                                f"签发日期 {issued_on.isoformat()} 晚于今天，请核对证书",
                                f"The issue date {issued_on.isoformat()} is after today; check the certificate"))
    elif (today - issued_on).days > max_days:
        problems.append(Problem("cert_issued_on", "cert_stale",
                                f"植物检疫证书签发于 {issued_on.isoformat()}，已超过{max_days}天，请重新办理调运检疫",
                                f"The certificate was issued on {issued_on.isoformat()}, more than {max_days} days "
                                "ago: have the consignment inspected again"))
    if len(vehicle) > VEHICLE_LIMIT or not vehicle.isprintable():
        problems.append(Problem("vehicle", "bad_vehicle", f"车牌号最多{VEHICLE_LIMIT}个可见字符",
                                f"The vehicle plate can have at most {VEHICLE_LIMIT} printable characters"))
    return problems


def same_certificate(number: str, recorded_on: date | None, recorded_vehicle: str, issued_on: date,
                     vehicle: str) -> list[Problem]:
    """What contradicts the certificate as first recorded: another issue date, another vehicle (一车一证)."""
    problems = []
    if recorded_on is not None and recorded_on != issued_on:
        problems.append(Problem("cert_issued_on", "cert_date_mismatch",
                                f"证书 {number} 已登记，签发日期为 {recorded_on.isoformat()}",
                                f"Certificate {number} is already recorded as issued on {recorded_on.isoformat()}"))
    if vehicle and recorded_vehicle and vehicle != recorded_vehicle:
        problems.append(Problem("vehicle", "cert_other_vehicle",
                                f"一车一证：证书 {number} 已登记给车辆 {recorded_vehicle}",
                                f"One certificate per vehicle: {number} is recorded for vehicle {recorded_vehicle}"))
    return problems
