"""POST /api/v1/plan: the plan in plants and grades, its quote as POST /api/v1/quote gives it, and clear errors."""

from __future__ import annotations

import pytest

from tests.actions import HONGYANG, HONGYANG_G1, MOSHAN_MALE, plan, quote


def ok(response) -> dict:
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def refused(response, status: int = 422) -> dict:
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] and error["message"]
    return error


def test_ten_mu_of_hongyang_at_the_default_spacing_orders_male_plants_at_one_to_eight(client):
    body = ok(plan(client, HONGYANG, 10))
    assert (body["area_m2"], body["row_spacing_m"], body["plant_spacing_m"], body["buffer_percent"]) == \
        ("6666.67", "4", "3", "5")
    assert (body["positions"], body["needs_pollinizer"], body["ratio"]) == (556, True, 8)
    assert body["main"] == {"variety": "红阳", "slug": HONGYANG, "sku": HONGYANG_G1, "grade": "一级嫁接苗",
                            "planted": 494, "spare": 25, "quantity": 519}
    assert body["pollinizers"] == [{"variety": "磨山4号", "slug": "kiwi-moshan-4", "sku": MOSHAN_MALE,
                                    "grade": "雄株一级嫁接苗", "planted": 62, "spare": 4, "quantity": 66}]
    assert body["trees"] == 519 + 66 == 585  # trees is what is ordered: main + pollinizers, buffer included
    assert "园艺学报" in body["source"]


def test_the_quote_is_the_one_post_quote_gives_for_the_same_lines(client):
    body = ok(plan(client, HONGYANG, 10, shipping={"method": "post", "province": "山东省"}))
    same = quote(client, (HONGYANG_G1, 519), (MOSHAN_MALE, 66)).get_json()
    assert body["quote"] == same
    assert body["quote"]["subtotal"] == "3444.00"  # 519 × ¥6.00 + 66 × ¥5.00
    assert body["quote"]["can_order"] is True


def test_a_plan_of_a_thousand_plants_or_more_gets_the_bulk_discount(client):
    body = ok(plan(client, HONGYANG, 20, shipping={"method": "post", "province": "山东省"}))
    assert body["trees"] >= 1000
    assert body["quote"]["discount_reason"] == "bulk"
    assert body["quote"]["discount"] != "0.00"


def test_without_shipping_the_quote_prices_post_and_asks_for_the_province(client):
    body = ok(plan(client, HONGYANG, 10))
    assert body["quote"]["shipping_method"] == "post"
    assert [p["code"] for p in body["quote"]["problems"]] == ["unknown_province"]


def test_square_metres_spacing_and_buffer_as_given(client):
    body = ok(plan(client, "阳光玫瑰", 1000, "m2", row_spacing_m=2.5, plant_spacing_m=1.6, buffer_percent=0))
    assert body["positions"] == 250 and body["trees"] == 250  # 1000 / 4 exactly: not rounded up
    assert body["pollinizers"] == [] and body["needs_pollinizer"] is False
    assert body["main"]["spare"] == 0


def test_numbers_are_read_exactly_never_as_floats(client):
    # 2.1 亩 at 0.7 × 0.8 m is exactly 2500 plants; float arithmetic gives 2500.0000000000005 → 2501
    body = ok(plan(client, "Shine Muscat", 2.1, row_spacing_m=0.7, plant_spacing_m=0.8, buffer_percent=0))
    assert body["positions"] == 2500 and body["area"] == "2.1"


def test_the_m26_rootstock_brings_its_dwarf_spacing_and_apples_their_pollinizer(client):
    standard = ok(plan(client, "apple-fuji", 10))
    dwarf = ok(plan(client, "apple-fuji", 10, rootstock="M26"))
    assert (standard["row_spacing_m"], standard["plant_spacing_m"]) == ("5", "4")
    assert (dwarf["row_spacing_m"], dwarf["plant_spacing_m"], dwarf["rootstock"]) == ("4", "2", "M26")
    assert dwarf["positions"] == 834 and standard["positions"] == 334  # 6666.67 / 8 and / 20
    assert [p["variety"] for p in dwarf["pollinizers"]] == ["嘎啦系"]
    assert dwarf["pollinizers"][0]["planted"] == 167  # 834 / 5 = 166.8 → 167 at 4:1


def test_another_recommended_pollinizer_and_grades_can_be_chosen(client):
    body = ok(plan(client, "apple-fuji", 3, pollinizer="美国8号", main_sku="APL-FUJI-G3", pollinizer_sku="APL-US8-G2"))
    assert (body["main"]["sku"], body["pollinizers"][0]["sku"]) == ("APL-FUJI-G3", "APL-US8-G2")
    assert body["quote"]["plants"] == body["trees"]


def test_english_names_and_messages(client):
    body = ok(plan(client, "Hongyang", 10, lang="en"))
    assert (body["main"]["variety"], body["pollinizers"][0]["variety"]) == ("Hongyang", "Moshan No. 4 (male pollinizer)")
    error = refused(plan(client, HONGYANG, 10, lang="en", row_spacing_m=0))
    assert error["message"] == "The row spacing must be from 0.1 to 20 m"


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({"variety": "榴莲"}, "unknown_variety", "variety"),
    ({"variety": "M26"}, "not_plannable", "variety"),  # a rootstock
    ({"variety": "磨山4号"}, "not_plannable", "variety"),  # a male plant is only ever a pollinizer
    ({"variety": "银杏"}, "not_plannable", "variety"),  # 询价
    ({"row_spacing_m": 0}, "bad_spacing", "row_spacing_m"),
    ({"plant_spacing_m": -3}, "bad_spacing", "plant_spacing_m"),
    ({"plant_spacing_m": 25}, "bad_spacing", "plant_spacing_m"),
    ({"area": 0}, "bad_area", "area"),
    ({"area": -1}, "bad_area", "area"),
    ({"area": 1e9}, "bad_area", "area"),
    ({"area": 0.001}, "spacing_exceeds_area", "area"),  # 0.67 m²: smaller than one tree's 12 m²
    ({"unit": "acre"}, "bad_unit", "unit"),
    ({"buffer_percent": 80}, "bad_buffer", "buffer_percent"),
    ({"rootstock": "M9"}, "unknown_rootstock", "rootstock"),
    ({"pollinizer": "红华"}, "bad_pollinizer", "pollinizer"),
    ({"main_sku": MOSHAN_MALE}, "bad_grade", "main_sku"),
    ({"shipping": {"method": "drone"}}, "bad_shipping_method", "shipping.method"),
])
def test_input_that_cannot_make_a_plan_is_a_422_naming_the_field(client, fields, code, field):
    body = {"variety": HONGYANG, "area": 10, "unit": "mu", **fields}
    error = refused(client.post("/api/v1/plan", json=body))
    assert error["code"] == code
    assert error["problems"][0]["field"] == field


@pytest.mark.parametrize("body", [
    {"area": 10, "unit": "mu"}, {"variety": HONGYANG, "unit": "mu"}, {"variety": HONGYANG, "area": 10},
    {"variety": HONGYANG, "area": "10", "unit": "mu"}, {"variety": HONGYANG, "area": True, "unit": "mu"},
    {"variety": 7, "area": 10, "unit": "mu"}, {"variety": HONGYANG, "area": 10, "unit": "mu", "row_spacing_m": "4"},
    {"variety": HONGYANG, "area": 10, "unit": "mu", "shipping": "post"}, [HONGYANG, 10],
])
def test_a_malformed_body_is_a_400(client, body):
    assert refused(client.post("/api/v1/plan", json=body), 400)["code"] == "bad_request"


def test_nan_and_infinity_are_not_numbers(client):
    for text in ('{"variety": "红阳", "area": NaN, "unit": "mu"}', '{"variety": "红阳", "area": Infinity, "unit": "mu"}'):
        response = client.post("/api/v1/plan", data=text, content_type="application/json")
        assert refused(response, 400)["code"] == "bad_request"


def test_not_json_is_a_415(client):
    response = client.post("/api/v1/plan", data="variety=红阳", content_type="text/plain")
    assert refused(response, 415)["code"] == "bad_request"


def test_the_openapi_document_states_the_call_and_its_constraints(client):
    document = client.get("/api/v1/openapi.json").get_json()
    op = document["paths"]["/api/v1/plan"]["post"]
    assert set(op["responses"]) == {"200", "400", "401", "415", "422"}
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["variety", "area", "unit"]
    props = schema["properties"]
    assert props["unit"]["enum"] == ["mu", "m2"]
    assert (props["row_spacing_m"]["minimum"], props["row_spacing_m"]["maximum"]) == (0.1, 20)
    assert props["area"]["exclusiveMinimum"] is True and props["buffer_percent"]["maximum"] == 50
    result = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert {"trees", "main", "pollinizers", "quote"} <= set(result["required"])
    assert set(result["properties"]["quote"]["properties"]) >= {"subtotal", "discount", "total", "problems"}


def test_a_dealer_token_prices_the_plan_as_the_dealer(app, client):
    from tests.dealers.test_dealer_api import bearer, create_dealer

    token = create_dealer(app)
    response = client.post("/api/v1/plan", json={"variety": HONGYANG, "area": 1, "unit": "mu"}, headers=bearer(token))
    assert ok(response)["quote"]["discount_reason"] == "dealer"
