"""ship_windows.csv is checked at start-up: a bad file stops the shop and names its lines."""

from __future__ import annotations

import pytest
from season_files import ALL_YEAR_WINDOWS, REAL_WINDOWS

from shop.seasons.datafile import WindowFileError, load_windows, parse_window

HEADER = "province,province_en,spring,autumn,source"


def good_rows() -> list[str]:
    return REAL_WINDOWS.read_text(encoding="utf-8").splitlines()[1:]


def written(tmp_path, lines: list[str], header: str = HEADER, encoding: str = "utf-8"):
    path = tmp_path / "ship_windows.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding=encoding)
    return path


def problems(path) -> str:
    with pytest.raises(WindowFileError) as err:
        load_windows(path)
    return str(err.value)


def replace(rows: list[str], province: str, row: str) -> list[str]:
    return [row if line.startswith(province + ",") else line for line in rows]


def test_the_shipped_file_and_the_tests_all_year_file_load():
    assert len(load_windows(REAL_WINDOWS).rows()) == 34
    assert all(len(row.windows) == 1 for row in load_windows(ALL_YEAR_WINDOWS).rows())


def test_excel_files_in_utf8_with_a_bom_or_in_gb18030_load(tmp_path):
    rows = good_rows()
    assert load_windows(written(tmp_path, rows, encoding="utf-8-sig")).get("山东省")
    assert load_windows(written(tmp_path, rows, encoding="gb18030")).get("广东省").windows[0].wraps


@pytest.mark.parametrize(("row", "says"), [
    ("山东省,Shandong,3-1..4-20,10-20..11-30,x", "spring must be MM-DD..MM-DD"),
    ("山东省,Shandong,03-01~04-20,10-20..11-30,x", "spring must be MM-DD..MM-DD"),
    ("山东省,Shandong,03-01..04-31,10-20..11-30,x", "04-31 is not a day of the year"),
    ("山东省,Shandong,03-01..04-20,13-01..11-30,x", "13-01 is not a day of the year"),
    ("山东省,Shandong,02-29..04-20,,x", "02-29 is not in every year"),
    ("山东省,Shandong,,,x", "at least one window"),
    ("山东省,Shandong,03-01..04-20,04-10..11-30,x", "overlap or touch"),
    ("山东省,Shandong,03-01..04-20,04-21..11-30,x", "overlap or touch"),
    ("山东省,Shandong,03-01..04-20,10-20..02-28,x", "overlap or touch"),  # across the new year into spring
    ("山东省,Shandong,03-01..04-20,10-20..11-30,", "source is empty"),
    ("山東省,Shandong,03-01..04-20,10-20..11-30,x", "unknown province '山東省'"),
])
def test_a_bad_row_is_named_with_its_line(tmp_path, row, says):
    rows = replace(good_rows(), "山东省", row)
    line = rows.index(row) + 2  # the header is line 1
    message = problems(written(tmp_path, rows))
    assert f"line {line}: " in message and says in message, message


def test_a_missing_or_repeated_province_and_a_short_row_are_named(tmp_path):
    rows = [line for line in good_rows() if not line.startswith("海南省,")]  # 33 rows: lines 2–34
    rows += [rows[0], "北京市,Beijing"]  # lines 35 and 36
    message = problems(written(tmp_path, rows))
    assert "no row for 海南省" in message
    assert "line 35: 北京市 is already on line 2" in message
    assert "line 36: 2 cells, the header has 5" in message


def test_a_missing_column_or_an_empty_file_is_refused(tmp_path):
    assert "missing column(s) autumn" in problems(written(tmp_path, good_rows(), header="province,province_en,spring,source"))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "the file is empty" in problems(empty)
    assert "cannot read" in problems(tmp_path / "nowhere.csv")


def test_a_window_is_read_with_both_ends_and_spaces_around_the_dots():
    window = parse_window("autumn", "12-01 .. 02-28")
    assert (window.season, window.opens, window.closes, window.wraps) == ("autumn", (12, 1), (2, 28), True)


def test_a_bad_file_stops_start_up_naming_the_line(tmp_path):
    from shop import create_app

    rows = replace(good_rows(), "广东省", "广东省,Guangdong,,12-01..02-30,x")
    path = written(tmp_path, rows)
    with pytest.raises(WindowFileError) as err:
        create_app({"SHIP_WINDOWS_FILE": str(path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3"})
    assert f"line {rows.index('广东省,Guangdong,,12-01..02-30,x') + 2}: autumn: 02-30" in str(err.value)
    assert str(path) in str(err.value)
