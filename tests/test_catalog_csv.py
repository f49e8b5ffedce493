"""Checks catalog.csv against the nursery's advertisement (篇11) and SPEC "Catalog", reading the file directly."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

CATALOG = Path(__file__).resolve().parent.parent / "catalog.csv"

COLUMNS = [
    "category_slug", "category", "category_en", "variety_slug", "variety", "variety_en", "featured", "sku",
    "grade", "grade_en", "propagation", "height_cm", "diameter_cm", "roots", "standard", "price", "weight_g",
    "stock", "note",
]
BASES = {"平邑", "临沭"}
PROPAGATION = {"嫁接", "扦插", "实生", "组培", "分株", "压条"}

# Sold beside the ad's varieties because the planting planner (issue 14) needs them: the ad's kiwis are all female
# cultivars, and a kiwi orchard needs male plants (磨山4号, a male Actinidia chinensis) to set any fruit.
NOT_IN_AD = {"猕猴桃": ["磨山4号"]}
# The ad's price table, in the ad's order, OCR slips mended (岡黄→圆黄, 巾油五号→中油五号, S04→SO4).
PRICED = {
    "葡萄": (("0.50", "3.50"), [
        "阳光玫瑰", "黑色甜菜", "红芭拉多", "黑色拉多", "美人指", "无核白鸡心", "早生内玛斯", "夏黑无核", "京亚",
        "茉莉香", "巨玫瑰", "醉金香", "巨峰", "魏可", "弗雷无核", "克伦生", "金田美指", "SO4", "5BB", "贝达",
    ]),
    "核桃": (("3.00", "10.00"), [
        "美国核桃", "伊朗红", "清香", "香玲", "8518", "大穗垂铃", "新疆薄壳", "纸皮核桃", "鲁光", "丰辉",
    ]),
    "苹果": (("1.00", "3.00"), ["美国8号", "首尔红", "富士系", "嘎啦系", "秦阳", "柱状苹果", "M26"]),
    "梨": (("0.80", "2.80"), [
        "圆黄", "爱宕", "脆冠", "大果水晶", "黄金", "丰水", "绿宝石", "天皇", "晚秋黄", "杜梨", "柱状梨",
    ]),
    "甜柿": (("0.80", "1.80"), ["富有", "新秋", "牛心", "阳丰", "无核甜柿", "次郎", "兴津", "磨盘柿"]),
    "桃": (("0.80", "2.80"), ["梦富士", "新川中岛", "富士香桃", "中油五号", "齐鲁巨红", "映霜红", "永莲蜜"]),
    "杏": (("1.00", "4.50"), ["凯特", "金太阳", "油杏王", "香满园"]),
    "李子": (("0.80", "1.50"), ["秋姬", "黑宝石", "安哥诺", "井上", "黄香槟"]),
    "樱桃": (("0.80", "7.00"), ["女王", "友谊", "红灯", "先锋", "黑珍珠", "朱砂红"]),
    "板栗": (("0.50", "1.50"), ["沂蒙短枝", "金丰", "九家种", "青毛软刺", "大红袍"]),
    "山楂": (("1.00", "3.00"), ["大金星", "歪把红", "红棉球", "大五棱"]),
    "石榴": (("0.80", "3.50"), ["突尼斯软籽", "中农红软籽", "泰山红", "蒙阳红", "牡丹花石榴"]),
    "猕猴桃": (("3.00", "6.00"), ["红阳", "红华", "红美", "新美", *NOT_IN_AD["猕猴桃"]]),
    "蓝莓": (("5.00", "20.00"), ["蓝丰", "北陆", "喜来", "达柔"]),
    "枣": (("0.80", "3.00"), ["沾化冬枣", "雪枣", "中华梨枣", "沂蒙大枣", "金丝四号"]),
}
# 询价 (price on request): no price in the ad.
QUOTE_ONLY = {
    "绿化苗木": [
        "侧柏", "木槿花", "红叶石榴", "国槐", "木瓜", "银杏", "日本樱花", "西府海棠", "红宝石海棠", "长寿果",
        "绚丽海棠", "垂丝海棠", "粉红屋顶海棠",
    ],
    "金银花": [],
    "甜茶": [],
}
CATEGORY_ORDER = list(PRICED) + list(QUOTE_ONLY)
# 特供 figures: category totals over all grades and both bases.
SPECIAL_SUPPLY = {
    "核桃": 1_000_000, "葡萄": 8_000_000, "甜柿": 2_000_000, "枣": 1_000_000, "梨": 1_200_000,
    "苹果": 1_600_000, "石榴": 3_200_000, "板栗": 2_000_000, "金银花": 20_000_000, "甜茶": 6_000_000,
}
OCR_SLIPS = ["岡黄", "巾油五号", "S04", "R本樱花", "丨20万"]
PERSONAL = [re.compile(r"1[3-9]\d{9}"), re.compile(r"\d{4} \d{4} \d{4}"), re.compile("凌雷")]


def _read() -> tuple[list[str], list[dict[str, str]]]:
    raw = CATALOG.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "catalog.csv must have no BOM"
    with CATALOG.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


HEADER, ROWS = _read()


def _stock(value: str) -> dict[str, int]:
    result = {}
    for part in value.split(";"):
        name, sep, qty = part.partition("=")
        assert sep == "=" and re.fullmatch(r"\d+", qty), f"bad stock part {part!r}"
        assert name in BASES, f"unknown base {name!r}"
        assert name not in result, f"base {name} twice"
        result[name] = int(qty)
    return result


def _by_category() -> dict[str, list[dict[str, str]]]:
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in ROWS:
        groups[row["category"]].append(row)
    return groups


def test_header():
    assert HEADER == COLUMNS
    assert all(None not in row and all(v is not None for v in row.values()) for row in ROWS)


def test_categories_in_ad_order():
    seen: list[str] = []
    for row in ROWS:
        if not seen or seen[-1] != row["category"]:
            assert row["category"] not in seen, f"category {row['category']} is split"
            seen.append(row["category"])
    assert seen == CATEGORY_ORDER


def test_unique_skus_and_slugs():
    skus = [row["sku"] for row in ROWS]
    assert len(skus) == len(set(skus))
    for sku in skus:
        assert re.fullmatch(r"[A-Z0-9-]{3,40}", sku), sku
    varieties: dict[str, tuple] = {}
    categories: dict[str, tuple] = {}
    for row in ROWS:
        for slug in (row["category_slug"], row["variety_slug"]):
            assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug), slug
        cat = (row["category"], row["category_en"])
        assert categories.setdefault(row["category_slug"], cat) == cat
        var = (row["category_slug"], row["variety"], row["variety_en"], row["featured"], row["note"])
        assert varieties.setdefault(row["variety_slug"], var) == var, f"{row['variety_slug']} differs between rows"
    # one slug per category name and per (category, variety name)
    assert len({v for v in categories.values()}) == len(categories)
    assert len({(v[0], v[1]) for v in varieties.values()}) == len(varieties)


@pytest.mark.parametrize("category", list(PRICED) + list(QUOTE_ONLY))
def test_every_ad_variety_present(category):
    groups = _by_category()
    assert category in groups
    names = list(dict.fromkeys(row["variety"] for row in groups[category]))
    expected = PRICED[category][1] if category in PRICED else QUOTE_ONLY[category]
    if expected:
        assert names == expected


@pytest.mark.parametrize("category", list(PRICED))
def test_category_price_range(category):
    (low, high), _ = PRICED[category]
    prices = [Decimal(row["price"]) for row in _by_category()[category]]
    assert min(prices) == Decimal(low)
    assert max(prices) == Decimal(high)


def test_prices_two_decimals():
    for row in ROWS:
        if row["category"] in QUOTE_ONLY:
            assert row["price"] == "", f"{row['sku']} is 询价 and must have no price"
            continue
        assert re.fullmatch(r"\d+\.\d{2}", row["price"]), row["sku"]
        assert Decimal(row["price"]) > 0


def test_grade_one_dearer_and_bigger_than_grade_two():
    by_variety: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for row in ROWS:
        by_variety[row["variety_slug"]][row["grade"]] = row
    pairs = 0
    for grades in by_variety.values():
        for first, second in (("一级嫁接苗", "二级嫁接苗"), ("一级扦插苗", "二级扦插苗"), ("一级实生苗", "二级实生苗")):
            if first in grades and second in grades:
                a, b = grades[first], grades[second]
                pairs += 1
                assert int(a["height_cm"]) > int(b["height_cm"])
                assert Decimal(a["diameter_cm"]) > Decimal(b["diameter_cm"])
                if a["price"]:
                    assert Decimal(a["price"]) > Decimal(b["price"])
    assert pairs > 50


def test_stock_format_and_totals():
    totals: dict[str, int] = defaultdict(int)
    sold_out = []
    for row in ROWS:
        stock = _stock(row["stock"])
        assert stock, row["sku"]
        if sum(stock.values()) == 0:
            sold_out.append(row)
        totals[row["category"]] += sum(stock.values())
    for category, total in SPECIAL_SUPPLY.items():
        assert totals[category] == total, category
    assert len(sold_out) <= 1
    assert all(row["variety"] != "8518" for row in sold_out)


def test_featured_is_8518_only():
    featured = {row["variety"] for row in ROWS if row["featured"] == "1"}
    assert featured == {"8518"}
    assert {row["featured"] for row in ROWS} <= {"0", "1"}
    for row in ROWS:
        if row["variety"] == "8518":
            assert row["category"] == "核桃"
            assert row["variety_en"] == "8518 Early-bearing Walnut"
            for point in ("免嫁接", "挂果早", "出仁率高", "丰产", "见效快"):
                assert point in row["note"]


def test_rootstocks():
    by_name = {(row["category"], row["variety"]): row for row in ROWS}
    for name in ("SO4", "5BB", "贝达"):
        assert by_name[("葡萄", name)]["grade"] == "砧木扦插苗"
    assert "矮化" in by_name[("苹果", "M26")]["grade"]
    assert by_name[("梨", "杜梨")]["grade"] == "杜梨苗"
    assert by_name[("甜茶", "甜茶")]["grade"] == "甜茶小苗"


def test_grade_fields():
    for row in ROWS:
        assert row["grade"] and row["grade_en"], row["sku"]
        assert row["propagation"] in PROPAGATION, row["sku"]
        assert int(row["height_cm"]) > 0
        assert re.fullmatch(r"\d+\.\d", row["diameter_cm"]) and Decimal(row["diameter_cm"]) > 0
        assert int(row["weight_g"]) > 0
        assert row["category_en"] and row["variety_en"]


def test_no_ocr_slips_or_personal_data():
    text = CATALOG.read_text(encoding="utf-8")
    for slip in OCR_SLIPS:
        assert slip not in text
    for pattern in PERSONAL:
        assert not pattern.search(text), pattern.pattern
