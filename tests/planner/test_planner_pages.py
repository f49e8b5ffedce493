"""/planner as a farmer uses it: defaults filled in, the plan in words and prices, errors in their language, and the
whole plan in the cart with one tap (CSRF-protected, stock-checked)."""

from __future__ import annotations

import re

from tests.actions import (
    HONGYANG,
    HONGYANG_G1,
    MOSHAN_MALE,
    add_plan_to_cart,
    add_to_cart,
    cart,
    cart_lines,
    planner_html,
    planner_page,
    set_grade,
)


def value_of(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" id="{name}" value="([^"]*)"', page)
    assert match, name
    return match.group(1)


def text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_every_variety_page_links_to_the_planner(client):
    page = client.get(f"/v/{HONGYANG}").get_data(as_text=True)
    assert f'href="/planner?variety={HONGYANG}" id="planner-link"' in page
    rootstock = client.get("/v/apple-m26").get_data(as_text=True)  # not planned on its own: the empty planner
    assert 'href="/planner" id="planner-link"' in rootstock


def test_the_planner_lists_the_fruit_varieties_but_not_rootstocks_or_male_plants(client):
    page = planner_html(client)
    assert f'<option value="{HONGYANG}"' in page and '<option value="apple-fuji"' in page
    for slug in ("apple-m26", "grape-so4", "kiwi-moshan-4", "greening-ginkgo"):
        assert f'<option value="{slug}"' not in page, slug
    assert 'id="plan"' not in page  # nothing to plan yet


def test_choosing_a_variety_fills_in_its_default_spacing_and_the_buffer(client):
    page = planner_html(client, variety=HONGYANG)
    assert (value_of(page, "row_spacing_m"), value_of(page, "plant_spacing_m"), value_of(page, "buffer_percent")) \
        == ("4", "3", "5")
    assert 'id="plan"' not in page and "请填写面积" not in page  # no area yet: no plan, no complaint
    apple = planner_html(client, variety="apple-fuji", rootstock="M26")
    assert (value_of(apple, "row_spacing_m"), value_of(apple, "plant_spacing_m")) == ("4", "2")
    assert '<option value="M26" selected>' in apple


def test_the_plan_in_words_and_numbers_with_the_price_of_each_line(client):
    page = text(planner_html(client, variety=HONGYANG, area="10", unit="mu"))
    assert "10 亩（6666.67 平方米），行距 4 米 × 株距 3 米，每株占地 12 平方米：可栽 556 株。" in page
    assert "每 8 株配 1 株磨山4号，556 ÷ 9 向上取整为 62 株授粉树，其余 494 株为红阳。" in page
    assert "另按 5% 备补栽苗（每项向上取整）：红阳 25 株，磨山4号 4 株。" in page
    assert "共需订购 585 株。" in page
    assert "¥6.00 519 ¥3,114.00" in page and "¥5.00 66 ¥330.00" in page
    assert "货款小计 ¥3,444.00" in page and "一键加入购物车（共 585 株）" in page
    assert "再加 415 株享批量7折" in page  # 585 plants: the bulk discount is 415 away


def test_the_bulk_discount_shows_when_the_plan_reaches_it(client):
    page = text(planner_html(client, variety=HONGYANG, area="20", unit="mu"))
    assert "共需订购 1169 株。" in page  # 1112 positions: 124 males, 988 females, then 7 and 50 spare
    assert "优惠 （ 一单满1000株，批量7折 ）" in page.replace("（", " （ ").replace("）", " ） ")
    assert "再加" not in page


def test_the_plan_is_in_english_too(client):
    page = text(planner_html(client, variety=HONGYANG, area="10", unit="mu", lang="en"))
    assert "10 mu (6666.67 m²)" in page and "556 planting positions" in page
    assert "Hongyang needs a pollinizer" in page and "585 plants to order" in page


def test_square_metres_and_a_self_fertile_variety(client):
    page = text(planner_html(client, variety="grape-shine-muscat", area="1000", unit="m2", row_spacing_m="2.5",
                             plant_spacing_m="1", buffer_percent="0"))
    assert "1000 平方米（1000.00 平方米）" in page and "可栽 400 株" in page
    assert "阳光玫瑰 自花结实，不用配授粉树。" in page and "共需订购 400 株。" in page


def test_bad_input_is_shown_next_to_its_field_in_the_visitors_language(client):
    response = planner_page(client, variety=HONGYANG, area="十亩", unit="mu")
    assert response.status_code == 422
    assert '<span class="error">请填写数字，如 10 或 2.5</span>' in response.get_data(as_text=True)
    zero = planner_page(client, variety=HONGYANG, area="10", unit="mu", row_spacing_m="0", plant_spacing_m="3")
    assert zero.status_code == 422 and "行距须在 0.1 到 20 米之间" in zero.get_data(as_text=True)
    tiny = planner_page(client, variety=HONGYANG, area="1", unit="m2", lang="en")
    assert tiny.status_code == 422
    assert "One tree takes 12.00 m² (row × plant spacing), more than the whole field of 1.00 m²" in \
        tiny.get_data(as_text=True)
    unknown = planner_page(client, variety="durian", area="1", lang="zh")
    assert unknown.status_code == 422 and "没有“durian”这个品种" in unknown.get_data(as_text=True)


def test_choosing_another_variety_brings_its_own_defaults(client):
    # the form was filled in for 红阳 (4 × 3); the farmer picks 富士 and presses 计算 without JavaScript
    page = text(planner_html(client, variety="apple-fuji", area="10", unit="mu", row_spacing_m="4",
                             plant_spacing_m="3", shown=f"{HONGYANG}|", pollinizer="kiwi-moshan-4",
                             main_sku=HONGYANG_G1))
    assert "行距 5 米 × 株距 4 米" in page and "可栽 334 株" in page
    assert "每 4 株配 1 株嘎啦系" in page


def test_grades_and_the_pollinizer_can_be_picked(client):
    page = planner_html(client, variety="apple-fuji", area="3", unit="mu", pollinizer="apple-american-no8",
                        main_sku="APL-FUJI-G2", pollinizer_sku="APL-US8-G2", shown="apple-fuji|")
    assert '<option value="APL-FUJI-G2" selected>' in page and '<option value="APL-US8-G2" selected>' in page
    assert '<option value="apple-american-no8" selected>' in page
    # another pollinizer picked: its own default grade, not the grade of the one before
    switched = planner_html(client, variety="apple-fuji", area="3", unit="mu", pollinizer="apple-gala",
                            pollinizer_sku="APL-US8-G2", shown="apple-fuji|")
    assert 'data-sku="APL-GALA-G1"' in switched


def test_one_tap_puts_the_whole_plan_in_the_cart(client):
    response = add_plan_to_cart(client, variety=HONGYANG, area="10", unit="mu")
    assert response.status_code == 302 and response.location.endswith("/cart")
    page = cart(client)
    assert "已把种植规划的 585 株苗木加入购物车。" in page
    assert cart_lines(page) == {HONGYANG_G1: 519, MOSHAN_MALE: 66}


def test_the_plan_is_added_to_what_the_cart_already_holds(client):
    add_to_cart(client, HONGYANG_G1, 100)
    add_plan_to_cart(client, variety=HONGYANG, area="10", unit="mu")
    assert cart_lines(cart(client)) == {HONGYANG_G1: 619, MOSHAN_MALE: 66}


def test_the_cart_is_never_given_more_than_the_stock(app, client):
    set_grade(app, MOSHAN_MALE, stock=50)
    response = add_plan_to_cart(client, variety=HONGYANG, area="10", unit="mu")
    assert response.status_code == 409
    assert "库存不足：规划需要 66 株" in response.get_data(as_text=True)
    assert cart_lines(cart(client)) == {}


def test_adding_needs_the_forms_csrf_token(client):
    response = client.post("/planner/cart", data={"variety": HONGYANG, "area": "10", "unit": "mu"})
    assert response.status_code == 400
    assert cart_lines(cart(client)) == {}


def test_adding_works_the_plan_out_again_and_refuses_bad_input(client):
    response = add_plan_to_cart(client, variety=HONGYANG, area="-5", unit="mu", page=f"/v/{HONGYANG}")  # edited by hand
    assert response.status_code == 422 and "面积须大于 0 且不超过 10000 亩" in response.get_data(as_text=True)
    assert cart_lines(cart(client)) == {}
