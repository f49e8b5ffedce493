"""A farmer on a phone plans 10 亩 of 红阳 kiwi at the default spacing and gets a cart with male plants at 1:8."""

from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import expect

from tests.actions import HONGYANG_G1, MOSHAN_MALE
from tests.browser.conftest import PHONE, open_context

pytestmark = pytest.mark.browser


def open_hongyang_from_home(page) -> None:
    """Home page → 猕猴桃 → 红阳."""
    page.goto("/")
    page.locator("ul.categories a", has_text="猕猴桃").click()
    page.locator("ul.list a", has_text="红阳").click()
    expect(page.locator("h1")).to_contain_text("红阳")


def test_ten_mu_of_hongyang_becomes_a_cart_with_male_plants_at_one_to_eight(browser, live_server):
    context = open_context(browser, live_server, PHONE)
    page = context.new_page()
    open_hongyang_from_home(page)
    page.locator("#planner-link").click()
    page.wait_for_url(re.compile(r"/planner\?variety=kiwi-hongyang$"))

    # The defaults are filled in for the variety; another variety brings its own, and back again.
    expect(page.locator("#variety")).to_have_value("kiwi-hongyang")
    expect(page.locator("#row_spacing_m")).to_have_value("4")
    expect(page.locator("#plant_spacing_m")).to_have_value("3")
    expect(page.locator("#buffer_percent")).to_have_value("5")
    with page.expect_navigation():
        page.locator("#variety").select_option("apple-fuji")
    expect(page.locator("#row_spacing_m")).to_have_value("5")
    expect(page.locator("#rootstock")).to_be_visible()  # apples: standard or M26 dwarf
    with page.expect_navigation():
        page.locator("#variety").select_option("kiwi-hongyang")
    expect(page.locator("#row_spacing_m")).to_have_value("4")
    expect(page.locator("#rootstock")).to_have_count(0)

    page.locator("#area").fill("10")
    expect(page.locator("input[name=unit][value=mu]")).to_be_checked()
    page.locator("#calculate").click()
    words = page.locator("#plan-words")
    expect(words).to_contain_text("可栽 556 株")
    expect(words).to_contain_text("每 8 株配 1 株磨山4号")
    expect(words).to_contain_text("共需订购 585 株")
    expect(page.locator(f"tr.plan-line[data-sku={HONGYANG_G1}] td.quantity")).to_have_text("519")
    expect(page.locator(f"tr.plan-line[data-sku={MOSHAN_MALE}] td.quantity")).to_have_text("66")
    expect(page.locator("#subtotal")).to_have_text("¥3,444.00")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the planner scrolls sideways on a phone"

    page.locator("#add-all").click()
    page.wait_for_url(re.compile(r"/cart$"))
    expect(page.locator("p.flash")).to_contain_text("585 株")
    females = int(page.locator(f"input[name='qty-{HONGYANG_G1}']").input_value())
    males = int(page.locator(f"input[name='qty-{MOSHAN_MALE}']").input_value())
    positions = math.ceil(10 * 10000 / 15 / (4 * 3))  # 556 (no float boundary here: 555.56)
    planted_males = math.ceil(positions / 9)  # one male to eight females
    assert males == planted_males + math.ceil(planted_males * 5 / 100) == 66
    assert females == (positions - planted_males) + math.ceil((positions - planted_males) * 5 / 100) == 519
    assert males * 8 >= females > (males - 1) * 8 - 8  # 1 : 8, spares included
    expect(page.locator("#subtotal")).to_have_text("¥3,444.00")
    context.close()
