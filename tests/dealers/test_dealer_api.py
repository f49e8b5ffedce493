"""Dealers through the API: tokens (missing, wrong, revoked), the dealer price, their own orders only,
Idempotency-Key retries (sequential and concurrent), and the operator's CLI."""

from __future__ import annotations

import http.client
import json
import threading

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from tests.actions import KYOHO_C2, MM_C2, database, order_body, run, stored

PLACE = {"province": "山东省", "city": "临沂市", "district": "平邑县", "address": "仲村镇示例路8号"}


def create_dealer(app, phone: str = "13900000001", company: str = "临沂示例果苗经销部") -> str:
    """An operator creates an approved dealer and gives them a token; the token."""
    made = run(app, "dealers", "create", "--company", company, "--name", "赵经理", "--phone", phone,
               "--region", "山东临沂")
    assert made.exit_code == 0, made.output
    assert made.output.strip().isdigit()
    issued = run(app, "dealers", "token", phone, "--label", "进销存")
    assert issued.exit_code == 0, issued.output
    return issued.output.strip()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def dealer_order(**extra) -> dict:
    """An order body without `customer`: the dealer orders as themselves."""
    body = order_body((KYOHO_C2, 20), method="pickup", **extra)
    body.pop("customer")
    return body


@pytest.fixture
def token(app):
    return create_dealer(app)


def test_me_says_who_the_token_is(client, token):
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.get_json()["dealer"] == {"company": "临沂示例果苗经销部", "name": "赵经理", "phone": "13900000001",
                                             "region": "山东临沂", "status": "approved"}
    assert response.get_json()["credit"] == {  # no credit granted yet
        "limit": "0.00", "terms_days": 30, "outstanding": "0.00", "available": "0.00", "overdue": "0.00",
        "oldest_overdue_days": 0, "balance": "0.00", "warning": False}


@pytest.mark.parametrize("header", [None, "Bearer mmd_wrong", "Basic abc", "Bearer ", "Bearer " + "x" * 300])
def test_a_missing_or_wrong_token_is_a_401_json_error(client, token, header):
    response = client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    if header:  # a wrong token is refused on every call, not only on the dealer's own
        assert client.post("/api/v1/quote", json={"items": [], "shipping": {}},
                           headers={"Authorization": header}).status_code == 401


def test_a_revoked_token_is_refused_and_a_suspended_dealer_pays_retail(app, client, token):
    from shop.dealers import accounts, tokens
    from shop.dealers.models import ApiToken

    second = run(app, "dealers", "token", "13900000001").output.strip()
    with database(app) as db:
        row = db.session.execute(sa.select(ApiToken).where(ApiToken.token_hash == ApiToken.digest(token))).scalar()
        assert tokens.revoke(row, "赵经理") and not tokens.revoke(row, "赵经理")
        db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(second)).status_code == 200
    assert run(app, "dealers", "suspend", "13900000001", "--reason", "欠款").exit_code == 0
    suspended = client.get("/api/v1/me", headers=bearer(second))
    assert suspended.status_code == 200 and suspended.get_json()["dealer"]["status"] == "suspended"
    body = {"items": [{"sku": KYOHO_C2, "quantity": 10}], "shipping": {"method": "pickup"}}
    assert client.post("/api/v1/quote", json=body, headers=bearer(second)).get_json()["discount_reason"] is None
    assert run(app, "dealers", "reactivate", "13900000001").exit_code == 0
    again = client.post("/api/v1/quote", json=body, headers=bearer(second))
    assert again.get_json()["discount_reason"] == "dealer"
    with database(app) as db:
        assert accounts.by_phone("13900000001").status == "approved"


def test_tokens_are_stored_hashed(app, token):
    from shop.dealers.models import ApiToken

    with database(app) as db:
        hashes = db.session.execute(sa.select(ApiToken.token_hash)).scalars().all()
    assert token not in hashes and ApiToken.digest(token) in hashes and token.startswith("mmd_")


def test_a_dealer_gets_seven_tenths_at_any_quantity_and_retail_does_not(client, token):
    body = {"items": [{"sku": KYOHO_C2, "quantity": 10}], "shipping": {"method": "pickup"}}
    retail = client.post("/api/v1/quote", json=body).get_json()
    dealer = client.post("/api/v1/quote", json=body, headers=bearer(token)).get_json()
    assert (retail["discount_reason"], retail["discount"]) == (None, "0.00")
    assert (dealer["discount_reason"], dealer["subtotal"], dealer["discount"]) == ("dealer", "6.00", "1.80")


def test_a_dealers_order_is_theirs_and_nobody_elses(app, client, token):
    other = create_dealer(app, phone="13900000002", company="另一家经销部")
    placed = client.post("/api/v1/orders", json=dealer_order(), headers=bearer(token))
    assert placed.status_code == 201, placed.get_json()
    order = placed.get_json()
    assert order["discount_reason"] == "dealer" and order["customer"] == {"name": "赵经理", "phone": "13900000001"}
    assert stored(app, order["number"]).dealer_id is not None

    mine = client.get(f"/api/v1/orders/{order['number']}", headers=bearer(token))
    theirs = client.get(f"/api/v1/orders/{order['number']}", headers=bearer(other))
    assert mine.status_code == 200 and theirs.status_code == 404
    listed = client.get("/api/v1/orders", headers=bearer(token)).get_json()
    assert [o["number"] for o in listed["orders"]] == [order["number"]] and listed["total"] == 1
    assert client.get("/api/v1/orders", headers=bearer(other)).get_json()["orders"] == []
    assert client.get("/api/v1/orders").status_code == 401


def test_the_order_list_is_newest_first_and_paginated(client, token):
    numbers = [client.post("/api/v1/orders", json=dealer_order(), headers=bearer(token)).get_json()["number"]
               for _ in range(3)]
    first = client.get("/api/v1/orders?per_page=2", headers=bearer(token)).get_json()
    second = client.get("/api/v1/orders?per_page=2&page=2", headers=bearer(token)).get_json()
    assert [o["number"] for o in first["orders"] + second["orders"]] == numbers[::-1]
    assert first["total"] == 3 and first["orders"][0]["lines"] == 1
    for bad in ("page=0", "per_page=101", "page=x", "per_page=-1"):
        assert client.get(f"/api/v1/orders?{bad}", headers=bearer(token)).status_code == 400


def test_a_retry_with_the_same_key_returns_the_same_order(app, client, token):
    headers = {**bearer(token), "Idempotency-Key": "ERP-2026-0001"}
    first = client.post("/api/v1/orders", json=dealer_order(), headers=headers)
    again = client.post("/api/v1/orders", json=dealer_order(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["number"] == again.get_json()["number"]
    other_body = client.post("/api/v1/orders", json=dealer_order(payment_method="bank_transfer",
                                                                  accept_contract=True, extra="x"), headers=headers)
    assert other_body.status_code == 422 and other_body.get_json()["error"]["code"] == "idempotency_conflict"
    with database(app) as db:
        from shop.orders.models import Order

        assert db.session.execute(sa.select(sa.func.count(Order.id))).scalar() == 1


def test_a_refused_order_frees_its_key(client, token):
    headers = {**bearer(token), "Idempotency-Key": "ERP-2026-0002"}
    small = dealer_order(shipping={"method": "post", **PLACE})  # below the 200元 minimum for post
    assert client.post("/api/v1/orders", json=small, headers=headers).status_code == 422
    fixed = client.post("/api/v1/orders", json=dealer_order(), headers=headers)
    assert fixed.status_code == 201


@pytest.mark.parametrize("key", ["x" * 256, "键", "a\x01b", "   "])
def test_a_malformed_key_is_a_400(client, token, key):
    try:
        response = client.post("/api/v1/orders", json=dealer_order(), headers={**bearer(token),
                                                                               "Idempotency-Key": key})
    except (ValueError, UnicodeEncodeError):  # the test client itself refuses to send it
        return
    assert response.status_code == 400


@pytest.fixture
def server(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join(timeout=10)


def test_ten_concurrent_retries_with_one_key_make_one_order(app, server, token):
    start = threading.Barrier(10)
    results: list = [None] * 10
    body = json.dumps(dealer_order(items=[{"sku": MM_C2, "quantity": 30}]))

    def retry(i: int) -> None:
        start.wait()
        connection = http.client.HTTPConnection("127.0.0.1", server, timeout=60)
        try:
            connection.request("POST", "/api/v1/orders", body=body, headers={
                "Content-Type": "application/json", "Idempotency-Key": "ERP-RACE-1", **bearer(token)})
            response = connection.getresponse()
            results[i] = (response.status, json.loads(response.read()))
        finally:
            connection.close()

    threads = [threading.Thread(target=retry, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)

    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 1 and set(statuses) <= {200, 201}, results
    assert len({document["number"] for _, document in results}) == 1
    from shop.orders.models import Order

    with database(app) as db:
        assert db.session.execute(sa.select(sa.func.count(Order.id))).scalar() == 1


def test_the_cli_refuses_bad_accounts(app):
    assert run(app, "dealers", "create", "--company", "A", "--name", "B", "--phone", "123").exit_code != 0
    assert run(app, "dealers", "create", "--company", "A", "--name", "B", "--phone", "13900000009",
               "--credit-code", "91110000600037341X").exit_code != 0  # wrong check digit
    assert run(app, "dealers", "create", "--company", "A", "--name", "B", "--phone", "13900000009",
               "--credit-code", "91110000600037341L").exit_code == 0
    assert run(app, "dealers", "create", "--company", "A", "--name", "B", "--phone", "13900000009").exit_code != 0
    assert run(app, "dealers", "token", "13900000000").exit_code != 0  # no such dealer


def test_the_openapi_document_describes_the_bearer_scheme_and_the_dealer_calls(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "a dealer's API token (mmd_…)"}
    assert document["paths"]["/api/v1/me"]["get"]["security"] == [{"bearerAuth": []}]
    assert set(document["paths"]["/api/v1/orders"]) == {"get", "post"}
    assert "401" in document["paths"]["/api/v1/quote"]["post"]["responses"]
    headers = [p["name"] for p in document["paths"]["/api/v1/orders"]["post"]["parameters"]]
    assert "Idempotency-Key" in headers


def test_a_200_line_dealer_quote_costs_the_same_queries_as_one_line(app, client, token):
    from tests.catalog.test_queries import counting_queries

    body = {"items": [{"sku": KYOHO_C2, "quantity": 10}], "shipping": {"method": "pickup"}}
    many = _priced_skus(app, 200)
    big = {"items": [{"sku": sku, "quantity": 1} for sku in many], "shipping": {"method": "pickup"}}
    client.post("/api/v1/quote", json=body, headers=bearer(token))  # warm: connections, the token's last use
    counts = []
    for each in (body, big):
        with counting_queries(app) as seen:
            response = client.post("/api/v1/quote", json=each, headers=bearer(token))
            assert response.status_code == 200 and response.get_json()["discount_reason"] == "dealer"
        counts.append(len(seen))
    assert counts[0] == counts[1], counts


def _priced_skus(app, n: int) -> list[str]:
    from shop.catalog.models import Grade

    with database(app) as db:
        return list(db.session.execute(sa.select(Grade.sku).where(Grade.price_fen.is_not(None))
                                       .order_by(Grade.id).limit(n)).scalars())
