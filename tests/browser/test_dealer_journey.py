"""A dealer on a 360 px phone applies, is approved at the desk, orders a 200-line pasted list at 7折 after
fixing two lines in place, and reorders it (headless Chromium)."""

from __future__ import annotations

import csv
import re
import time

import pytest
from playwright.sync_api import expect

from tests.actions import CATALOG, PLACE, STAFF_PASSWORD, make_user, stored
from tests.browser.conftest import TABLET, open_context

pytestmark = pytest.mark.browser

NARROW_PHONE = {"viewport": {"width": 360, "height": 780}, "device_scale_factor": 2, "is_mobile": True,
                "has_touch": True, "locale": "zh-CN"}
DEALER_PHONE, PASSWORD = "13966660001", "dealer-pass-2"
PLANTS = 10  # of each good grade


def grades() -> list[dict]:
    """catalog.csv's grades with their price and stock."""
    with CATALOG.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["plants"] = sum(int(part.split("=")[1]) for part in row["stock"].split(";") if "=" in part)
    return rows


def the_list() -> tuple[list[str], dict]:
    """200 lines: 195 distinct priced grades in stock, and 5 bad lines of different kinds, in among them."""
    rows = grades()
    priced = [r for r in rows if r["price"] and r["plants"] >= 100 and r["variety"] != "阳光玫瑰"]
    over, bad_qty, good = priced[0], priced[1], priced[2:197]
    asked = next(r for r in rows if not r["price"])
    bad = {
        "not_found": "火星红苹果 嫁接 一级 100",
        "ambiguous": "阳光玫瑰 300",
        "quote_only": f"{asked['sku']} 50",
        "insufficient_stock": f"{over['sku']} {over['plants'] + 1}",
        "bad_quantity": f"{bad_qty['sku']} 三点五株",
    }
    lines = [f"{r['sku']} {PLANTS}" for r in good]
    for position, line in zip((10, 50, 90, 130, 170), bad.values(), strict=True):
        lines.insert(position, line)
    assert len(lines) == 200 and len({line.split()[0] for line in lines}) == 200
    return lines, {"good": good, "bad_qty": bad_qty, "bad": bad}


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360px screen"


def test_a_dealer_applies_is_approved_orders_a_200_line_list_at_the_dealer_price_and_reorders(
        app, browser, live_server):
    lines, parts = the_list()
    dealer = open_context(browser, live_server, NARROW_PHONE)
    page = dealer.new_page()

    # Apply.
    page.goto("/dealer/login")
    page.locator("#apply-link").click()
    page.locator("#company").fill("临沂好果苗木有限公司")
    page.locator("#contact_name").fill("孙经理")
    page.locator("#phone").fill(DEALER_PHONE)
    page.locator("#region").fill("山东临沂")
    page.locator("#credit_code").fill("91371300MA3C123450")
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.locator("#apply").click()
    expect(page.locator("#applied")).to_contain_text("工作人员会审核")

    # Before approval the dealer sees the status and cannot order.
    log_in(page)
    expect(page.locator("#dealer-status")).to_have_attribute("data-status", "pending")
    expect(page.locator("#new-order")).to_have_count(0)

    # Staff approve at the desk.
    make_user(app, "小王", "staff")
    desk = open_context(browser, live_server, TABLET)
    staff = desk.new_page()
    staff.goto("/desk/login")
    staff.locator("#username").fill("小王")
    staff.locator("#password").fill(STAFF_PASSWORD)
    staff.locator("#login").click()
    staff.wait_for_url(re.compile(r"/desk/$"))
    staff.goto("/desk/dealers")
    row = staff.locator("tr", has_text=DEALER_PHONE)
    row.get_by_role("button", name="通过", exact=True).click()
    expect(staff.locator("tr", has_text=DEALER_PHONE)).to_have_attribute("data-status", "approved")
    desk.close()

    # The dealer pastes the list and previews it.
    page.goto("/dealer")
    expect(page.locator("#dealer-status")).to_have_attribute("data-status", "approved")
    page.locator("#new-order").click()
    page.wait_for_url(re.compile(r"/dealer/order$"))
    started = time.monotonic()
    page.locator("#text").fill("\n".join(lines))
    page.locator("#preview-button").click()
    expect(page.locator("#entry-summary")).to_have_attribute("data-ok", "195")
    previewed = time.monotonic() - started
    expect(page.locator("#entry-summary")).to_contain_text("共200行：195行可下单，5行需修改")
    entry = page.locator("tr.entry-line")
    expect(entry).to_have_count(200)
    for status, line in parts["bad"].items():
        shown = page.locator(f'tr.entry-line[data-status="{status}"]')
        expect(shown).to_have_count(1)
        expect(shown.locator("input[name=line]")).to_have_value(line)
    words = {"not_found": "未找到", "ambiguous": "有多个规格", "quote_only": "需询价", "insufficient_stock": "库存不足",
             "bad_quantity": "数量有误"}
    for status, word in words.items():
        expect(page.locator(f'tr.entry-line[data-status="{status}"] .status-word')).to_have_text(word)
    expect(page.locator('tr.entry-line[data-status="insufficient_stock"] .available')).to_be_visible()
    no_sideways_scroll(page)

    # Fix two lines in place: pick a candidate for the ambiguous one, retype the bad quantity.
    fixing = time.monotonic()
    page.locator('tr.entry-line[data-status="ambiguous"] button.pick[data-sku="GRP-SHINE-C1"]').click()
    expect(page.locator("#entry-summary")).to_have_attribute("data-ok", "196")
    bad_qty = parts["bad_qty"]["sku"]
    page.locator('tr.entry-line[data-status="bad_quantity"] input[name=line]').fill(f"{bad_qty} 20")
    page.locator("#recheck").click()
    expect(page.locator("#entry-summary")).to_have_attribute("data-ok", "197")
    expect(page.locator(f'tr.entry-line[data-sku="{bad_qty}"]')).to_have_attribute("data-status", "ok")
    expect(page.locator('tr.entry-line[data-sku="GRP-SHINE-C1"] input[name=line]')).to_have_value("GRP-SHINE-C1 300")
    fixed = time.monotonic() - fixing

    # Shipping, payment, the contract, and the order with the good lines only.
    placing = time.monotonic()
    expect(page.locator("#name")).to_have_value("孙经理")
    page.locator("#province").select_option(PLACE["province"])
    expect(page.locator("#city option", has_text=PLACE["city"])).to_have_count(1)
    page.locator("#city").select_option(PLACE["city"])
    expect(page.locator("#district option", has_text=PLACE["district"])).to_have_count(1)
    page.locator("#district").select_option(PLACE["district"])
    page.locator("#address").fill(PLACE["address"])
    page.locator("#accept_contract").check()
    expect(page.locator("#place-order")).to_contain_text("197")
    page.locator("#place-order").click()
    page.wait_for_url(re.compile(r"/orders/[A-Z0-9-]+$"))
    placed = time.monotonic() - placing
    expect(page.locator("main")).to_contain_text("代理商7折")
    expect(page.locator("#contract-link")).to_be_visible()
    number = page.url.rsplit("/", 1)[1]
    order = stored(app, number)
    assert order.discount_reason == "dealer" and len(order.lines) == 197
    assert order.goods_total_fen == order.subtotal_fen - order.discount_fen
    assert abs(order.goods_total_fen * 10 - order.subtotal_fen * 7) <= 10 * len(order.lines)  # 7折, to the fen
    skus = {line.sku for line in order.lines}
    assert "GRP-SHINE-C1" in skus and bad_qty in skus
    assert not skus & {parts["bad"]["quote_only"].split()[0], parts["bad"]["insufficient_stock"].split()[0]}
    print(f"\n200 lines: paste→preview {previewed:.2f}s, two fixes {fixed:.2f}s, shipping→placed {placed:.2f}s")

    # Reorder from the home page: the same 197 lines, checked again against today's stock.
    page.goto("/dealer")
    page.locator(f'tr.dealer-order[data-number="{number}"] a.reorder').click()
    expect(page.locator("#reorder-note")).to_contain_text(number)
    expect(page.locator("tr.entry-line")).to_have_count(197)
    expect(page.locator("#entry-summary")).to_have_attribute("data-ok", "197")
    no_sideways_scroll(page)
    dealer.close()


def log_in(page) -> None:
    page.goto("/dealer/login")
    page.locator("#phone").fill(DEALER_PHONE)
    page.locator("#password").fill(PASSWORD)
    page.locator("#login").click()
    page.wait_for_url(re.compile(r"/dealer$"))
