"""The contract of a real order, placed through the API and read back from the PDF it downloads."""

import re

import pytest
import sqlalchemy as sa

from shop.contracts.capitals import parse_capitals
from shop.money import format_money
from shop.money import parse_yuan as fen
from tests.actions import (
    NAME,
    PHONE,
    PLACE,
    buy,
    database,
    pay_by_transfer,
    pdf_text,
    relative,
    staff_client,
    stand_in_regions,
)

SELLER = "沂蒙山测试果苗场"
CAPITALS = re.compile(r"人民币[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+")
GUARANTEES = ("成活率100%", "品种纯正", "假一赔十", "十倍", "检疫")


@pytest.fixture
def app_overrides():
    return {"SELLER_NAME": SELLER, "SELLER_PHONE": "0539-0000000"}


@pytest.fixture(autouse=True)
def _regions(monkeypatch):
    stand_in_regions(monkeypatch)


def contract_of(client, order: dict) -> str:
    """Download the order's contract with the link the API gave, and read its text."""
    response = client.get(relative(order["contract_url"]))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return pdf_text(response.data)


def in_order(text: str, *parts: str) -> int:
    """Each part appears after the one before; the position after the last."""
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not found after position {at}"
        at = found + len(part)
    return at


def test_bulk_freight_order_prints_parties_lines_amounts_and_terms(client):
    order = buy(client, ("GRP-SHINE-C1", 600), ("GRP-BEET-C1", 400), method="freight")
    assert order["plants"] == 1000 and order["discount_reason"] == "bulk"
    text = contract_of(client, order)

    assert f"合同编号：{order['number']}" in text
    in_order(text, "甲方", SELLER, "0539-0000000", "乙方", NAME)
    assert "".join(PLACE.values()) in text
    assert PHONE in text
    end = 0
    for item in order["items"]:
        end = in_order(text[end:], item["variety"], item["grade"], str(item["quantity"]),
                       format_money(fen(item["unit_price"])), format_money(fen(item["amount"]))) + end
    assert [i["amount"] for i in order["items"]] == ["1500.00", "600.00"]
    in_order(text, "小计", format_money(fen(order["subtotal"])))
    in_order(text, "优惠", "批量优惠", "-" + format_money(fen(order["discount"])))
    assert order["discount"] == "630.00"
    in_order(text, "运费", "物流托运", "运费到付")
    assert order["shipping_fee"] == "0.00" and order["shipping_collect"] is True
    assert format_money(fen(order["total"])) in text.split("优惠", 1)[1]
    assert [parse_capitals(c) for c in CAPITALS.findall(text)] == [fen(order["total"])] == [147000]
    assert "付款方式：银行汇款" in text and "付款状态：未付款" in text and "订单状态：待付款" in text
    for term in GUARANTEES:
        assert term in text


def test_one_plant_under_the_bulk_minimum_gets_no_discount_and_post_shows_its_fee(client):
    order = buy(client, ("GRP-SHINE-C1", 599), ("GRP-BEET-C1", 400))
    text = contract_of(client, order)
    assert order["discount"] == "0.00" and "批量优惠" not in text
    in_order(text, "优惠", "无")
    assert order["shipping_method"] == "post" and order["goods_total"] == "2097.50"
    in_order(text, "运费", "邮寄", format_money(fen(order["shipping_fee"])))
    assert "运费到付" not in text
    assert [parse_capitals(c) for c in CAPITALS.findall(text)] == [fen(order["total"])]


def test_small_post_order_charges_the_fee_into_the_total(client):
    order = buy(client, ("GRP-SHINE-C1", 100))
    text = contract_of(client, order)
    assert fen(order["shipping_fee"]) > 0
    assert fen(order["total"]) == fen(order["subtotal"]) + fen(order["shipping_fee"])
    in_order(text, "运费", "邮寄", format_money(fen(order["shipping_fee"])), "合计", format_money(fen(order["total"])))
    assert parse_capitals(CAPITALS.search(text).group()) == fen(order["total"])


def test_paid_order_says_so_on_its_contract(app, client):
    order = buy(client, ("GRP-SHINE-C1", 100))
    desk = staff_client(app)
    assert pay_by_transfer(desk, order).status_code == 303
    text = contract_of(client, order)
    assert "付款状态：已付款" in text and "订单状态：待发货" in text and "待付款" not in text


def test_contract_is_made_from_the_order_snapshot_not_todays_catalog(app, client):
    from shop.catalog.models import Grade

    order = buy(client, ("GRP-SHINE-C1", 100))
    before = contract_of(client, order)

    with database(app) as db:
        grade = db.session.execute(sa.select(Grade).where(Grade.sku == "GRP-SHINE-C1")).scalar_one()
        grade.price_fen, grade.name = 999, "改名后的规格"
        grade.variety.name = "改名后的品种"
        db.session.commit()
    app.config["SELLER_NAME"] = "换了名字的苗场"
    app.config["CLAIM_WINDOW_DAYS"] = 7

    after = contract_of(client, order)
    assert after == before
    assert "阳光玫瑰" in after and "一级扦插苗" in after and "¥2.50" in after
    for changed in ("改名后", "¥9.99", "换了名字", "7日内"):
        assert changed not in after


def test_the_bulk_threshold_printed_is_the_one_the_order_was_priced_under(app, client):
    app.config["BULK_MIN_PLANTS"] = 500
    order = buy(client, ("GRP-SHINE-C1", 500))
    assert order["discount_reason"] == "bulk"
    app.config["BULK_MIN_PLANTS"] = 1000  # a later change of the rule does not rewrite the contract
    text = contract_of(client, order)
    assert "满500株" in text and "满1000株" not in text
