"""A dealer's CSV file as lines of bulk entry (shop.dealers.bulk): UTF-8, UTF-8 with BOM, or GBK as Excel saves it.

Pure: bytes in, lines out. Two layouts, each with its header: `sku,quantity` or `品种,规格,数量`; a file may have
both (a row with a SKU uses it) and other columns, which are ignored. The header comes back as the first line, so
the parser's row numbers are the spreadsheet's.
"""

from __future__ import annotations

import csv
import io
import unicodedata

# Header cells as dealers name them (compared folded, without spaces and a trailing (株)).
COLUMNS = {
    "sku": {"sku", "货号", "编号", "商品编号"},
    "variety": {"品种", "品种名称", "品名", "variety"},
    "grade": {"规格", "等级", "grade"},
    "quantity": {"数量", "quantity", "qty", "数量株"},
}
ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 reads GBK and GB2312, as Excel saves CSV in China
# A small file to start from: the header and three grades of catalog.csv, with a BOM so Excel opens it as UTF-8.
SAMPLE_CSV = "品种,规格,数量\r\n阳光玫瑰,一级扦插苗,500\r\n8518,一级实生苗,300\r\n巨峰,二级扦插苗,2000\r\n".encode("utf-8-sig")


class CsvError(ValueError):
    """A file that is not a CSV the parser can read, with the reason in 中文 and English."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.message_zh, self.message_en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh


def decode(data: bytes) -> str:
    """The file's text: UTF-16 if it says so by its BOM, else UTF-8 (with or without BOM), else GBK/GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's 'Unicode text'
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        for encoding in ENCODINGS:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise CsvError("这不是CSV文本文件（Excel表格请“另存为”CSV，编码UTF-8或GBK）",
                   "This is not a CSV text file (in Excel, use Save As… CSV, UTF-8 or GBK)")


def read_csv(data: bytes) -> list[str]:
    """The file as bulk-entry lines: a header line, then one line a row (blank rows kept as "")."""
    text = decode(data)
    if not text.strip():
        raise CsvError("文件是空的", "The file is empty")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",\t;", key=first.count)  # as the header is written: Excel's comma, a tab, or a semicolon
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise CsvError(f"CSV格式有误：{err}", f"The CSV is malformed: {err}") from None
    start = next((i for i, row in enumerate(rows) if any(cell.strip() for cell in row)), None)
    if start is None:
        raise CsvError("文件是空的", "The file is empty")
    columns = _columns(rows[start])
    header = "sku\tquantity" if "variety" not in columns else "品种\t规格\t数量"
    lines = [""] * start + [header]
    for row in rows[start + 1:]:
        lines.append(_line(row, columns))
    return lines


def _columns(header: list[str]) -> dict[str, int]:
    """Where each known column is; a CsvError unless the header names a SKU or a variety, and a quantity."""
    found: dict[str, int] = {}
    for position, cell in enumerate(header):
        name = unicodedata.normalize("NFKC", cell).strip().lower().replace(" ", "")
        name = name.removesuffix("(株)").removesuffix("株") if name.startswith("数量") else name
        for column, names in COLUMNS.items():
            if name in names and column not in found:
                found[column] = position
    if "quantity" not in found or not ({"sku", "variety"} & set(found)):
        raise CsvError("第一行须是表头：sku,数量 或 品种,规格,数量",
                       "The first row must be a header: sku,quantity or 品种,规格,数量 (variety, grade, quantity)")
    return found


def _line(row: list[str], columns: dict[str, int]) -> str:
    """One row as a line: the SKU if it has one, else variety and grade, then the quantity, tab-separated."""

    def cell(column: str) -> str:
        position = columns.get(column)
        if position is None or position >= len(row):
            return ""
        return " ".join(row[position].split())  # a line break inside a quoted cell stays on this line

    name = [cell("sku")] if cell("sku") else [cell("variety"), cell("grade")]
    parts = [*name, cell("quantity")]
    return "\t".join(parts) if any(parts) else ""
