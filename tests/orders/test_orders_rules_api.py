"""Each pricing rule at its exact boundary, through POST /api/v1/quote and POST /api/v1/orders on the real catalog.

The catalog's prices are whole 角, so amounts such as ¥199.99 need one grade re-priced in the test database,
as staff would do at the desk.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from shop.shipping import packaging_weight_g
from tests.actions import JMG_C2, KYOHO_C2, MM_C2, codes, orders_stored, place, quote, set_grade, stock_of


@pytest.fixture
def priced(app):
    """美人指 C2 at ¥1.11 and 巨玫瑰 C2 at ¥1.10: 1287 × 1.11 = 1428.57 → goods 1000.00 after 7折."""
    set_grade(app, MM_C2, price_fen=111)
    set_grade(app, JMG_C2, price_fen=110)
    return app


# 200元起邮 ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["post", "express"])
def test_goods_of_200_00_can_be_sent_by_post_or_express(client, method):
    body = quote(client, (MM_C2, 200), method=method).get_json()
    assert (body["goods_total"], body["can_order"], body["problems"]) == ("200.00", True, [])
    assert body["shipping_fee"] != "0.00"
    assert Decimal(body["total"]) == Decimal("200.00") + Decimal(body["shipping_fee"])


@pytest.mark.parametrize("method", ["post", "express"])
def test_goods_of_199_99_are_below_the_minimum(app, client, method):
    set_grade(app, JMG_C2, price_fen=99)
    body = quote(client, (MM_C2, 199), (JMG_C2, 1), method=method).get_json()
    assert (body["goods_total"], body["can_order"]) == ("199.99", False)
    assert codes(body) == ["below_minimum"]
    assert "还差 ¥0.01 起邮" in body["problems"][0]["message"]


def test_an_order_of_199_99_is_refused_with_422_and_nothing_is_held(app, client):
    set_grade(app, JMG_C2, price_fen=99)
    before = stock_of(app, MM_C2)
    response = place(client, (MM_C2, 199), (JMG_C2, 1))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "below_minimum"
    assert (orders_stored(app), stock_of(app, MM_C2)) == (0, before)


def test_an_order_of_exactly_200_00_is_placed(app, client):
    response = place(client, (MM_C2, 200))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["goods_total"] == "200.00"


# 千元以上免邮 (after the 7折) ---------------------------------------------------------------------------

def test_goods_of_1000_00_after_the_discount_ship_post_free(priced, client):
    body = quote(client, (MM_C2, 1287)).get_json()
    assert body["subtotal"] == "1428.57"
    assert (body["discount"], body["discount_reason"]) == ("428.57", "bulk")  # 428.571 → 428.57
    assert (body["goods_total"], body["shipping_fee"], body["total"]) == ("1000.00", "0.00", "1000.00")
    assert body["can_order"] is True


def test_goods_of_999_99_after_the_discount_pay_post(priced, client):
    body = quote(client, (MM_C2, 1286), (JMG_C2, 1)).get_json()
    assert body["subtotal"] == "1428.56"
    assert body["discount"] == "428.57"  # 428.568 rounds up
    assert body["goods_total"] == "999.99"
    assert body["shipping_fee"] != "0.00"
    assert Decimal(body["total"]) == Decimal("999.99") + Decimal(body["shipping_fee"])


def test_express_is_charged_even_at_1000_00(priced, client):
    body = quote(client, (MM_C2, 1287), method="express").get_json()
    assert body["goods_total"] == "1000.00"
    assert body["shipping_fee"] != "0.00"


def test_a_free_post_order_is_stored_with_no_shipping_fee(priced, client):
    response = place(client, (MM_C2, 1287))
    assert response.status_code == 201, response.get_json()
    order = response.get_json()
    assert (order["goods_total"], order["shipping_fee"], order["total"]) == ("1000.00", "0.00", "1000.00")


# 批量 7折 from 1000 plants -----------------------------------------------------------------------------

def test_999_plants_pay_the_full_price(client):
    body = quote(client, (MM_C2, 500), (JMG_C2, 499)).get_json()
    assert (body["plants"], body["subtotal"], body["discount"], body["discount_reason"]) == (999, "999.00", "0.00", None)
    assert body["goods_total"] == "999.00"


def test_1000_plants_over_several_lines_get_30_percent_off(client):
    body = quote(client, (MM_C2, 500), (JMG_C2, 500)).get_json()
    assert (body["plants"], body["subtotal"], body["discount"], body["discount_reason"]) == (1000, "1000.00", "300.00", "bulk")
    assert body["goods_total"] == "700.00"


def test_the_bulk_discount_is_30_percent_of_the_subtotal_rounded_half_up(app, client):
    set_grade(app, MM_C2, price_fen=105)
    body = quote(client, (MM_C2, 1001)).get_json()
    assert body["subtotal"] == "1051.05"
    assert body["discount"] == "315.32"  # 315.315 → 315.32
    assert body["goods_total"] == "735.73"


def test_an_order_of_1000_plants_is_stored_with_the_discount_and_its_reason(client):
    order = place(client, (KYOHO_C2, 1000), method="pickup", pickup_base=None).get_json()
    assert (order["subtotal"], order["discount"], order["discount_reason"]) == ("600.00", "180.00", "bulk")
    assert order["items"][0]["unit_price"] == "0.60"  # the line keeps the list price; the discount is on the order


# 物流托运 (freight): goods ≥ 1000.00 or weight ≥ 20 kg, 运费到付 --------------------------------------

def test_freight_for_a_small_order_is_refused(app, client):
    body = quote(client, (MM_C2, 100), method="freight").get_json()
    assert (body["can_order"], codes(body)) == (False, ["freight_too_small"])
    response = place(client, (MM_C2, 100), method="freight")
    assert (response.status_code, response.get_json()["error"]["code"]) == (422, "freight_too_small")
    assert orders_stored(app) == 0


def test_freight_from_goods_of_1000_00_is_collected_on_delivery(app, client):
    set_grade(app, MM_C2, price_fen=1000, weight_g=10)
    set_grade(app, JMG_C2, price_fen=999, weight_g=10)
    small = quote(client, (MM_C2, 99), (JMG_C2, 1), method="freight").get_json()
    assert (small["goods_total"], codes(small)) == ("999.99", ["freight_too_small"])
    big = quote(client, (MM_C2, 100), method="freight").get_json()
    assert (big["goods_total"], big["can_order"]) == ("1000.00", True)
    assert (big["shipping_fee"], big["shipping_collect"], big["total"]) == ("0.00", True, "1000.00")


def test_freight_from_20_kg_even_for_small_goods(app, client):
    plants = 50
    per_plant = (20000 - packaging_weight_g(plants)) // plants  # exactly 20 kg with the packaging
    set_grade(app, MM_C2, weight_g=per_plant)
    assert per_plant * plants + packaging_weight_g(plants) == 20000
    heavy = quote(client, (MM_C2, plants), method="freight").get_json()
    assert (heavy["weight_kg"], heavy["goods_total"], heavy["can_order"]) == ("20.000", "50.00", True)
    set_grade(app, MM_C2, weight_g=per_plant - 1)
    light = quote(client, (MM_C2, plants), method="freight").get_json()
    assert (light["weight_kg"], codes(light)) == ("19.950", ["freight_too_small"])


# 自提 (pickup): no minimum, no fee ---------------------------------------------------------------------

def test_pickup_of_a_single_plant_is_allowed_and_free(app, client):
    body = quote(client, (KYOHO_C2, 1), method="pickup", province="").get_json()
    assert (body["total"], body["shipping_fee"], body["can_order"]) == ("0.60", "0.00", True)
    before = stock_of(app, KYOHO_C2)
    response = place(client, (KYOHO_C2, 1), method="pickup", pickup_base=None)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["total"] == "0.60"
    assert stock_of(app, KYOHO_C2) == before - 1


# What else stops an order ------------------------------------------------------------------------------

def test_post_to_an_unknown_province_is_refused(client):
    body = quote(client, (MM_C2, 300), province="火星").get_json()
    assert (body["can_order"], codes(body)) == (False, ["unknown_province"])


def test_a_quote_reports_too_little_stock_and_the_order_gets_409(app, client):
    set_grade(app, MM_C2, stock=299)
    body = quote(client, (MM_C2, 300)).get_json()
    assert (body["can_order"], codes(body)) == (False, ["insufficient_stock"])
    response = place(client, (MM_C2, 300))
    assert (response.status_code, response.get_json()["error"]["code"]) == (409, "insufficient_stock")
    assert place(client, (MM_C2, 299)).status_code == 201
    assert stock_of(app, MM_C2) == 0


def test_price_on_request_seedlings_cannot_be_ordered(app, client):
    from shop.catalog.models import Grade
    from shop.extensions import db

    with app.app_context():
        sku = db.session.execute(db.select(Grade.sku).where(Grade.price_fen.is_(None))).scalars().first()
    response = place(client, (MM_C2, 300), (sku, 10))
    assert (response.status_code, response.get_json()["error"]["code"]) == (422, "quote_only")
    assert orders_stored(app) == 0
