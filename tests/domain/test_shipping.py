"""The shipping rate table: the real shipping_rates.csv, fees by weight, and bad files refused by line."""

from pathlib import Path

import pytest

from shop.shipping import COLUMNS, PROVINCES, RateFileError, load_rates, packaging_weight_g

RATES_FILE = Path(__file__).resolve().parents[2] / "shipping_rates.csv"
HEADER = ",".join(COLUMNS)


@pytest.fixture(scope="module")
def rates():
    return load_rates(RATES_FILE)


def test_the_real_file_has_all_34_provinces_in_order(rates):
    provinces = rates.provinces()
    assert [p.name for p in provinces] == list(PROVINCES)
    assert len(provinces) == 34
    assert {"山东省", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区", "台湾省", "广西壮族自治区"} <= {p.name for p in provinces}
    by_name = {p.name: p for p in provinces}
    assert by_name["山东省"].name_en == "Shandong"
    assert by_name["山东省"].zone == 1
    assert by_name["河北省"].zone == 2
    assert by_name["新疆维吾尔自治区"].zone >= 4
    assert all(p.name_en and p.name_en.isascii() for p in provinces)


@pytest.mark.parametrize(("weight_g", "fee"), [
    (0, 800), (1, 800), (999, 800), (1000, 800), (1001, 1000), (2000, 1000), (2001, 1200), (10500, 2800),
])
def test_post_to_shandong_is_8_yuan_first_kg_then_2_per_started_kg(rates, weight_g, fee):
    assert rates.fee("post", "山东省", weight_g) == fee


def test_express_is_dearer_than_post_everywhere(rates):
    for province in PROVINCES:
        for weight in (500, 1000, 1001, 5000, 30000):
            assert rates.fee("express", province, weight) > rates.fee("post", province, weight)


def test_no_province_is_cheaper_than_shandong_at_any_weight(rates):
    weights = list(range(0, 3001)) + list(range(3000, 100001, 250))
    for method in ("post", "express"):
        home = [rates.fee(method, "山东省", w) for w in weights]
        for province in PROVINCES:
            assert all(rates.fee(method, province, w) >= h for w, h in zip(weights, home, strict=True)), province
        assert rates.fee(method, "新疆维吾尔自治区", 5000) > rates.fee(method, "河北省", 5000) > rates.fee(method, "山东省", 5000)


def test_fee_refuses_unknown_method_province_and_negative_weight(rates):
    with pytest.raises(ValueError):
        rates.fee("freight", "山东省", 1000)
    with pytest.raises(KeyError):
        rates.fee("post", "山东", 1000)
    with pytest.raises(ValueError):
        rates.fee("post", "山东省", -1)
    assert "山东省" in rates
    assert "Atlantis" not in rates


@pytest.mark.parametrize(("plants", "grams"), [
    (0, 0), (1, 550), (100, 550), (101, 600), (500, 750), (501, 1300), (1000, 1500), (1001, 2050),
])
def test_packaging_is_a_carton_per_500_plants_and_gel_per_100(plants, grams):
    assert packaging_weight_g(plants) == grams


# ---- bad files: each is the real file with one thing broken, and the error names the file and line


def real_lines() -> list[str]:
    return RATES_FILE.read_text(encoding="utf-8").splitlines()


def write(tmp_path, lines: list[str], name="rates.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def line_of(lines: list[str], province: str) -> int:
    return next(i for i, text in enumerate(lines, start=1) if text.startswith(province + ","))


def refused(path: Path) -> str:
    with pytest.raises(RateFileError) as info:
        load_rates(path)
    message = str(info.value)
    assert str(path) in message
    return message


def test_a_copy_of_the_real_file_loads_with_bom_and_crlf(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(("\r\n".join(real_lines()) + "\r\n").encode("utf-8-sig"))
    assert len(load_rates(path).provinces()) == 34


def test_gb18030_from_excel_loads(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(("\r\n".join(real_lines()) + "\r\n").encode("gb18030"))
    assert load_rates(path).fee("post", "山东省", 1000) == 800


def test_missing_column_names_line_1(tmp_path):
    lines = [line.rsplit(",", 1)[0] for line in real_lines()]
    message = refused(write(tmp_path, lines))
    assert "line 1:" in message
    assert "express_extra_kg" in message


def test_unknown_province_names_its_line(tmp_path):
    lines = real_lines()
    at = line_of(lines, "河北省")
    lines[at - 1] = lines[at - 1].replace("河北省", "河北", 1)
    message = refused(write(tmp_path, lines))
    assert f"line {at}: unknown province '河北' (did you mean 河北省?)" in message


def test_duplicate_province_names_both_lines(tmp_path):
    lines = real_lines()
    first = line_of(lines, "河南省")
    lines.append(lines[first - 1])
    message = refused(write(tmp_path, lines))
    assert f"line {len(lines)}: 河南省 is already on line {first}" in message


def test_missing_province_is_named(tmp_path):
    lines = real_lines()
    at = line_of(lines, "西藏自治区")
    del lines[at - 1]
    message = refused(write(tmp_path, lines))
    assert "no row for 西藏自治区" in message
    assert f"ends at line {len(lines)}" in message


@pytest.mark.parametrize(("bad", "words"), [("abc", "not an amount"), ("-3.00", "negative"), ("3.001", "two decimals"),
                                            ("", "empty")])
def test_bad_money_names_line_and_column(tmp_path, bad, words):
    lines = real_lines()
    at = line_of(lines, "湖南省")
    cells = lines[at - 1].split(",")
    cells[COLUMNS.index("express_first_kg")] = bad
    lines[at - 1] = ",".join(cells)
    message = refused(write(tmp_path, lines))
    assert f"line {at}: express_first_kg:" in message
    assert words in message


def test_bad_zone_names_its_line(tmp_path):
    lines = real_lines()
    at = line_of(lines, "湖北省")
    lines[at - 1] = lines[at - 1].replace(",3,", ",zero,", 1)
    assert f"line {at}: zone" in refused(write(tmp_path, lines))


def test_province_cheaper_than_shandong_is_refused(tmp_path):
    lines = real_lines()
    at = line_of(lines, "新疆维吾尔自治区")
    cells = lines[at - 1].split(",")
    cells[COLUMNS.index("post_extra_kg")] = "1.50"  # 山东 is 2.00 per further kg
    lines[at - 1] = ",".join(cells)
    message = refused(write(tmp_path, lines))
    assert f"line {at}: 新疆维吾尔自治区 post is cheaper than 山东省 (line {line_of(lines, '山东省')})" in message


def test_short_row_and_several_problems_are_all_reported(tmp_path):
    lines = real_lines()
    a, b = line_of(lines, "吉林省"), line_of(lines, "福建省")
    lines[a - 1] = "吉林省,Jilin,3"
    lines[b - 1] = lines[b - 1].replace("福建省", "Fujian", 1)
    message = refused(write(tmp_path, lines))
    assert f"line {a}:" in message and f"line {b}:" in message
    assert message.index(f"line {a}:") < message.index(f"line {b}:")


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "nothing.csv"
    empty.write_text("", encoding="utf-8")
    assert "line 1: the file is empty" in refused(empty)
    assert "cannot read" in refused(tmp_path / "absent.csv")
