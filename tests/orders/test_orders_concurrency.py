"""Forty buyers race for fifty plants over real HTTP to a multi-threaded server: no one gets plants twice."""

from __future__ import annotations

import http.client
import json
import threading
from collections import Counter

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from tests.actions import KYOHO_C2, MM_C2, order_body, stock_of

BUYERS = 40
PLANTS_EACH = 5


@pytest.fixture
def server(app):
    """The shop served by werkzeug with a thread per request, on a free local port."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join(timeout=10)


def post_json(port: int, path: str, body: dict) -> tuple[int, dict]:
    """One buyer's request on its own connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else {}
    finally:
        connection.close()


def race(port: int, bodies: list[dict]) -> list[tuple[int, dict]]:
    """Send all bodies at the same moment from one thread each."""
    start = threading.Barrier(len(bodies))
    results: list[tuple[int, dict] | None] = [None] * len(bodies)

    def buyer(i: int) -> None:
        start.wait()
        try:
            results[i] = post_json(port, "/api/v1/orders", bodies[i])
        except Exception as err:  # a dropped connection counts as a failure of the server
            results[i] = (599, {"error": {"code": "connection", "message": repr(err)}})

    threads = [threading.Thread(target=buyer, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert all(r is not None for r in results), "a buyer never got an answer"
    return results


def held_for_orders(app) -> int:
    """Plants held by allocations of the orders stored."""
    from shop.extensions import db
    from shop.orders.models import Allocation

    with app.app_context():
        value = db.session.execute(sa.select(sa.func.coalesce(sa.func.sum(Allocation.quantity), 0))).scalar()
        db.session.remove()
        return int(value)


def phone(i: int) -> str:
    return f"139{i:08d}"


@pytest.mark.parametrize("bases", [["平邑"], ["平邑", "临沭"]], ids=["one-base", "split-over-two-bases"])
def test_forty_buyers_of_five_plants_share_a_stock_of_fifty(app, runner, server, bases):
    for base in ("平邑", "临沭"):
        share = 50 // len(bases) if base in bases else 0
        result = runner.invoke(args=["catalog", "set-stock", MM_C2, str(share), "--base", base])
        assert result.exit_code == 0, result.output
    assert stock_of(app, MM_C2) == 50

    bodies = [order_body((MM_C2, PLANTS_EACH), method="pickup", pickup_base=None, phone=phone(i)) for i in range(BUYERS)]
    results = race(server, bodies)

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 10, 409: 30}, [r for r in results if r[0] not in (201, 409)][:3]
    assert all(body["error"]["code"] == "insufficient_stock" for status, body in results if status == 409)
    numbers = [body["number"] for status, body in results if status == 201]
    assert len(set(numbers)) == 10
    assert stock_of(app, MM_C2) == 0
    assert held_for_orders(app) == 50


def test_an_order_refused_in_the_race_holds_nothing_of_its_other_lines(app, runner, server):
    runner.invoke(args=["catalog", "set-stock", MM_C2, "50"])
    kyoho = stock_of(app, KYOHO_C2)
    bodies = [order_body((KYOHO_C2, 3), (MM_C2, PLANTS_EACH), method="pickup", pickup_base=None, phone=phone(i))
              for i in range(BUYERS)]
    results = race(server, bodies)
    assert Counter(status for status, _ in results) == {201: 10, 409: 30}
    assert (stock_of(app, MM_C2), stock_of(app, KYOHO_C2)) == (0, kyoho - 30)
