"""Time a dealer's 200-line bulk entry: parse 200 pasted lines and quote them, against a one-line quote.

Run: .venv/bin/python bench/bulk_bench.py   (in-process, on a fresh SQLite database with catalog.csv; the ratio
is what matters: both are measured in the same run, warm, as medians)
"""

import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LINES = 200
REPEAT = 15


def priced_grades(n: int) -> list[tuple[str, str, str]]:
    """(sku, variety, grade) of n priced grades with stock, from catalog.csv."""
    with (ROOT / "catalog.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["price"] and r["stock"]
                and sum(int(part.split("=")[1]) for part in r["stock"].split(";")) > 100]
    return [(r["sku"], r["variety"], r["grade"]) for r in rows[:n]]


def median_ms(action, repeat: int = REPEAT) -> float:
    action()  # warm: caches, the catalog tree
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    from flask_migrate import upgrade

    from shop import create_app
    from shop.catalog import importer
    from shop.extensions import db

    with tempfile.TemporaryDirectory(prefix="shop-bulk-bench-") as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "SECRET_KEY": "bench-" * 8})
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            bases = set(db.session.execute(db.text("SELECT name FROM base")).scalars())
            importer.apply(importer.parse((ROOT / "catalog.csv").read_bytes(), bases))
            db.session.commit()
        client = app.test_client()
        grades = priced_grades(LINES)
        if len(grades) < LINES:
            print(f"only {len(grades)} priced grades with stock in catalog.csv; timing those")
        text = "\n".join(f"{sku} 10" for sku, _, _ in grades)
        items = [{"sku": sku, "quantity": 10} for sku, _, _ in grades]
        shipping = {"method": "pickup"}

        def one_line():
            response = client.post("/api/v1/quote", json={"items": items[:1], "shipping": shipping})
            assert response.status_code == 200, response.get_json()

        def bulk():
            parsed = client.post("/api/v1/order-lines/parse", json={"text": text})
            assert parsed.status_code == 200, parsed.get_json()
            good = [{"sku": line["sku"], "quantity": line["quantity"]} for line in parsed.get_json()["lines"]
                    if line["status"] == "ok"]
            quoted = client.post("/api/v1/quote", json={"items": good, "shipping": shipping})
            assert quoted.status_code == 200, quoted.get_json()

        single, whole = median_ms(one_line), median_ms(bulk)
    print(f"one-line quote: {single:.1f} ms (median of {REPEAT})")
    print(f"{len(grades)}-line parse + quote: {whole:.1f} ms (median of {REPEAT})")
    print(f"ratio: {whole / single:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
