"""Windows files for the seasons tests: one made for the day the test runs (so what is open or closed never
depends on the calendar), and the real ship_windows.csv for tests that pass their days explicitly."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

from shop.seasons.windows import QUEUE_LEAD_DAYS
from tests.actions import SHANGHAI

ROOT = Path(__file__).resolve().parents[2]
REAL_WINDOWS = ROOT / "ship_windows.csv"
ALL_YEAR_WINDOWS = ROOT / "tests" / "data" / "ship_windows_all_year.csv"  # what every other test runs with
OPENS_IN_DAYS = 10  # Shandong (where the tests ship) opens this many days after today: closed today
# The desk keeps a reserved order apart until QUEUE_LEAD_DAYS before its opening: Henan is on that day, Jiangsu a day
# before it.
HENAN_OPENS_IN_DAYS = QUEUE_LEAD_DAYS
JIANGSU_OPENS_IN_DAYS = QUEUE_LEAD_DAYS + 1
HENAN = {"province": "河南省", "city": "洛阳市", "district": "孟津区", "address": "朝阳镇示例村5号"}
JIANGSU = {"province": "江苏省", "city": "南京市", "district": "玄武区", "address": "中山路示例9号"}


def today() -> date:
    """Today in China."""
    return datetime.now(SHANGHAI).date()


def md(day: date) -> str:
    return day.strftime("%m-%d")


def closed_until(days: int, length: int = 30) -> str:
    """A window that opens `days` after today and lasts `length` more days, as MM-DD..MM-DD."""
    return f"{md(today() + timedelta(days=days))}..{md(today() + timedelta(days=days + length))}"


def write_windows(path: Path, windows: dict[str, tuple[str, str]]) -> str:
    """The all-year test file with some provinces' spring and autumn replaced; its path."""
    with ALL_YEAR_WINDOWS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            if row["province"] in windows:
                row["spring"], row["autumn"] = windows[row["province"]]
            writer.writerow(row)
    return str(path)


def todays_windows(path: Path) -> str:
    """Shandong, Henan and Jiangsu out of season today (opening in 10, 7 and 8 days), Guangdong in season, the rest
    all year."""
    return write_windows(path, {
        "山东省": (closed_until(OPENS_IN_DAYS), ""),
        "河南省": (closed_until(HENAN_OPENS_IN_DAYS), ""),
        "江苏省": (closed_until(JIANGSU_OPENS_IN_DAYS), ""),
        "广东省": ("", f"{md(today() - timedelta(days=3))}..{md(today() + timedelta(days=20))}"),
    })
