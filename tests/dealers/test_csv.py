"""A dealer's CSV upload: UTF-8, UTF-8 with BOM and GBK (Excel in China), in both column layouts."""

from __future__ import annotations

import csv
import io

import pytest

from shop.dealers import bulk, csvfile
from tests.dealers.test_bulk import CATALOG, catalog_from_csv

BY_NAME = "品种,规格,数量\r\n阳光玫瑰,一级扦插苗,500\r\n8518,一级,三百\r\n巨峰,二级扦插苗,\"1,000\"\r\n"
BY_SKU = "sku,quantity\r\nGRP-SHINE-C1,500\r\nwal-8518-g1,300\r\nGRP-KYOHO-C2,1万\r\n"
ENCODINGS = {"utf-8": lambda text: text.encode("utf-8"), "utf-8 with BOM": lambda text: text.encode("utf-8-sig"),
             "GBK": lambda text: text.encode("gbk")}


@pytest.fixture(scope="module")
def index():
    return bulk.CatalogIndex.from_tree(catalog_from_csv())


def uploaded(index, data: bytes) -> list[tuple[int, str, str | None, int | None]]:
    """What a dealer sees after uploading the file: (row, verdict, SKU, quantity) for each row."""
    lines = bulk.parse("\n".join(csvfile.read_csv(data)), index)
    return [(line.row, line.status, line.sku, line.quantity) for line in lines]


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_the_variety_grade_quantity_layout_in_every_encoding(index, encoding):
    assert uploaded(index, ENCODINGS[encoding](BY_NAME)) == [
        (2, "ok", "GRP-SHINE-C1", 500), (3, "ok", "WAL-8518-G1", 300), (4, "ok", "GRP-KYOHO-C2", 1000)]


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_the_sku_quantity_layout_in_every_encoding(index, encoding):
    assert uploaded(index, ENCODINGS[encoding](BY_SKU)) == [
        (2, "ok", "GRP-SHINE-C1", 500), (3, "ok", "WAL-8518-G1", 300), (4, "ok", "GRP-KYOHO-C2", 10000)]


def test_the_gbk_file_really_is_not_utf8():
    with pytest.raises(UnicodeDecodeError):
        BY_NAME.encode("gbk").decode("utf-8")


def test_rows_keep_the_spreadsheets_numbers_and_every_verdict(index):
    data = ("\r\n品种,规格,数量,备注\r\n阳光玫瑰,,500,要快\r\n,,,\r\n侧柏,,10,\r\n巨峰,二级,1.5,\r\nxyz,,1,\r\n"
            "新美,二级,5,\r\n巨峰,二级,10,\r\n巨峰,二级扦插苗,20,\r\n").encode("gbk")
    assert uploaded(index, data) == [
        (3, "ambiguous", None, None), (5, "quote_only", "GRN-CEBAI-H150", 10), (6, "bad_quantity", "GRP-KYOHO-C2", None),
        (7, "not_found", None, None), (8, "insufficient_stock", "KIW-XINMEI-G2", 5), (9, "ok", "GRP-KYOHO-C2", 10),
        (10, "ok", "GRP-KYOHO-C2", 20)]


def test_columns_in_any_order_semicolons_tabs_and_a_file_with_both_sku_and_names(index):
    assert uploaded(index, "数量;品种;规格\n500;巨峰;二级\n".encode()) == [(2, "ok", "GRP-KYOHO-C2", 500)]
    assert uploaded(index, "SKU\tQty\nGRP-SHINE-C1\t7\n".encode("utf-16")) == [(2, "ok", "GRP-SHINE-C1", 7)]
    both = "sku,品种,规格,数量(株)\nGRP-SHINE-C2,阳光玫瑰,一级,5\n,巨峰,二级,6\n".encode("utf-8-sig")
    assert uploaded(index, both) == [(2, "ok", "GRP-SHINE-C2", 5), (3, "ok", "GRP-KYOHO-C2", 6)]


@pytest.mark.parametrize(("data", "zh", "en"), [
    (b"PK\x03\x04\x14\x00\x06\x00", "不是CSV", "not a CSV"),  # an .xlsx is a zip
    (b"\x89PNG\r\n\x1a\n\x00\x00", "不是CSV", "not a CSV"),
    (b"\xff\xfe\x00\xd8", "不是CSV", "not a CSV"),  # UTF-16 with a broken surrogate
    (b"", "空的", "empty"), (b" \r\n,,\r\n", "空的", "empty"),
    ("名称,价格\n巨峰,2.50\n".encode("gbk"), "表头", "header"),
    (b"GRP-SHINE-C1,500\n", "表头", "header"),  # no header: the first row would be lost silently
])
def test_a_file_that_is_not_such_a_csv_gets_a_clear_reason_in_both_languages(data, zh, en):
    with pytest.raises(csvfile.CsvError) as refused:
        csvfile.read_csv(data)
    assert zh in refused.value.message("zh") and en in refused.value.message("en")


def test_the_sample_file_is_utf8_with_a_bom_and_real_grades_that_parse_clean(index):
    assert csvfile.SAMPLE_CSV.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    rows = list(csv.reader(io.StringIO(csvfile.SAMPLE_CSV.decode("utf-8-sig"))))
    assert rows[0] == ["品种", "规格", "数量"] and len(rows) == 4
    catalog = {(r["variety"], r["grade"]) for r in csv.DictReader(io.StringIO(CATALOG.read_text("utf-8-sig")))}
    assert all((variety, grade) in catalog for variety, grade, _ in rows[1:])
    assert [status for _, status, _, _ in uploaded(index, csvfile.SAMPLE_CSV)] == ["ok"] * 3


def test_more_than_500_rows_are_refused_by_the_parser(index):
    data = ("sku,quantity\n" + "GRP-SHINE-C1,1\n" * 501).encode()
    with pytest.raises(bulk.TooManyLines):
        uploaded(index, data)
    assert len(uploaded(index, ("sku,quantity\n" + "GRP-SHINE-C1,1\n" * 500).encode())) == 500
