"""Time the customer archive page at 10,000 customers and 100,000 orders, against the desk's dealer page.

Run: .venv/bin/python bench/customers_bench.py [--customers N] [--orders M]   (in-process, on a fresh SQLite
database filled by `flask customers synthesize`; both pages measured warm in the same run, as medians; the
ratio is what matters). It also counts the archive's SQL statements, which do not grow with the data.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPEAT = 5


def median_ms(action, repeat: int = REPEAT) -> float:
    action()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from shop import create_app
    from shop.customers import synth
    from shop.desk.models import User
    from shop.extensions import db

    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=10 * 10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shop-customers-bench-") as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            started = time.perf_counter()
            synth.make(customers=args.customers, orders=args.orders, seed=1)
            made = time.perf_counter() - started
            user = User(username="bench", role="staff")
            user.set_password("bench-password-1")
            db.session.add(user)
            db.session.commit()
        client = app.test_client()
        with app.app_context():
            db.session.remove()
        page = client.get("/desk/login").get_data(as_text=True)
        import re

        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
        client.post("/desk/login", data={"username": "bench", "password": "bench-password-1", "csrf_token": token})

        def get(url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        seen = []
        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(1))
        get("/desk/customers")
        queries = len(seen)
        archive = median_ms(lambda: get("/desk/customers"))
        baseline = median_ms(lambda: get("/desk/dealers"))
    print(f"synthesized {args.customers} customers and {args.orders} orders in {made:.1f} s")
    print(f"GET /desk/customers: {archive:.0f} ms ({queries} SQL statements); GET /desk/dealers: {baseline:.0f} ms")
    print(f"ratio: {archive / baseline:.1f} (the archive over the dealer page, same run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
