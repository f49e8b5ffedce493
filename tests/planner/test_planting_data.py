"""planting.csv against catalog.csv: every figure has a source, every pollinizer is sold, and a bad file is refused."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from shop.planner import data

ROOT = Path(__file__).resolve().parents[2]
PLANTING = ROOT / "planting.csv"
CATALOG = ROOT / "catalog.csv"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ROWS = read(PLANTING)
CATALOG_ROWS = read(CATALOG)
LOADED = data.load(PLANTING)


def catalog_varieties() -> dict[tuple[str, str], list[dict[str, str]]]:
    """(category, variety) → its grades in catalog.csv."""
    found: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in CATALOG_ROWS:
        found[(row["category"], row["variety"])].append(row)
    return found


def on_sale(grades: list[dict[str, str]]) -> bool:
    """At least one grade with a price and plants in stock."""
    return any(g["price"] and sum(int(part.split("=")[1]) for part in g["stock"].split(";")) > 0 for g in grades)


def test_the_file_loads_and_every_row_names_its_source():
    assert [name for name in ROWS[0]] == list(data.COLUMNS)
    assert len(ROWS) == len(LOADED.varieties()) + sum(len(LOADED.spacings(c)) for c in {r["category"] for r in ROWS})
    for line, row in enumerate(ROWS, start=2):
        assert len(row["source"]) >= 10, f"line {line}: no source"
        assert row["note"] and row["note_en"], f"line {line}: the figure needs its note in 中文 and English"


def test_every_fruiting_variety_on_sale_has_a_pollination_row():
    """Rootstocks (砧木) and 询价 items are not planted as orchards; everything else the cart sells is planned."""
    varieties = catalog_varieties()
    wanted = {key for key, grades in varieties.items()
              if any(g["price"] for g in grades) and "砧木" not in grades[0]["note"]}
    have = {(v.category, v.variety) for v in LOADED.varieties()}
    assert wanted - have == set(), "varieties the planner cannot plan"
    assert have - set(varieties) == set(), "rows naming varieties that are not in catalog.csv"


def test_every_variety_that_needs_a_pollinizer_has_its_pollinizers_on_sale_in_the_catalog():
    varieties = catalog_varieties()
    needing = [v for v in LOADED.varieties() if v.needs_pollinizer]
    assert len(needing) > 30
    for v in needing:
        assert v.pollinizers and v.ratio and 1 <= v.ratio <= 10, v.variety
        for name in v.pollinizers:
            assert on_sale(varieties.get((v.category, name), [])), f"{v.variety}: pollinizer {name} is not on sale"


def test_every_category_planned_has_a_default_spacing_and_the_dwarf_rootstocks_the_catalog_sells():
    for category in {v.category for v in LOADED.varieties()}:
        standard = LOADED.spacing(category)
        assert standard is not None and standard.row_m >= standard.plant_m, category
    apple, m26 = LOADED.spacing("苹果"), LOADED.spacing("苹果", "M26")
    assert (apple.row_m, apple.plant_m) == (5, 4) and (m26.row_m, m26.plant_m) == (4, 2)  # dwarfs stand closer
    assert ("苹果", "M26") in catalog_varieties()  # the M26 rootstock is sold
    gisela = LOADED.spacing("樱桃", "吉塞拉")
    assert gisela is not None and gisela.plant_m < LOADED.spacing("樱桃").plant_m
    assert any("吉塞拉" in row["grade"] for row in CATALOG_ROWS)  # the grade on Gisela is sold


def test_kiwi_females_get_the_male_moshan_4_at_eight_to_one():
    for name in ("红阳", "红华", "红美", "新美"):
        row = LOADED.variety("猕猴桃", name)
        assert (row.pollination, row.pollinizers, row.ratio) == ("cross", ("磨山4号",), 8)
    male = LOADED.variety("猕猴桃", "磨山4号")
    assert male.pollination == "male" and not male.plannable
    grades = catalog_varieties()[("猕猴桃", "磨山4号")]
    assert [g["sku"] for g in grades] == ["KIW-MOSHAN4-M1"] and "雄株" in grades[0]["grade"]
    assert "磨山" in male.source and "园艺学报" in male.source


def test_whangkeumbae_has_no_pollen_so_it_needs_a_pollinizer_and_is_never_one():
    assert LOADED.variety("梨", "黄金").needs_pollinizer
    assert all("黄金" not in v.pollinizers for v in LOADED.varieties())


def test_regina_is_not_given_van_its_own_incompatibility_group():
    assert "先锋" not in LOADED.variety("樱桃", "女王").pollinizers  # both S1S3 (Oregon State's chart)


# --- a bad file stops the shop with the line named ------------------------------------------------------------------


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "planting.csv"
    path.write_text(",".join(data.COLUMNS) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD_SPACING = "spacing,猕猴桃,,,,4,3,,,,T形架,T-bar,《果树栽培学各论（南方本）》"


@pytest.mark.parametrize(("line", "said"), [
    ("variety,猕猴桃,红阳,,,,,cross,磨山4号,8,雌株,Female,", "source is missing"),
    ("spacing,猕猴桃,,M26,,0,3,,,,x,x,某教科书第3版", "row_spacing_m"),
    ("variety,猕猴桃,红阳,,,,,cross,,8,雌株,Female,某教科书第3版", "needs its pollinizers"),
    ("variety,猕猴桃,红阳,,,,,cross,磨山4号,eight,雌株,Female,某教科书第3版", "ratio"),
    ("variety,猕猴桃,红阳,,,,,cross,磨山5号,8,雌株,Female,某教科书第3版", "磨山5号"),
    ("variety,猕猴桃,红阳,,,,,sometimes,,,雌株,Female,某教科书第3版", "pollination must be one of"),
    ("variety,猕猴桃,红阳,,,,,self,,,雌株,Female", "cells"),
])
def test_a_bad_row_is_refused_naming_its_line(tmp_path, line, said):
    path = write(tmp_path, GOOD_SPACING, "variety,猕猴桃,磨山4号,,,,,male,,,雄株,Male,园艺学报 2006", line)
    with pytest.raises(data.PlantingFileError) as caught:
        data.load(path)
    assert "line 4:" in str(caught.value) and said in str(caught.value), str(caught.value)


def test_a_category_without_a_standard_spacing_is_refused(tmp_path):
    path = write(tmp_path, "variety,梨,丰水,,,,,self,,,x,x,某教科书第3版")
    with pytest.raises(data.PlantingFileError, match="line 2: 梨 has no standard spacing"):
        data.load(path)


def test_the_shop_does_not_start_with_a_bad_planting_file(tmp_path):
    from shop import create_app

    path = write(tmp_path, "spacing,猕猴桃,,,,4,-3,,,,T形架,T-bar,某教科书")
    with pytest.raises(data.PlantingFileError, match="line 2: plant_spacing_m"):
        create_app({"PLANTING_FILE": str(path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3"})
