"""ship_windows.csv: each province's dispatch windows for bare-root seedlings, in a file staff can edit.

UTF-8 (a BOM, as Excel writes it, is fine; GB18030 is accepted too), one header line, then one row for each of
the 34 province-level divisions (shop.shipping.PROVINCES):

    province,province_en,spring,autumn,source
    山东省,Shandong,03-01..04-20,10-20..11-30,山东省春秋季造林时间……
    广东省,Guangdong,,12-01..02-28,广东省冬春造林……

``spring`` and ``autumn`` are ``MM-DD..MM-DD`` (both days included) or empty, at least one of them given; an
opening after the closing (``12-01..02-28``) is a window across the new year (south China's winter planting goes
in ``autumn``, 秋冬). 02-29 is refused: the windows are the same every year. A province's two windows may not
overlap or touch (write them as one). ``source`` says where the dates come from and may not be empty. Extra
columns are ignored, blank lines skipped. A bad file raises WindowFileError naming the file and the lines.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from shop.seasons.windows import AUTUMN, SEASONS, SPRING, ShipWindow, Window, window_on
from shop.shipping import PROVINCES

COLUMNS = ("province", "province_en", SPRING, AUTUMN, "source")
RANGE = re.compile(r"^(\d{2})-(\d{2})\s*\.\.\s*(\d{2})-(\d{2})$")
_COMMON_YEAR = 2025  # a year without 29 February: every month-day of the file is a day of it


class WindowFileError(Exception):
    """The windows file cannot be used; the message names the file and the line numbers."""

    def __init__(self, path: str | Path, problems: list[tuple[int | None, str]]):
        self.path = str(path)
        self.problems = problems
        lines = "\n".join(f"  line {line}: {text}" if line else f"  {text}" for line, text in problems)
        super().__init__(f"{self.path}: bad dispatch window file (适宜发货期表有错误):\n{lines}")


@dataclass(frozen=True)
class ProvinceWindows:
    """One row: a province's windows and where they come from."""

    province: str
    province_en: str
    windows: tuple[Window, ...]
    source: str
    line: int = 0


class WindowTable:
    """Every province's windows, in file order."""

    def __init__(self, rows: list[ProvinceWindows]):
        self._rows = {row.province: row for row in rows}

    def __contains__(self, province: object) -> bool:
        return province in self._rows

    def rows(self) -> list[ProvinceWindows]:
        """Every province's row, in file order."""
        return list(self._rows.values())

    def get(self, province: str) -> ProvinceWindows | None:
        """The row for a province, or None."""
        return self._rows.get(province)

    def on(self, province: str, day: date) -> ShipWindow | None:
        """The province's window on day; None for a province not in the table."""
        row = self._rows.get(province)
        return window_on(row.windows, day) if row else None


def parse_window(season: str, text: str) -> Window:
    """"03-01..04-20" → Window; ValueError saying what is wrong."""
    match = RANGE.match(text)
    if not match:
        raise ValueError(f"{season} must be MM-DD..MM-DD (e.g. 03-01..04-20) or empty, got {text!r}")
    numbers = [int(n) for n in match.groups()]
    ends = []
    for month, day in (numbers[:2], numbers[2:]):
        if (month, day) == (2, 29):
            raise ValueError(f"{season}: 02-29 is not in every year; use 02-28 or 03-01")
        try:
            date(_COMMON_YEAR, month, day)
        except ValueError:
            raise ValueError(f"{season}: {month:02d}-{day:02d} is not a day of the year") from None
        ends.append((month, day))
    return Window(season, ends[0], ends[1])


def _days(window: Window) -> set[int]:
    """The window's days as day-of-year numbers of a common year, one more day at its end (to find touching)."""
    start = date(_COMMON_YEAR, *window.opens)
    end = date(_COMMON_YEAR + (1 if window.wraps else 0), *window.closes) + timedelta(days=1)
    return {(start + timedelta(days=n)).timetuple().tm_yday for n in range((end - start).days + 1)}


def _parse_row(row: dict[str, str], line: int) -> tuple[ProvinceWindows | None, list[str]]:
    errors = []
    province = row["province"]
    if province not in PROVINCES:
        hint = [p for p in PROVINCES if province and p.startswith(province)]
        errors.append(f"unknown province {province!r}" + (f" (did you mean {hint[0]}?)" if hint else ""))
    windows = []
    for season in SEASONS:
        if row[season]:
            try:
                windows.append(parse_window(season, row[season]))
            except ValueError as err:
                errors.append(str(err))
    if not row[SPRING] and not row[AUTUMN]:
        errors.append("give at least one window (spring or autumn)")
    if len(windows) == 2 and _days(windows[0]) & _days(windows[1]):
        errors.append(f"spring {row[SPRING]} and autumn {row[AUTUMN]} overlap or touch; write them as one window")
    if not row["source"]:
        errors.append("source is empty: say where the dates come from")
    if errors:
        return None, errors
    return ProvinceWindows(province, row["province_en"] or province, tuple(windows), row["source"], line), []


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise WindowFileError(path, [(None, f"cannot read: {err.strerror or err}")]) from None
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on a Chinese Windows saves CSV as GB18030
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise WindowFileError(path, [(None, "not UTF-8 or GB18030 text")])


def load_windows(path: str | Path) -> WindowTable:
    """Read and check the windows file; WindowFileError (naming file and lines) if anything is wrong."""
    path = Path(path)
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    header = next(reader, None)
    if header is None:
        raise WindowFileError(path, [(1, "the file is empty; expected a header: " + ",".join(COLUMNS))])
    header = [name.strip() for name in header]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise WindowFileError(path, [(1, f"missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}")])
    problems: list[tuple[int | None, str]] = []
    rows: dict[str, ProvinceWindows] = {}
    named: set[str] = set()
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            problems.append((line, f"{len(cells)} cells, the header has {len(header)}"))
            continue
        row = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        named.add(row["province"])
        parsed, errors = _parse_row(row, line)
        problems.extend((line, error) for error in errors)
        if parsed is None:
            continue
        if parsed.province in rows:
            problems.append((line, f"{parsed.province} is already on line {rows[parsed.province].line}"))
            continue
        rows[parsed.province] = parsed
    absent = [p for p in PROVINCES if p not in named]
    if absent:
        problems.append((None, f"no row for {', '.join(absent)} (the file ends at line {reader.line_num})"))
    if problems:
        problems.sort(key=lambda p: (p[0] is None, p[0] or 0))
        raise WindowFileError(path, problems)
    return WindowTable(list(rows.values()))
