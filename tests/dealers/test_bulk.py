"""The bulk-entry parser as plain Python: every verdict, every way of writing a quantity, merging, the limits.

The catalog is catalog.csv itself, read into the cached tree's own dataclasses, so no database is needed here.
"""

from __future__ import annotations

import ast
import csv
import io
import time
from decimal import Decimal
from pathlib import Path

import pytest

from shop.catalog.tree import Catalog, CategoryView, GradeView, VarietyView
from shop.dealers import bulk

CATALOG = Path(__file__).resolve().parents[2] / "catalog.csv"
BASES = (("平邑", "平邑基地", "Pingyi"), ("临沭", "临沭基地", "Linshu"))


def catalog_from_csv(stock: dict[str, int] | None = None, version: int = 1) -> Catalog:
    """catalog.csv as shop.catalog.tree builds it; `stock` sets a grade's plants (all at the first base)."""
    rows = list(csv.DictReader(io.StringIO(CATALOG.read_text(encoding="utf-8-sig"))))
    categories: dict[str, tuple[dict, dict[str, list[dict]]]] = {}
    for row in rows:
        _, varieties = categories.setdefault(row["category_slug"], (row, {}))
        varieties.setdefault(row["variety_slug"], []).append(row)
    built, number = [], 0
    for slug, (first, varieties) in categories.items():
        views = []
        for variety_slug, grades in varieties.items():
            views.append(VarietyView(number, variety_slug, grades[0]["variety"], grades[0]["variety_en"], False, "",
                                     slug, tuple(_grade(g, stock or {}) for g in grades)))
            number += 1
        built.append(CategoryView(len(built), slug, first["category"], first["category_en"], tuple(views)))
    return Catalog(version, BASES, tuple(built))


def _grade(row: dict, stock: dict[str, int]) -> GradeView:
    levels = dict(part.split("=") for part in row["stock"].split(";") if part)
    by_base = tuple((name, int(levels.get(name, 0))) for name, _, _ in BASES)
    if row["sku"] in stock:
        by_base = ((BASES[0][0], stock[row["sku"]]), (BASES[1][0], 0))
    price = int(Decimal(row["price"]) * 100) if row["price"] else None
    return GradeView(0, row["sku"], row["grade"], row["grade_en"], row["propagation"], None, None, "", "", price,
                     int(row["weight_g"]), by_base)


@pytest.fixture(scope="module")
def index() -> bulk.CatalogIndex:
    return bulk.CatalogIndex.from_tree(catalog_from_csv())


def one(index, text: str) -> bulk.ParsedLine:
    """The verdict on a single line."""
    [line] = bulk.parse(text, index)
    return line


def verdict(index, text: str) -> tuple[str, str | None, int | None]:
    line = one(index, text)
    return line.status, line.sku, line.quantity


def test_the_parser_is_plain_python():
    for module in (bulk, __import__("shop.dealers.csvfile", fromlist=["x"])):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {n for n in imported if n and n.split(".")[0] in ("flask", "sqlalchemy", "flask_sqlalchemy")}
        assert "shop.extensions" not in imported and "shop.catalog.tree" not in imported


# --- naming a grade -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "sku", "quantity"), [
    ("GRP-SHINE-C1 500", "GRP-SHINE-C1", 500),
    ("grp-shine-c1\t500", "GRP-SHINE-C1", 500),  # SKU in any case, tab from Excel
    ("ＧＲＰ－ＳＨＩＮＥ－Ｃ１　５００", "GRP-SHINE-C1", 500),  # full-width, as a phone keyboard may type it
    ("阳光玫瑰 扦插 一级 500", "GRP-SHINE-C1", 500),
    ("阳光玫瑰 一级扦插苗 500株", "GRP-SHINE-C1", 500),  # the grade's own name
    ("阳光玫瑰 扦插一级 500", "GRP-SHINE-C1", 500),  # grade words run together, in any order
    ("阳光玫瑰 1级 扦插 500", "GRP-SHINE-C1", 500),
    ("阳光玫瑰 嫁接 500", "GRP-SHINE-GR", 500),  # the only grafted grade
    ("阳光玫瑰 SO4 500", "GRP-SHINE-GR", 500),  # 嫁接苗(SO4砧): SO4 is also a variety, but here a grade word
    ("8518 一级 300", "WAL-8518-G1", 300),  # a variety whose name is a number
    ("巨峰,二级,1000", "GRP-KYOHO-C2", 1000),
    ("巨峰，二级，1,000", "GRP-KYOHO-C2", 1000),  # 中文 commas between fields, a thousands comma in the number
    ("巨峰、二级、500", "GRP-KYOHO-C2", 500),
    ("葡萄 巨峰 二级 500", "GRP-KYOHO-C2", 500),  # the category's name is no grade word
    ("巨峰二级500株", "GRP-KYOHO-C2", 500),  # WeChat style, nothing between
    ("巨峰 二级 × 500", "GRP-KYOHO-C2", 500),
    ("Kyoho grade 2 500", "GRP-KYOHO-C2", 500),  # English names
    ("Shine Muscat, Grade 1 cutting, 500", "GRP-SHINE-C1", 500),
    ("冬枣 一级 500", "JUJ-DONGZAO-G1", 500),  # part of the name: 沾化冬枣
    ("沾化冬枣一级嫁接苗 500", "JUJ-DONGZAO-G1", 500),  # name and grade in one word
    ("中油5号 一级 100", "PCH-ZY5-G1", 100),  # 中油五号
    ("S04 100", "GRP-SO4-RS", 100),  # the OCR slip of SO4, mended in the catalog, is still understood
    ("SO4 100", "GRP-SO4-RS", 100),  # a variety with one grade needs no grade words
    ("女王 吉塞拉 50", "CHR-REGINA-GG", 50),
    ("蓝丰 二年生 20", "BLU-BLUECROP-B2", 20),
])
def test_a_line_names_a_grade_by_sku_or_by_variety_and_grade_words(index, text, sku, quantity):
    assert verdict(index, text) == ("ok", sku, quantity)


def test_an_ok_line_says_what_it_understood_in_both_languages(index):
    line = one(index, "阳光玫瑰 扦插 一级 500")
    assert line.message_zh == "阳光玫瑰 一级扦插苗 500株"
    assert line.message_en == "Shine Muscat, Grade 1 own-rooted cutting: 500 plants"
    assert line.available == 284700 and line.candidates == () and line.text == "阳光玫瑰 扦插 一级 500"


@pytest.mark.parametrize("text", ["xyz 100", "GRP-NOPE-X1 5", "榴莲 一级 10", "500"])
def test_a_line_naming_nothing_in_the_catalog_is_not_found(index, text):
    line = one(index, text)
    assert (line.status, line.sku, line.candidates) == ("not_found", None, ())
    assert "找不到" in line.message_zh and "Nothing matches" in line.message_en


def test_a_variety_without_the_grade_asked_for_is_not_found_with_its_grades_as_candidates(index):
    line = one(index, "阳光玫瑰 嫁接 一级 500")  # grafted, or grade 1 cutting: there is no grade 1 grafted
    assert line.status == "not_found" and line.sku is None
    assert [c.sku for c in line.candidates] == ["GRP-SHINE-GR", "GRP-SHINE-C1", "GRP-SHINE-C2"]
    assert one(index, "WAL-8518-G9 5").candidates[0].sku == "WAL-8518-G1"  # a mistyped SKU of a known variety


def test_a_variety_with_several_grades_and_no_grade_words_is_ambiguous(index):
    line = one(index, "阳光玫瑰 500")
    assert (line.status, line.sku, line.quantity) == ("ambiguous", None, None)
    assert [(c.sku, c.variety, c.grade) for c in line.candidates] == [
        ("GRP-SHINE-GR", "阳光玫瑰", "嫁接苗(SO4砧)"), ("GRP-SHINE-C1", "阳光玫瑰", "一级扦插苗"),
        ("GRP-SHINE-C2", "阳光玫瑰", "二级扦插苗")]
    assert "多个规格" in line.message_zh and "several grades" in line.message_en


def test_ambiguous_candidates_are_few_and_those_that_can_be_ordered_come_first(index):
    walnut = one(index, "核桃 一级 100")  # a category: its varieties' grade-1 plants
    assert walnut.status == "ambiguous" and len(walnut.candidates) == bulk.MAX_CANDIDATES
    assert all(c.sku.startswith("WAL-") and c.sku.endswith("-G1") for c in walnut.candidates)
    many = one(index, "红 100")  # in a dozen names
    assert many.status == "ambiguous" and len(many.candidates) == bulk.MAX_CANDIDATES
    kiwi = one(index, "新美 10")  # grade 2 has no stock: grade 1 first, whatever the catalog order
    assert [c.sku for c in kiwi.candidates] == ["KIW-XINMEI-G1", "KIW-XINMEI-G2"]
    short = bulk.CatalogIndex.from_tree(catalog_from_csv({"GRP-SHINE-GR": 0}))
    assert [c.sku for c in one(short, "阳光玫瑰 10").candidates][-1] == "GRP-SHINE-GR"


def test_a_grade_priced_on_request_is_quote_only(index):
    line = one(index, "侧柏 10")
    assert (line.status, line.sku, line.quantity) == ("quote_only", "GRN-CEBAI-H150", 10)
    assert "询价" in line.message_zh and "on request" in line.message_en
    assert bulk.ok_items([line]) == []


def test_more_than_the_stock_is_insufficient_stock_with_what_is_available():
    index = bulk.CatalogIndex.from_tree(catalog_from_csv({"GRP-SHINE-C1": 100}))
    assert verdict(index, "GRP-SHINE-C1 100") == ("ok", "GRP-SHINE-C1", 100)
    line = one(index, "GRP-SHINE-C1 101")
    assert (line.status, line.available, line.quantity) == ("insufficient_stock", 100, 101)
    assert "现有100株" in line.message_zh and "100 available" in line.message_en
    assert verdict(index, "新美 二级 1") == ("insufficient_stock", "KIW-XINMEI-G2", 1)  # none at all


# --- quantities -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "plants"), [
    ("500", 500), ("500株", 500), ("500棵", 500), ("1,000", 1000), ("12,345", 12345), ("1万", 10000),
    ("2.5万", 25000), ("1.2千", 1200), ("五百", 500), ("一千二", 1200), ("两千", 2000), ("两千五百株", 2500),
    ("一万", 10000), ("2万5", 25000), ("五百株", 500), ("１０００", 1000), ("1", 1), ("10000000", 10_000_000),
    ("一千万", 10_000_000), ("3.0", 3),
])
def test_every_way_of_writing_a_quantity(written, plants):
    assert bulk.parse_quantity(written) == plants
    plenty = bulk.CatalogIndex.from_tree(catalog_from_csv({"GRP-KYOHO-C2": 10_000_000}))
    assert verdict(plenty, f"巨峰 二级 {written}") == ("ok", "GRP-KYOHO-C2", plants)


@pytest.mark.parametrize("written", ["0", "-5", "1.5", "1.5株", "abc", "10000001", "1001万", "零", "负五", "一点五",
                                     "1e3", "0x10", "½", "∞", "1" * 30])
def test_a_quantity_that_is_not_a_whole_number_from_1_to_ten_million_is_bad(index, written):
    assert bulk.parse_quantity(written) is None
    line = one(index, f"巨峰 二级 {written}")
    assert (line.status, line.sku, line.quantity) == ("bad_quantity", "GRP-KYOHO-C2", None)
    assert "10,000,000" in line.message_en and "整数" in line.message_zh


def test_a_line_without_a_quantity_says_the_quantity_is_missing(index):
    for text in ("GRP-SHINE-C1", "阳光玫瑰 一级扦插苗"):
        line = one(index, text)
        assert (line.status, line.sku) == ("bad_quantity", "GRP-SHINE-C1")
        assert "缺少数量" in line.message_zh and "missing" in line.message_en


# --- many lines -----------------------------------------------------------------------------------------------

def test_repeated_grades_are_merged_into_the_first_line_and_ordered_once(index):
    lines = bulk.parse("GRP-SHINE-C1 300\n巨峰 二级 50\n阳光玫瑰 一级扦插苗 200株\ngrp-shine-c1,1万", index)
    first, kyoho, second, third = lines
    assert [line.status for line in lines] == ["ok"] * 4
    assert (first.merged_rows, first.merged_into, first.quantity) == ((3, 4), None, 300)
    assert (second.merged_into, second.quantity, third.merged_into, third.quantity) == (1, 200, 1, 10000)
    assert kyoho.merged_rows == () and kyoho.merged_into is None
    assert "共10500株" in first.message_zh and "10,500 in all" in first.message_en
    assert "已合并到第1行" in second.message_zh and "merged into it" in second.message_en
    assert bulk.ok_items(lines) == [("GRP-SHINE-C1", 10500), ("GRP-KYOHO-C2", 50)]
    assert bulk.summary(lines) == bulk.Summary(ok=4, problems=0, merged=2)


def test_the_stock_is_checked_on_the_merged_total_and_every_merged_line_says_so():
    index = bulk.CatalogIndex.from_tree(catalog_from_csv({"GRP-SHINE-C1": 100}))
    lines = bulk.parse("GRP-SHINE-C1 60\nGRP-SHINE-C1 50\nGRP-SHINE-C2 5", index)
    assert [(line.status, line.merged_into) for line in lines] == [
        ("insufficient_stock", None), ("insufficient_stock", 1), ("ok", None)]
    assert all("110" in line.message_zh and "100" in line.message_zh for line in lines[:2])
    assert "rows 1, 2 together" in lines[0].message_en
    assert bulk.ok_items(lines) == [("GRP-SHINE-C2", 5)]
    assert bulk.summary(lines) == bulk.Summary(ok=1, problems=2, merged=1)


def test_only_good_lines_are_merged(index):
    lines = bulk.parse("GRP-SHINE-C1 5\nGRP-SHINE-C1 1.5\nGRP-SHINE-C1 7", index)
    assert [(line.status, line.merged_into) for line in lines] == [("ok", None), ("bad_quantity", None), ("ok", 1)]
    assert bulk.ok_items(lines) == [("GRP-SHINE-C1", 12)]


@pytest.mark.parametrize("header", ["sku,quantity", "SKU\tQuantity", "品种,规格,数量", "品种，规格，数量", "sku,数量"])
def test_blank_and_header_lines_are_skipped_and_rows_are_the_lines_numbers(index, header):
    lines = bulk.parse(f"{header}\n\n  \nGRP-SHINE-C1,5\r\n\t\n巨峰,二级,6\n", index)
    assert [(line.row, line.status) for line in lines] == [(4, "ok"), (6, "ok")]


def test_up_to_500_lines_and_not_one_more(index):
    rows = [f"GRP-SHINE-C{1 + n % 2} 1" for n in range(bulk.MAX_LINES)]
    assert len(bulk.parse("品种,规格,数量\n" + "\n\n".join(rows), index)) == bulk.MAX_LINES  # blanks, header free
    with pytest.raises(bulk.TooManyLines) as refused:
        bulk.parse("\n".join([*rows, "巨峰 二级 1"]), index)
    assert refused.value.count == 501
    assert refused.value.message("zh") == "一次最多500行（现在501行），请分开提交"
    assert refused.value.message("en") == "At most 500 lines at a time (this list has 501); split it"


def test_broken_text_gets_a_verdict_not_an_exception(index):
    lines = bulk.parse("GRP-SHINE-C1 5\x00\nGRP-SHINE-C2 \ud800 6\n\u200bGRP-SHINE-GR\u200b 7\n" + "桃" * 400, index)
    assert [line.status for line in lines] == ["ok", "ok", "ok", "not_found"]
    assert "太长" in lines[3].message_zh and lines[3].text == "桃" * 400


def test_the_index_is_built_once_per_catalog_version():
    first = catalog_from_csv()
    assert bulk.CatalogIndex.from_tree(first) is bulk.CatalogIndex.from_tree(first)
    newer = catalog_from_csv({"GRP-SHINE-C1": 7}, version=2)
    rebuilt = bulk.CatalogIndex.from_tree(newer)
    assert rebuilt is not bulk.CatalogIndex.from_tree(first) and rebuilt.version == 2
    assert one(rebuilt, "GRP-SHINE-C1 8").status == "insufficient_stock"


def test_200_lines_are_parsed_in_a_few_milliseconds(index):
    names = ["GRP-SHINE-C1 10", "阳光玫瑰 扦插 一级 10", "8518 一级 五百", "巨峰,二级,1,000", "冬枣 一级 2.5万",
             "Shine Muscat grade 2 10", "红 10", "xyz 1", "侧柏 10", "巨峰二级500株"]
    text = "\n".join(names[n % len(names)].replace("10", str(10 + n)) for n in range(200))
    bulk.parse(text, index)  # cn2an's first import is not the parser's time
    started = time.perf_counter()
    lines = bulk.parse(text, index)
    elapsed = time.perf_counter() - started
    assert len(lines) == 200 and {line.status for line in lines} >= {"ok", "ambiguous", "not_found", "quote_only"}
    assert elapsed < 0.25, elapsed
