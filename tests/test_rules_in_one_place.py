"""The ad's numbers (200元起邮, 千元以上免邮, 批量7折, 款到两日内发货) live in the pricing rules and nowhere else (issue 8).

The figures are written once, in shop/pricing.py `Rules` and shop/config.py; code and pages take them from there, so
a change of the rules (say BULK_MIN_PLANTS=500, or 25% off) shows on every page and never next to the old figure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shop import pricing
from tests.actions import csrf_token

ROOT = Path(__file__).resolve().parent.parent
WHERE_THE_RULES_LIVE = {"shop/pricing.py", "shop/config.py"}
GENERATED = ("shop/translations/",)
# The ad's figures as code or pages might spell them out; numbers only as whole numbers (not 1000000 or 200000).
WHOLE = r"(?<![\d.,]){}(?![.,]?\d)"  # the number alone: not part of 1200元, 10000株 or 100000.5
FIGURES = re.compile("|".join([
    WHOLE.format("7") + "折", WHOLE.format("30") + "%", "满" + WHOLE.format("1000"), WHOLE.format("1000") + "株",
    WHOLE.format("200") + "元", WHOLE.format("1000") + "元", "千元", "两日", r"(?i:\btwo days)",
    WHOLE.format("2") + r" (?i:days)", re.escape("timedelta(days=2)"), WHOLE.format("100000"), WHOLE.format("20000"),
]))


def sources() -> list[Path]:
    """Python under shop/, the templates and the static files, less the rules' own home and generated files."""
    found = [*ROOT.glob("shop/**/*.py"), *ROOT.glob("templates/**/*.html"),
             *(p for p in ROOT.glob("static/**/*") if p.is_file())]
    kept = []
    for path in found:
        name = path.relative_to(ROOT).as_posix()
        if name not in WHERE_THE_RULES_LIVE and not name.startswith(GENERATED):
            kept.append(path)
    return sorted(kept)


def hits() -> list[str]:
    """file:line: text for each figure of the ad written outside the rules."""
    found = []
    for path in sources():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for match in FIGURES.finditer(line):
                found.append(f"{path.relative_to(ROOT).as_posix()}:{number}: {match.group(0)!r} in {line.strip()[:120]}")
    return found


def test_the_figure_pattern_finds_what_it_should_and_only_that():
    for line in ("批量7折", "优惠30%%", "一单满1000株", "200元起邮", "千元以上免邮", "款到两日内发货",
                 "dispatch within 2 days", "Two days", "timedelta(days=2)", "fen = 100000", "(20000, 1)"):
        assert FIGURES.search(line), line
    for line in ("1000000", "200000", "10000", "120000", "2000", "¥1,000.00", "100000.5", "7.5折", "17折", "12 days",
                 "130%", "满10000株", "1200元", "2.5 days"):
        assert not FIGURES.search(line), line


def test_the_ads_figures_are_written_only_in_the_rules():
    assert len(sources()) > 20  # the walk really read the code, the templates and the stylesheet
    found = hits()
    assert not found, f"{len(found)} figures of the ad outside shop/pricing.py and shop/config.py:\n" + "\n".join(found)


# --- the pages follow the configured rules ------------------------------------------------------------------------

WALNUT = "WAL-8518-G1"  # 8518 一级实生苗, ¥5.00
GRAPE = "GRP-MRZ-C2"  # 美人指 二级扦插苗, ¥1.00


def add(client, sku: str, plants: int) -> None:
    token = csrf_token(client, "/v/walnut-8518")
    response = client.post("/cart/add", data={"csrf_token": token, "sku": sku, "quantity": str(plants)})
    assert response.status_code == 302, response.get_data(as_text=True)


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def hints(page: str) -> list[str]:
    return re.findall(r"再加 (\d+) 株享批量[\d.]+折", page)


@pytest.fixture(params=[500, 1000], ids=["500 plants", "default 1000"])
def bulk_min(request):
    return request.param


@pytest.fixture
def app_overrides(bulk_min):
    return {} if bulk_min == 1000 else {"BULK_MIN_PLANTS": bulk_min}


def test_home_page_states_the_configured_bulk_threshold(client, bulk_min):
    other = 1500 - bulk_min
    chinese = text_of(client, "/")
    assert f"一单满{bulk_min}株或代理商价格优惠30%" in chinese
    assert not re.search(rf"(?<![\d,.]){other}株", chinese)  # not the other threshold (a stock of 207,500 is fine)
    english = text_of(client, "/?lang=en")
    assert f"30% off orders of {bulk_min:,} plants or more" in english
    assert not re.search(rf"(?<![\d,.]){other:,} plants", english)


def test_cart_hint_and_discount_row_follow_the_configured_threshold(client, bulk_min):
    other = 1500 - bulk_min
    add(client, WALNUT, 100)
    small = text_of(client, "/cart")
    assert hints(small) == [str(bulk_min - 100)]  # 再加 400 / 900 株享批量7折
    assert "批量7折" in small and "一单满" not in small  # no discount yet, so no discount reason

    add(client, GRAPE, bulk_min - 100)  # now exactly at the threshold
    bulk = text_of(client, "/cart")
    assert f"一单满{bulk_min}株，批量7折" in bulk
    assert hints(bulk) == [] and f"满{other}株" not in bulk
    english = text_of(client, "/cart?lang=en")
    assert f"30% off for {bulk_min:,} plants or more in one order" in english
    assert f"{other:,} plants" not in english


# --- a different discount: the label follows the percentage -------------------------------------------------------


def test_discount_label_says_the_percentage_as_a_chinese_discount_and_in_english():
    assert pricing.Rules().discount_label("zh") == "7折"
    assert pricing.Rules(discount_percent=25).discount_label("zh") == "7.5折"
    assert pricing.Rules(discount_percent=25).discount_label("en") == "25% off"


def test_ad_amounts_are_written_as_the_ad_writes_them():
    assert pricing.ad_yuan(20000) == "200元" and pricing.ad_yuan(20000, "en") == "¥200"
    assert pricing.ad_yuan(100000) == "1000元" and pricing.ad_yuan(100000, in_words=True) == "千元"
    assert pricing.ad_yuan(100000, "en", in_words=True) == "¥1,000"
    assert pricing.ad_yuan(150000, in_words=True) == "1500元" and pricing.ad_yuan(20050) == "200.50元"


@pytest.mark.parametrize("bulk_min", [1000], ids=["default"])
def test_pages_show_a_quarter_off_as_7_5_zhe_when_the_rules_say_25_percent(app, client, monkeypatch, bulk_min):
    from shop.orders import service

    monkeypatch.setattr(service, "rules", lambda: pricing.Rules(bulk_min_plants=bulk_min, discount_percent=25))
    home = text_of(client, "/")
    assert "批量及代理商7.5折" in home and "一单满1000株或代理商价格优惠25%" in home
    assert "7折" not in home.replace("7.5折", "") and "30%" not in home
    assert "25% off for bulk and dealers" in text_of(client, "/?lang=en")

    add(client, WALNUT, 1000)
    cart = text_of(client, "/cart?lang=zh")
    assert "一单满1000株，批量7.5折" in cart and "7折" not in cart.replace("7.5折", "")
    assert "−¥1,250.00" in cart  # the discount itself is the rules' 25% of ¥5,000.00
