"""Every order belongs to a customer: the phone's for retail, the dealer's for a dealer; racing first orders make one."""

from __future__ import annotations

import sqlalchemy as sa

from tests.actions import KYOHO_C2, buy, credit_dealer, database, order_body, order_on_account
from tests.orders.test_orders_concurrency import race, server  # noqa: F401  (the threaded server fixture)


def customers_of(app) -> dict[str, tuple[str, str, str, int]]:
    """key → (kind, name, region, orders) as stored."""
    with database(app) as db:
        return {k: (kind, name, region, n) for k, kind, name, region, n in db.session.execute(sa.text(
            "SELECT customer.key, customer.kind, customer.name, customer.region, COUNT(orders.id) FROM customer "
            "LEFT JOIN orders ON orders.customer_id = customer.id "
            "GROUP BY customer.key, customer.kind, customer.name, customer.region")).all()}


def test_a_phones_orders_share_one_customer_named_after_the_latest(app, client):
    buy(client, (KYOHO_C2, 500), phone="13800000001", name="张一")
    buy(client, (KYOHO_C2, 500), phone="13800000001", name="张一一")
    buy(client, (KYOHO_C2, 500), phone="13800000002", name="李二")
    assert customers_of(app) == {"retail:13800000001": ("retail", "张一一", "山东省临沂市", 2),
                                 "retail:13800000002": ("retail", "李二", "山东省临沂市", 1)}


def test_a_dealers_orders_belong_to_the_dealer_whoever_the_goods_are_for(app, client):
    token = credit_dealer(app, "13900000066", limit="5000.00", company="平邑示例苗木经销部")
    assert order_on_account(client, token).status_code == 201
    for_a_farmer = order_body((KYOHO_C2, 20), method="pickup", phone="13700000009", name="果农老孙")
    response = client.post("/api/v1/orders", json=for_a_farmer, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_json()
    with database(app) as db:
        dealer_id = db.session.execute(sa.text("SELECT id FROM dealer WHERE phone = '13900000066'")).scalar()
    assert customers_of(app) == {f"dealer:{dealer_id}": ("dealer", "平邑示例苗木经销部", "山东临沂", 2)}


def test_two_first_orders_from_one_phone_at_the_same_moment_make_one_customer(app, server):  # noqa: F811
    bodies = [order_body((KYOHO_C2, 500), phone="13800000077", name=f"同时{i}") for i in range(6)]
    results = race(server, bodies)
    assert [status for status, _ in results].count(201) == 6, results
    found = customers_of(app)
    assert list(found) == ["retail:13800000077"] and found["retail:13800000077"][3] == 6
