"""`flask catalog import FILE` and `flask catalog set-stock`: what staff type, what they read back, what changes."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from shop.catalog.models import Base, Category, Grade, Stock, Variety

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog.csv"


def catalog_rows() -> list[dict[str, str]]:
    """catalog.csv as a list of rows; row i is on line i + 2 of the file."""
    with CATALOG.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_catalog(path: Path, rows: list[dict[str, str]], *, encoding: str = "utf-8",
                  columns: list[str] | None = None) -> Path:
    """A catalog file as staff would save it, one row per line (no multi-line fields)."""
    fields = columns or list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def import_catalog(runner, path: Path):
    """`flask --app wsgi catalog import PATH`."""
    return runner.invoke(args=["catalog", "import", str(path)])


def counts(result) -> tuple[int, int, int]:
    """(added, changed, removed) as the command printed them."""
    match = re.search(r"added (\d+), changed (\d+), removed (\d+)", result.output)
    assert match, result.output
    return int(match[1]), int(match[2]), int(match[3])


def snapshot(app) -> dict:
    """Everything an import can change, as plain values."""
    from shop.extensions import db

    with app.app_context():
        session = db.session
        grades = {g.sku: (g.variety.slug, g.name, g.price_fen, g.weight_g, g.height_cm, g.diameter_mm)
                  for g in session.execute(sa.select(Grade)).scalars()}
        stock = sorted(session.execute(
            sa.select(Grade.sku, Base.name, Stock.quantity).join(Stock.grade).join(Stock.base)).all())
        return {
            "categories": sorted(session.execute(sa.select(Category.slug, Category.name)).all()),
            "varieties": sorted(session.execute(sa.select(Variety.slug, Variety.name, Variety.featured)).all()),
            "grades": grades,
            "stock": [tuple(row) for row in stock],
        }


def stock_of(app, sku: str) -> dict[str, int]:
    """Plants of one SKU by base name (a base with no row holds 0)."""
    from shop.extensions import db

    with app.app_context():
        rows = db.session.execute(
            sa.select(Base.name, sa.func.coalesce(Stock.quantity, 0))
            .select_from(Base)
            .outerjoin(Stock, sa.and_(Stock.base_id == Base.id,
                                      Stock.grade_id == sa.select(Grade.id).where(Grade.sku == sku).scalar_subquery()))
        ).all()
        return {name: quantity for name, quantity in rows}


@pytest.fixture
def empty_runner(empty_app):
    return empty_app.test_cli_runner()


# --- loading and re-loading -------------------------------------------------------------------------------------


def test_first_import_loads_every_row_into_an_empty_database(empty_app, empty_runner):
    rows = catalog_rows()
    result = import_catalog(empty_runner, CATALOG)
    assert result.exit_code == 0, result.output
    assert counts(result) == (len(rows), 0, 0)
    loaded = snapshot(empty_app)
    assert set(loaded["grades"]) == {r["sku"] for r in rows}
    assert len(loaded["categories"]) == len({r["category_slug"] for r in rows}) == 18
    walnut = loaded["grades"]["WAL-8518-G1"]
    assert walnut[0] == "walnut-8518" and walnut[2] == 500  # ¥5.00 as fen
    assert stock_of(empty_app, "WAL-8518-G1") == {"平邑": 82000, "临沭": 21800}


def test_importing_the_same_file_again_changes_nothing(app, runner):
    before = snapshot(app)
    result = import_catalog(runner, CATALOG)
    assert result.exit_code == 0, result.output
    assert counts(result) == (0, 0, 0)
    assert snapshot(app) == before


def test_an_edited_row_is_reported_as_changed_by_its_sku(app, runner, tmp_path):
    rows = catalog_rows()
    shine = next(r for r in rows if r["sku"] == "GRP-SHINE-C1")
    shine["price"] = "2.60"
    beet = next(r for r in rows if r["sku"] == "GRP-BEET-C1")
    beet["stock"] = "平邑=100;临沭=7"
    result = import_catalog(runner, write_catalog(tmp_path / "edited.csv", rows))
    assert result.exit_code == 0, result.output
    assert counts(result) == (0, 2, 0)
    assert re.search(r"changed: .*GRP-SHINE-C1", result.output) and "GRP-BEET-C1" in result.output
    assert snapshot(app)["grades"]["GRP-SHINE-C1"][2] == 260
    assert stock_of(app, "GRP-BEET-C1") == {"平邑": 100, "临沭": 7}


def test_a_row_left_out_is_removed_and_a_new_row_added(app, runner, tmp_path):
    rows = catalog_rows()
    dropped = rows.pop(3)
    new = dict(rows[0], sku="GRP-SHINE-C3", grade="三级扦插苗", price="1.80", stock="平邑=10")
    rows.append(new)
    result = import_catalog(runner, write_catalog(tmp_path / "fewer.csv", rows))
    assert result.exit_code == 0, result.output
    assert counts(result) == (1, 0, 1)
    assert f"removed: {dropped['sku']}" in result.output and "added: GRP-SHINE-C3" in result.output
    grades = snapshot(app)["grades"]
    assert dropped["sku"] not in grades and grades["GRP-SHINE-C3"][2] == 180


# --- a bad file changes nothing and names every bad row -----------------------------------------------------------


def test_a_file_with_several_bad_rows_changes_nothing_and_names_each_line(app, runner, tmp_path):
    rows = catalog_rows()
    bad = {  # index in rows → (what is wrong, what the message must mention)
        1: ("price", "abc"), 4: ("price", "-1"), 6: ("price", "1.234"), 10: ("price", "0"),
        12: ("stock", "济南=5"), 15: ("sku", rows[2]["sku"]), 20: ("stock", "平邑=-3"),
    }
    for index, (column, value) in bad.items():
        rows[index][column] = value
    rows[30]["price"] = "3.20"  # a good edit in the same file must not be applied either
    before = snapshot(app)
    result = import_catalog(runner, write_catalog(tmp_path / "bad.csv", rows))
    assert result.exit_code != 0
    assert snapshot(app) == before
    named = {int(n) for n in re.findall(r"line (\d+):", result.output)}
    assert named == {index + 2 for index in bad}, result.output
    assert "济南" in result.output and "duplicate SKU" in result.output and "1.234" in result.output
    assert "Traceback" not in result.output


def test_a_file_missing_a_column_changes_nothing_and_names_the_column(app, runner, tmp_path):
    rows = catalog_rows()
    columns = [c for c in rows[0] if c != "price"]
    before = snapshot(app)
    result = import_catalog(runner, write_catalog(tmp_path / "no-price.csv", rows, columns=columns))
    assert result.exit_code != 0
    assert "line 1:" in result.output and "price" in result.output
    assert snapshot(app) == before


def test_a_gbk_file_changes_nothing_and_names_the_lines_that_are_not_utf8(app, runner, tmp_path):
    rows = catalog_rows()[:5]
    rows[2] = dict(rows[2], variety="Shine", category="Grape", grade="G1", roots="", standard="", note="")
    rows[2] = {k: v if v.isascii() else "x" for k, v in rows[2].items()}
    before = snapshot(app)
    result = import_catalog(runner, write_catalog(tmp_path / "gbk.csv", rows, encoding="gbk"))
    assert result.exit_code != 0
    assert "UTF-8" in result.output
    assert {int(n) for n in re.findall(r"line (\d+):", result.output)} == {2, 3, 5, 6}  # line 4 is plain ASCII
    assert snapshot(app) == before


def test_a_missing_file_is_a_clear_error(empty_runner, tmp_path):
    result = import_catalog(empty_runner, tmp_path / "nowhere.csv")
    assert result.exit_code != 0
    assert "no such file" in result.output


# --- set-stock ------------------------------------------------------------------------------------------------------


def set_stock(runner, sku: str, quantity: str, base: str | None = None):
    """`flask --app wsgi catalog set-stock SKU N [--base NAME]`."""
    return runner.invoke(args=["catalog", "set-stock", sku, quantity, *(["--base", base] if base else [])])


def test_set_stock_without_a_base_puts_all_of_it_at_the_first_base(app, runner):
    assert stock_of(app, "WAL-8518-G1") == {"平邑": 82000, "临沭": 21800}
    result = set_stock(runner, "WAL-8518-G1", "500")
    assert result.exit_code == 0, result.output
    assert stock_of(app, "WAL-8518-G1") == {"平邑": 500, "临沭": 0}
    assert "82000 → 500" in result.output and "21800 → 0" in result.output


def test_set_stock_at_one_base_leaves_the_other_alone(app, runner):
    result = set_stock(runner, "WAL-8518-G1", "0", base="临沭")
    assert result.exit_code == 0, result.output
    assert stock_of(app, "WAL-8518-G1") == {"平邑": 82000, "临沭": 0}
    result = set_stock(runner, "BLU-BLUECROP-B1", "40", base="平邑")  # a base that held no row for it
    assert result.exit_code == 0, result.output
    assert stock_of(app, "BLU-BLUECROP-B1") == {"平邑": 40, "临沭": 12700}


def test_set_stock_shows_on_the_storefront_at_once(app, runner):
    client = app.test_client()
    assert "8.2万株" in client.get("/v/walnut-8518").get_data(as_text=True)
    set_stock(runner, "WAL-8518-G1", "1234", base="平邑")
    page = client.get("/v/walnut-8518").get_data(as_text=True)
    assert "1,234 株" in page and "8.2万株" not in page


@pytest.mark.parametrize(("sku", "quantity", "base", "message"), [
    ("NO-SUCH-SKU", "5", None, "unknown SKU NO-SUCH-SKU"),
    ("WAL-8518-G1", "5", "济南", "unknown base 济南"),
    ("WAL-8518-G1", "-5", None, "-5"),
    ("WAL-8518-G1", "many", None, "many"),
])
def test_set_stock_refuses_what_it_cannot_do_and_changes_nothing(app, runner, sku, quantity, base, message):
    before = snapshot(app)
    result = set_stock(runner, sku, quantity, base)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert snapshot(app) == before


def test_a_grade_already_ordered_can_be_removed_and_the_order_keeps_its_line(app, runner, tmp_path):
    from shop.extensions import db
    from shop.orders.models import OrderLine
    from tests.actions import MM_C2, buy

    number = buy(app.test_client(), (MM_C2, 300))["number"]
    rows = [r for r in catalog_rows() if r["sku"] != MM_C2]
    result = import_catalog(runner, write_catalog(tmp_path / "without.csv", rows))
    assert result.exit_code == 0, result.output
    assert counts(result) == (0, 0, 1) and f"removed: {MM_C2}" in result.output
    with app.app_context():
        line = db.session.execute(sa.select(OrderLine).where(OrderLine.sku == MM_C2)).scalar_one()
        assert (line.grade_id, line.variety, line.quantity) == (None, "美人指", 300)
    order = app.test_client().get(f"/api/v1/orders/{number}?phone=13812345678")
    assert order.status_code == 200 and order.get_json()["items"][0]["sku"] == MM_C2
