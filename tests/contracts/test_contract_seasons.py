"""The contract prints the buyer's choice out of season and the quarantine certificate the plants left with."""

import datetime
import io
import re

import pytest
from contract_samples import contract
from pypdf import PdfReader

from shop.contracts import terms
from shop.contracts.render import render_contract
from shop.seasons import guarantee

OPENING = datetime.date(2027, 3, 1)


def printed(data) -> str:
    """The rendered contract's text without whitespace (pdf line breaks fall anywhere)."""
    pdf = render_contract(data)
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def clause(data, heading: str) -> str:
    return "".join(dict(terms.clauses(data))[heading])


@pytest.fixture(scope="module")
def shipped_now() -> str:
    return printed(contract(ship_timing="now", season_opens_on=OPENING))


def test_ship_now_adds_the_out_of_season_exclusion_to_the_guarantee(shipped_now):
    quality = clause(contract(ship_timing="now", season_opens_on=OPENING), "三、质量保证")
    assert quality.endswith(f"4. {guarantee.HEADING}：{guarantee.OUT_OF_SEASON}。")
    assert re.sub(r"\s+", "", terms.OUT_OF_SEASON_CLAUSE) in shipped_now
    assert "成活率100%保证不包括非适宜季节栽植造成的冻害或热害" in shipped_now
    assert "立即发货（见第三条第4款）" in shipped_now


@pytest.mark.parametrize("timing", ["", "reserve"])
def test_no_exclusion_in_season_or_when_reserved(timing):
    data = contract(ship_timing=timing, season_opens_on=OPENING if timing else None)
    assert guarantee.OUT_OF_SEASON not in clause(data, "三、质量保证")
    assert "4." not in clause(data, "三、质量保证")


def test_a_reserved_order_ships_from_the_windows_opening():
    unpaid = contract(ship_timing="reserve", season_opens_on=OPENING, status="pending_payment",
                      payment_status="unpaid", paid_at=None, dispatch_by=None)
    delivery = clause(unpaid, "一、交货与包装")
    assert "乙方选择预约发货：收货地适宜栽植期自2027年3月1日开始，甲方在该日起两日内发货" in delivery
    assert "付款晚于该日的，款到两日内发货" in delivery
    due = datetime.datetime(2027, 3, 2, 16, 0, tzinfo=datetime.UTC)
    paid = clause(contract(ship_timing="reserve", season_opens_on=OPENING, dispatch_by=due), "一、交货与包装")
    assert "乙方选择预约发货" in paid and "即甲方不迟于2027-03-03 00:00发货" in paid


def test_a_dispatched_contract_names_the_certificate_and_its_issue_date():
    data = contract(status="dispatched", dispatched_at=datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC),
                    carrier="顺丰速运", tracking_number="SF1", quarantine_cert="鲁检(临)2026-07",
                    quarantine_cert_issued_on=datetime.date(2026, 12, 1))
    assert "植物检疫证书编号：鲁检(临)2026-07，签发日期2026年12月1日" in printed(data)
    unknown_date = contract(status="dispatched", dispatched_at=datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC),
                            quarantine_cert="鲁检-1")
    assert "植物检疫证书编号：鲁检-1。" in clause(unknown_date, "一、交货与包装")
