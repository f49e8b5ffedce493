"""The archive as CSV for Excel: UTF-8 with a BOM (so Excel reads 中文), formula cells neutralised. Pure."""

from __future__ import annotations

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value) -> str:
    """A cell as text; one that Excel would read as a formula gets a leading single quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """The table as CSV bytes: BOM, header, rows; every cell through `safe`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe(h) for h in header])
    for row in rows:
        writer.writerow([safe(cell) for cell in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
