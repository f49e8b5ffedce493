"""A customer on a phone buys 8518 walnut seedlings from the home page to the order page (headless Chromium)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, open_context

pytestmark = pytest.mark.browser

SKU = "WAL-8518-G1"  # 8518 一级实生苗, ¥5.00 a plant
SCREENSHOT = "/tmp/checkout.png"


def open_variety_from_home(page, category: str, variety: str) -> None:
    """Home page → the category's card → the variety's row."""
    page.goto("/")
    page.locator("ul.categories a", has_text=category).click()
    expect(page.locator("h1")).to_contain_text(category)
    page.locator("ul.list a", has_text=variety).click()
    expect(page.locator("h1")).to_contain_text(variety)


def add_to_cart(page, sku: str, plants: int) -> None:
    """Type a quantity under the grade and press 加入购物车; the cart opens."""
    grade = page.locator(f"li.grade#{sku}")
    grade.locator("input[name=quantity]").fill(str(plants))
    grade.get_by_role("button", name="加入购物车").click()
    page.wait_for_url(re.compile(r"/cart$"))


def choose_shipping(page, province: str, method: str) -> None:
    """Pick the destination and the method in the cart; each change re-prices the cart."""
    for select, label in (("#province", province), ("#method", method)):
        with page.expect_navigation():
            page.locator(select).select_option(label=label)
    expect(page.locator("#province")).to_have_value(province)


def plants_in_cart(page, sku: str) -> str:
    return page.locator(f"input[name='qty-{sku}']").input_value()


def hints(page) -> list[str]:
    return [h.strip() for h in page.locator("p.hint").all_inner_texts()]


def pick_address(page, province: str, city: str, district: str) -> None:
    """The city and district selects are filled by the page's script from /checkout/regions/<province>."""
    page.locator("#province").select_option("北京市")  # away and back, so the script must refill the cities
    expect(page.locator("#city option", has_text="临沂市")).to_have_count(0)
    page.locator("#province").select_option(province)
    expect(page.locator("#city option", has_text=city)).to_have_count(1)
    expect(page.locator("#district option")).to_have_count(1)  # only "—" until a city is chosen
    page.locator("#city").select_option(city)
    expect(page.locator("#district option", has_text=district)).to_have_count(1)
    page.locator("#district").select_option(district)


def test_phone_buyer_orders_8518_from_home_page_to_order_page(browser, live_server):
    context = open_context(browser, live_server, PHONE)
    page = context.new_page()
    open_variety_from_home(page, "核桃", "8518")
    add_to_cart(page, SKU, 100)
    choose_shipping(page, "山东省", "邮寄")

    assert plants_in_cart(page, SKU) == "100"
    expect(page.locator("#subtotal")).to_have_text("¥500.00")
    assert hints(page) == ["还差 ¥500.00 免邮", "再加 900 株享批量7折"]

    # The cart lives in a 30-day cookie: a browser opened again with the saved profile still has it.
    saved = context.storage_state()
    context.close()
    context = open_context(browser, live_server, PHONE, storage_state=saved)
    page = context.new_page()
    open_variety_from_home(page, "核桃", "8518")
    add_to_cart(page, SKU, 20)
    assert plants_in_cart(page, SKU) == "120"
    expect(page.locator("#province")).to_have_value("山东省")
    expect(page.locator("#subtotal")).to_have_text("¥600.00")
    assert hints(page) == ["还差 ¥400.00 免邮", "再加 880 株享批量7折"]
    shipping = page.locator("#shipping").inner_text()
    assert re.fullmatch(r"¥\d+\.\d\d", shipping) and shipping != "¥0.00", shipping
    cart_total = page.locator("#total").inner_text()
    assert float(cart_total[1:].replace(",", "")) == pytest.approx(600 + float(shipping[1:]))

    page.locator("#to-checkout").click()
    page.wait_for_url(re.compile(r"/checkout$"))
    expect(page.locator("#checkout-total")).to_have_text(cart_total)
    page.locator("#name").fill("王小明")
    page.locator("#phone").fill("13800000000")
    pick_address(page, "山东省", "临沂市", "平邑县")
    page.locator("#address").fill("地方镇九间棚村 18 号")
    page.locator("input[name=method][value=post]").check()
    page.locator("input[name=payment_method][value=bank_transfer]").check()
    page.locator("#accept_contract").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the checkout scrolls sideways on a phone"
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header at the top, not over the summary
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.locator("#place-order").click()
    page.wait_for_url(re.compile(r"/orders/[A-Z0-9-]+$"))
    number = page.locator("#order-number").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{8,}", number), number
    assert page.url.endswith(f"/orders/{number}")
    expect(page.locator("#order-status")).to_have_attribute("data-status", "pending_payment")
    expect(page.locator("#order-status")).to_have_text("待付款")
    expect(page.locator("#order-total")).to_have_text(cart_total)
    transfer = page.locator("#bank-transfer")
    expect(transfer).to_contain_text(number)
    expect(transfer.locator("b.total")).to_have_text(cart_total)
    expect(page.locator("main")).to_contain_text("山东省临沂市平邑县地方镇九间棚村 18 号")

    # The cart was emptied by the order.
    page.goto("/cart")
    expect(page.locator("main")).to_contain_text("购物车是空的")
    context.close()
