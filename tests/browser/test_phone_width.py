"""No storefront page is wider than a 360 px phone, in Chinese or in English (issue 8).

Every page a buyer sees, from the home page to the order page, is opened in headless Chromium at 360 × 740 with a
cart of several lines (a long variety name, a long SKU, a bulk line so the discount row shows), and nothing on it
may reach past the right edge of the screen: the page must not scroll sideways and no element may be cut off.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.actions import STAFF_PASSWORD
from tests.browser.conftest import open_context
from tests.seasons.season_files import todays_windows

pytestmark = pytest.mark.browser


@pytest.fixture
def app_overrides(tmp_path):
    """山东 (where the cart ships) out of season today: the cart and checkout show the window and the choice."""
    return {"SHIP_WINDOWS_FILE": todays_windows(tmp_path / "ship_windows.csv")}

WIDTH = 360
NARROW_PHONE = {"viewport": {"width": WIDTH, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
                "has_touch": True, "locale": "zh-CN"}
# (SKU, plants): 2,000 of 8518 make the order bulk (≥ 1000 plants) and its amounts five digits; 牡丹花石榴 has
# the longest name in English ("Peony-flowered Pomegranate"), PER-TIANHUANG-G1 is one of the longest SKUs.
CART = [("WAL-8518-G1", 2000), ("POM-MDH-C1", 120), ("CHR-ZSH-FZ", 35), ("PER-TIANHUANG-G1", 15)]
PLACE = {"province": "山东省", "city": "临沂市", "district": "平邑县", "address": "地方镇九间棚村 18 号"}

# Elements whose right edge is past the screen, innermost first: the causes before the boxes that hold them.
OVERFLOWING = """(width) => {
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const right = box.right + window.scrollX;
    if (right <= width + 0.5) continue;
    const text = (el.innerText || el.value || "").replace(/\\s+/g, " ").trim().slice(0, 60);
    const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    found.push({depth: el.querySelectorAll("*").length, what: `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls}> right=${Math.round(right)}px "${text}"`});
  }
  return found.sort((a, b) => a.depth - b.depth).map(f => f.what);
}"""


def variety_slugs(app) -> dict[str, str]:
    """SKU → its variety's slug, from the catalog the shop loaded (so the test follows catalog.csv)."""
    import sqlalchemy as sa

    from shop.catalog.models import Grade, Variety
    from shop.extensions import db

    with app.app_context():
        rows = db.session.execute(sa.select(Grade.sku, Variety.slug).join(Variety)).all()
        db.session.remove()
    return dict(rows)


def add_to_cart(page, slug: str, sku: str, plants: int) -> None:
    """On the variety's page, type the plants under the grade and add them; the cart opens."""
    page.goto(f"/v/{slug}")
    grade = page.locator(f"li.grade#{sku}")
    grade.locator("input[name=quantity]").fill(str(plants))
    grade.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/cart$"))


def choose_shipping(page, province: str, method: str) -> None:
    """Pick the destination and the method in the cart (each change re-prices the cart)."""
    for select, value in (("#province", province), ("#method", method)):
        with page.expect_navigation():
            page.locator(select).select_option(value=value)


def place_order(page, skus: list[tuple[str, int]], lang: str) -> str:
    """Order by bank transfer through the JSON API; the path of the order page the buyer is sent to."""
    body = {"items": [{"sku": sku, "quantity": n} for sku, n in skus],
            "shipping": {"method": "post", **PLACE}, "customer": {"name": "欧阳小明", "phone": "13800000000"},
            "payment_method": "bank_transfer", "accept_contract": True}
    response = page.request.post(f"/api/v1/orders?lang={lang}", data=body)
    assert response.status == 201, response.text()
    order = response.json()
    token = parse_qs(urlparse(order["contract_url"]).query)["t"][0]
    return f"/orders/{order['number']}?t={token}"


def measure(page, lang: str) -> tuple[int, list[str]]:
    """The document's width and what sticks out past the screen, after checking the page is in lang."""
    expect(page.locator("html")).to_have_attribute("lang", "en" if lang == "en" else "zh-CN")
    page.evaluate("document.fonts.ready")
    return page.evaluate("document.documentElement.scrollWidth"), page.evaluate(OVERFLOWING, WIDTH)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_storefront_page_is_wider_than_a_360px_phone(browser, live_server, app, lang):
    slugs = variety_slugs(app)
    context = open_context(browser, live_server, NARROW_PHONE)
    page = context.new_page()
    too_wide: list[str] = []

    def check(name: str, path: str | None = None) -> None:
        if path is not None:
            page.goto(path)
        width, overflowing = measure(page, lang)
        print(f"{lang} {name}: scrollWidth {width}px")
        if width > WIDTH or overflowing:
            too_wide.append(f"{name} ({page.url}): document {width}px wide; past {WIDTH}px: "
                            + "; ".join(overflowing[:6]))

    check("home", "/?lang=en" if lang == "en" else "/")  # English by the site's ?lang=, then remembered
    check("category", "/c/walnut")
    check("variety 8518", f"/v/{slugs['WAL-8518-G1']}")
    check("search results", "/search?q=" + ("walnut" if lang == "en" else "核桃"))
    assert page.locator("main li.card").count() > 1, "the search should list several varieties"
    check("search for one long word", "/search?q=" + "Pomegranate" * 4)  # shown in the heading, unbroken
    check("planner", "/planner?variety=kiwi-hongyang&area=10&unit=mu")  # a plan with its pollinizer line
    check("planner with rootstock and pollinizer choices", "/planner?variety=apple-fuji&area=10&unit=mu&rootstock=M26")
    check("planner with an error", "/planner?variety=kiwi-hongyang&area=0&unit=mu")

    for sku, plants in CART:
        add_to_cart(page, slugs[sku], sku, plants)
    choose_shipping(page, "山东省", "post")
    expect(page.locator("tr.line")).to_have_count(len(CART))
    expect(page.locator("#discount")).to_have_text(re.compile(r"^−¥"))  # the bulk discount row
    check("cart")

    expect(page.locator("#ship-window")).to_have_attribute("data-open", "false")
    check("checkout", "/checkout")
    expect(page.locator("#place-order")).to_be_visible()
    expect(page.locator("#timing-reserve")).to_be_checked()
    expect(page.locator("#out-of-season-clause")).to_be_visible()

    check("order", place_order(page, CART, lang))
    expect(page.locator("#order-number")).not_to_be_empty()
    expect(page.locator("#order-season")).to_be_visible()  # reserved for the window's opening
    check("order finder", "/orders/find")
    context.close()

    assert not too_wide, "pages wider than a 360 px phone:\n" + "\n".join(too_wide)


LONG_COMPANY = "临沂市兰山区示例果树苗木种植专业合作社经销部"  # a long name, in the table, the chart and the PDF


def credit_accounts(app) -> int:
    """A dealer with a long name near the limit and 12 days overdue, a second one below it; the first's id."""
    from datetime import UTC, datetime, timedelta

    from tests.actions import (
        SHINE_C1,
        dispatch_on_account,
        grant_credit,
        make_dealer,
        make_user,
        order_on_account,
    )
    from tests.actions.records import set_order

    first = make_dealer(app, "13900000061", "dealer-pass-6", company=LONG_COMPANY)
    make_dealer(app, "13900000062", "dealer-pass-6", company="沂南示例果苗站")
    placed = {}
    for phone, limit, plants in (("13900000061", "1000000.00", (100_000, 4_000)),
                                 ("13900000062", "20000.00", (9_000, 200))):  # 80.5% of the limit
        grant_credit(app, phone, limit)
        token = app.test_cli_runner().invoke(args=["dealers", "token", phone]).output.strip()
        for n in plants:
            response = order_on_account(app.test_client(), token, (SHINE_C1, n))
            assert response.status_code == 201, response.get_json()
            placed[phone] = response.get_json()["number"]
    number = placed["13900000061"]
    at = datetime.now(UTC) - timedelta(days=42, hours=1)
    set_order(app, number, created_at=at - timedelta(hours=1))
    dispatch_on_account(app, number, at=at)
    make_user(app, "小李", "admin")  # an admin: the most links in the desk's header, and the credit form
    return first


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_credit_pages_fit_a_360px_phone(browser, live_server, app, lang):
    dealer_id = credit_accounts(app)
    too_wide: list[str] = []
    suffix = "?lang=en" if lang == "en" else "?lang=zh"

    def check(page, name: str, path: str) -> None:
        page.goto(path + suffix)
        width, overflowing = measure(page, lang)
        print(f"{lang} {name}: scrollWidth {width}px")
        if width > WIDTH or overflowing:
            too_wide.append(f"{name} ({page.url}): document {width}px wide; past {WIDTH}px: "
                            + "; ".join(overflowing[:6]))

    desk = open_context(browser, live_server, NARROW_PHONE)
    page = desk.new_page()
    page.goto("/desk/login" + suffix)
    page.locator("#username").fill("小李")
    page.locator("#password").fill(STAFF_PASSWORD)
    with page.expect_navigation():
        page.locator("#login").click()
    check(page, "desk credit", "/desk/credit")
    expect(page.locator("#credit-chart rect.bar.outstanding")).to_have_count(2)
    expect(page.locator("tr.credit-line.warning")).to_have_count(2)
    check(page, "desk dealer", f"/desk/dealers/{dealer_id}")
    desk.close()

    dealer = open_context(browser, live_server, NARROW_PHONE)
    page = dealer.new_page()
    page.goto("/dealer/login" + suffix)
    page.locator("#phone").fill("13900000061")
    page.locator("#password").fill("dealer-pass-6")
    with page.expect_navigation():
        page.locator("#login").click()
    check(page, "dealer home", "/dealer")
    expect(page.locator(".credit-warning")).to_be_visible()
    dealer.close()

    assert not too_wide, "pages wider than a 360 px phone:\n" + "\n".join(too_wide)


def test_the_desks_dispatch_pages_fit_a_360px_phone(browser, live_server, app):
    """Staff batch-dispatch three orders under one certificate on a phone; the pages it takes stay within 360 px."""
    from datetime import datetime, timedelta

    from tests.actions import SHANGHAI, STAFF_PASSWORD, buy, pay_by_transfer, staff_client

    desk_client, buyer = staff_client(app), app.test_client()
    reserved = buy(buyer, ("WAL-8518-G1", 99))  # out of season: held for its window, listed apart
    orders = [buy(buyer, ("WAL-8518-G1", 100 + n), timing="now") for n in range(3)]  # these may leave today
    for order in (reserved, *orders):
        assert pay_by_transfer(desk_client, order).status_code == 303
    context = open_context(browser, live_server, NARROW_PHONE)
    page = context.new_page()
    page.goto("/desk/login")
    page.locator("#username").fill("小李")
    page.locator("#password").fill(STAFF_PASSWORD)
    page.locator("#login").click()
    page.wait_for_url(re.compile(r"/desk/$"))
    too_wide: list[str] = []

    def check(name: str) -> None:
        width, overflowing = measure(page, "zh")
        if width > WIDTH or overflowing:
            too_wide.append(f"{name} ({page.url}): {width}px; " + "; ".join(overflowing[:6]))

    expect(page.locator("#queue-reserved")).to_contain_text(reserved["number"])  # 山东 opens in over a week
    check("desk")
    page.goto(f"/desk/orders/{orders[0]['number']}")
    expect(page.locator("#cert_issued_on")).to_be_visible()
    check("desk order")
    page.goto("/desk/dispatch/batch")
    form = page.locator("#batch-dispatch-form")
    form.locator("#carrier").fill("临沂通达物流")
    form.locator("#vehicle").fill("鲁Q·A1234")
    form.locator("#quarantine_cert").fill("鲁检(临)2026-1201-07")
    form.locator("#cert_issued_on").fill((datetime.now(SHANGHAI).date() - timedelta(days=1)).isoformat())
    for order in orders:
        form.locator(f"input[name=number][value='{order['number']}']").check()
    check("batch dispatch")
    form.locator("#dispatch-together").click()
    page.wait_for_url(re.compile(r"/desk/certificates"))
    expect(page.locator("p.flash")).to_contain_text("已发货 3 个订单")
    for order in orders:
        expect(page.locator("section.certificate")).to_contain_text(order["number"])
    check("certificates")
    context.close()
    assert not too_wide, "desk pages wider than a 360 px phone:\n" + "\n".join(too_wide)
