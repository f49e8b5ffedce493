"""The storefront as a customer on a phone sees it: home, categories, varieties, search, quote requests."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.actions import csrf_token

CATALOG = Path(__file__).resolve().parents[2] / "catalog.csv"

# The ad's price table: category → (min, max) in yuan per plant, in the ad's order.
AD_RANGES = {
    "葡萄": ("0.50", "3.50"), "核桃": ("3.00", "10.00"), "苹果": ("1.00", "3.00"), "梨": ("0.80", "2.80"),
    "甜柿": ("0.80", "1.80"), "桃": ("0.80", "2.80"), "杏": ("1.00", "4.50"), "李子": ("0.80", "1.50"),
    "樱桃": ("0.80", "7.00"), "板栗": ("0.50", "1.50"), "山楂": ("1.00", "3.00"), "石榴": ("0.80", "3.50"),
    "猕猴桃": ("3.00", "6.00"), "蓝莓": ("5.00", "20.00"), "枣": ("0.80", "3.00"),
}
AD_TERMS = ["200元起邮", "千元以上免邮", "批量及代理商7折", "款到两日内发货", "成活率100%", "品种纯正", "假一赔十"]
GINKGO = "/v/greening-ginkgo"


def catalog_rows() -> list[dict[str, str]]:
    with CATALOG.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def varieties() -> dict[str, dict]:
    """Per variety slug: its names, category and the price range the ad gives it ("询价" if none)."""
    found: dict[str, dict] = {}
    for row in catalog_rows():
        v = found.setdefault(row["variety_slug"], {
            "name": row["variety"], "name_en": row["variety_en"], "category": row["category_slug"],
            "prices": [], "rows": []})
        v["rows"].append(row)
        if row["price"]:
            v["prices"].append(Decimal(row["price"]))
    return found


def shown_range(prices: list[Decimal]) -> str:
    """How the shop shows a price range: ¥0.50–¥3.50, one price alone, or 询价."""
    if not prices:
        return "询价"
    lo, hi = min(prices), max(prices)
    return f"¥{lo:,.2f}" if lo == hi else f"¥{lo:,.2f}–¥{hi:,.2f}"


class Page(HTMLParser):
    """A page's links with their visible text, texts by element id, and asset URLs."""

    def __init__(self, html: str):
        super().__init__()
        self.links: dict[str, str] = {}
        self.by_id: dict[str, str] = {}
        self.assets: list[str] = []
        self.metas: list[dict] = []
        self.html_lang = None
        self._open: list[tuple[str, str | None, list[str]]] = []  # (tag, key, text parts)
        self.feed(html)
        self.text = " ".join(re.sub(r"<[^>]+>", " ", html).split())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "meta":
            self.metas.append(attrs)
        if tag in {"link", "script", "img", "source", "iframe"}:
            self.assets += [v for k, v in attrs.items() if k in {"href", "src", "srcset"} and v]
        if tag == "a" and attrs.get("href"):
            self._open.append(("a", attrs["href"], []))
        elif attrs.get("id"):
            self._open.append((tag, "#" + attrs["id"], []))
        elif tag not in {"meta", "link", "img", "input", "br"}:
            self._open.append((tag, None, []))

    def handle_endtag(self, tag):
        while self._open:
            open_tag, key, parts = self._open.pop()
            text = " ".join(" ".join(parts).split())
            if self._open:
                self._open[-1][2].append(text)
            if key and key.startswith("#"):
                self.by_id[key[1:]] = text
            elif key:  # several links to one place (name, button): their texts together
                self.links[key] = f"{self.links[key]} {text}" if key in self.links else text
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)


def visit(client, url: str, status: int = 200) -> Page:
    """Open a page as a browser would and read it."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


# --- home -----------------------------------------------------------------------------------------------------------


def test_home_shows_the_featured_walnut_and_the_ads_terms(client):
    home = visit(client, "/")
    assert home.html_lang == "zh-CN"
    assert "主推" in home.text and "8518" in home.links["/v/walnut-8518"]
    assert "免嫁接，挂果早，出仁率高，丰产，见效快" in home.text
    featured = [href for href, text in home.links.items() if href.startswith("/v/")]
    assert "/v/walnut-8518" in featured
    for term in AD_TERMS:
        assert term in home.text, term


def test_home_lists_every_category_with_the_ads_exact_price_range(client):
    home = visit(client, "/")
    categories = {row["category_slug"]: row["category"] for row in catalog_rows()}
    shown = {slug: home.links.get(f"/c/{slug}", "") for slug in categories}
    for slug, name in categories.items():
        assert shown[slug].startswith(name), (slug, shown[slug])
        if name in AD_RANGES:
            lo, hi = AD_RANGES[name]
            assert f"¥{lo}–¥{hi}" in shown[slug], (name, shown[slug])
        else:
            assert "询价" in shown[slug], (name, shown[slug])
    assert "¥0.50–¥3.50" in shown["grape"] and "¥5.00–¥20.00" in shown["blueberry"]
    assert sum(1 for name in categories.values() if name in AD_RANGES) == 15


# --- category and variety pages ---------------------------------------------------------------------------------------


def test_every_variety_is_on_its_category_page_with_its_own_price_range(client):
    by_category: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for slug, variety in varieties().items():
        by_category[variety["category"]].append((slug, variety))
    assert sum(len(v) for v in by_category.values()) > 100
    for category, members in by_category.items():
        page = visit(client, f"/c/{category}")
        for slug, variety in members:
            card = page.links.get(f"/v/{slug}")
            assert card is not None, (category, slug)
            assert card.startswith(variety["name"]), card
            assert shown_range(variety["prices"]) in card, (slug, card)


def plants(n: int) -> str:
    """Stock as the Chinese pages show it: 8.2万株 from ten thousand up, else 1,234 株."""
    return f"{n / 10000:g}万株" if n >= 10000 else f"{n:,} 株"


@pytest.mark.parametrize("slug", ["walnut-8518", "grape-shine-muscat", "blueberry-bluecrop", "greening-ginkgo"])
def test_a_variety_page_shows_each_grades_spec_price_and_stock_by_base(client, slug):
    variety = varieties()[slug]
    page = visit(client, f"/v/{slug}")
    assert shown_range(variety["prices"]) in page.text
    for row in variety["rows"]:
        grade = page.by_id[row["sku"]]
        assert row["grade"] in grade
        if row["height_cm"]:
            assert f"苗高≥{row['height_cm']}cm" in grade
        if row["diameter_cm"]:
            assert f"地径≥{Decimal(row['diameter_cm']).normalize()}cm" in grade, grade
        assert row["roots"] in grade and row["standard"] in grade
        assert (f"¥{Decimal(row['price']):,.2f} /株" if row["price"] else "询价") in grade
        stock = dict(part.split("=") for part in row["stock"].split(";"))
        for base in ("平邑", "临沭"):
            n = int(stock.get(base, 0))
            assert f"{base}基地: {plants(n) if n else '暂缺'}" in grade, (base, grade)


def test_a_sold_out_grade_offers_no_cart(app, client):
    from shop.catalog import stock
    from shop.extensions import db

    with app.app_context():
        stock.set_stock("WAL-8518-G1", 0)
        db.session.commit()
    page = client.get("/v/walnut-8518").get_data(as_text=True)
    item = page.split('id="WAL-8518-G1"', 1)[1].split("</li>", 1)[0]
    assert "暂缺" in item and 'name="sku"' not in item
    assert 'value="WAL-8518-G2"' in page


# --- languages ------------------------------------------------------------------------------------------------------


def test_english_is_one_click_away_and_names_things_in_english(client):
    home = visit(client, "/?lang=en")
    assert home.html_lang == "en"
    for row in catalog_rows():
        assert home.links[f"/c/{row['category_slug']}"].startswith(row["category_en"])
    grape = visit(client, "/c/grape")  # the choice is remembered
    assert grape.html_lang == "en" and grape.links["/v/grape-shine-muscat"].startswith("Shine Muscat")
    assert visit(client, "/?lang=zh").html_lang == "zh-CN"


def test_chinese_is_the_default_language(app):
    page = visit(app.test_client(), "/c/grape")
    assert page.html_lang == "zh-CN"
    assert page.links["/v/grape-shine-muscat"].startswith("阳光玫瑰")


# --- search ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ("阳光玫瑰", "/v/grape-shine-muscat"), ("shine muscat", "/v/grape-shine-muscat"),
    ("8518", "/v/walnut-8518"), ("银杏", GINKGO), ("Ginkgo", GINKGO),
])
def test_search_finds_a_variety_by_its_chinese_or_english_name(client, query, expected):
    results = visit(client, f"/search?q={query}")
    assert expected in results.links


def test_search_says_so_when_nothing_matches(client):
    page = visit(client, "/search?q=榴莲")
    assert "没有找到" in page.text and not any(href.startswith("/v/") for href in page.links)
    assert client.get("/search?q=" + "x" * 5000).status_code == 200


# --- not found ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/c/durian", "/v/durian", "/v/durian/quote", "/nowhere"])
def test_an_unknown_page_is_a_friendly_404(client, url):
    response = client.get(url)
    assert response.status_code == 404 and response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "页面不存在" in body and "Traceback" not in body and 'lang="zh-CN"' in body


# --- quote requests ---------------------------------------------------------------------------------------------------


def quote_requests(app) -> list:
    from shop.catalog.models import QuoteRequest
    from shop.extensions import db

    with app.app_context():
        return [(q.variety.slug if q.variety else None, q.name, q.phone, q.quantity, q.message)
                for q in db.session.execute(sa.select(QuoteRequest)).scalars()]


def ask_for_a_quote(client, slug: str, *, token: bool = True, **fields):
    """Fill in the quote form of a 询价 variety and send it."""
    data = {"name": "王师傅", "phone": "13912345678", "quantity": "300", "message": "胸径3-5cm，春季到货"}
    data.update(fields)
    if token:
        data["csrf_token"] = csrf_token(client, f"/v/{slug}/quote")
    return client.post(f"/v/{slug}/quote", data=data)


def test_a_price_on_request_variety_offers_the_quote_form(client):
    page = visit(client, GINKGO)
    assert "询价" in page.text and f"{GINKGO}/quote" in page.links


def test_a_quote_request_is_stored_for_staff(app, client):
    response = ask_for_a_quote(client, "greening-ginkgo")
    assert response.status_code == 302 and response.location.endswith(GINKGO)
    assert quote_requests(app) == [("greening-ginkgo", "王师傅", "13912345678", 300, "胸径3-5cm，春季到货")]
    assert "已收到您的询价" in client.get(GINKGO).get_data(as_text=True)


def test_a_quote_request_without_the_csrf_token_is_refused(app, client):
    response = ask_for_a_quote(client, "greening-ginkgo", token=False)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "页面已过期" in response.get_data(as_text=True)
    assert quote_requests(app) == []


@pytest.mark.parametrize(("fields", "message"), [
    ({"phone": "1391234567"}, "请填写11位手机号"),
    ({"phone": "23912345678"}, "请填写11位手机号"),
    ({"phone": ""}, "请填写手机号"),
    ({"name": "  "}, "请填写姓名"),
    ({"quantity": "0"}, "数量须在 1 到 1亿 株之间"),
    ({"quantity": "100000001"}, "数量须在 1 到 1亿 株之间"),
    ({"quantity": "-5"}, "数量须在 1 到 1亿 株之间"),
    ({"quantity": "三百"}, "数量须为整数株数"),
    ({"quantity": "1.5"}, "数量须为整数株数"),
    ({"quantity": ""}, "请填写数量"),
    ({"quantity": "99999999999999999999999"}, "数量须在 1 到 1亿 株之间"),
])
def test_a_bad_quote_request_is_shown_again_in_chinese_and_not_stored(app, client, fields, message):
    response = ask_for_a_quote(client, "greening-ginkgo", **fields)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body and 'lang="zh-CN"' in body and "Not a valid" not in body
    assert "王师傅" in body or "name" in fields  # what was typed is kept
    assert quote_requests(app) == []


# --- built for a phone, served by the shop itself --------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/c/grape", "/v/walnut-8518", GINKGO + "/quote", "/search?q=桃", "/c/durian"])
def test_pages_fit_a_phone_and_use_only_the_shops_own_assets(client, url):
    response = client.get(url)
    page = Page(response.get_data(as_text=True))
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in page.metas
    assert page.assets, url
    for asset in page.assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
        assert client.get(asset).status_code == 200, asset


def test_control_characters_in_a_quote_request_are_dropped_not_a_server_error(app, client):
    response = ask_for_a_quote(client, "greening-ginkgo", name="王\x01师傅", phone=" 13912345678 ",
                               message="春季\x07到货\r\n胸径3cm")
    assert response.status_code == 302
    assert quote_requests(app) == [("greening-ginkgo", "王师傅", "13912345678", 300, "春季到货\n胸径3cm")]


def test_a_nul_character_in_any_form_is_refused_and_nothing_is_stored(app, client):
    response = ask_for_a_quote(client, "greening-ginkgo", name="王\x00师傅", phone="13912345678")
    assert response.status_code == 400
    assert quote_requests(app) == []
