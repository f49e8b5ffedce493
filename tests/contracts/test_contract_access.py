"""Who gets a contract PDF, and the page that says whether a printed contract is genuine."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shop.money import format_money, parse_yuan
from tests.actions import (
    PHONE,
    buy,
    csrf_token,
    dispatch,
    pay_by_transfer,
    pdf_text,
    relative,
    staff_client,
    stand_in_regions,
)

VERIFY = re.compile(r"/verify/([A-Z0-9-]+\.[A-Z2-7]+)")
GENUINE = "真实有效"
NOT_OURS = "不是本店签发"


@pytest.fixture(autouse=True)
def _regions(monkeypatch):
    stand_in_regions(monkeypatch)


def pdf_path(order: dict) -> str:
    """The contract's address without any credential."""
    return relative(order["contract_url"]).split("?", 1)[0]


def stranger(app):
    """A browser that never placed or found the order."""
    return app.test_client()


def printed_code(client, order: dict) -> str:
    """The verification code from the URL printed under the QR code (wrapped lines joined)."""
    text = pdf_text(client.get(relative(order["contract_url"])).data)
    flat = re.sub(r"\s+", "", text)
    found = VERIFY.search(flat)
    assert found, "no verification URL on the contract"
    assert "http://localhost/verify/" + found.group(1) in flat
    return found.group(1)


def find_order(client, number: str, phone: str):
    """Look an order up by its number and phone, as a guest does on /orders/find."""
    return client.post("/orders/find", data={"number": number, "phone": phone,
                                             "csrf_token": csrf_token(client, "/orders/find")})


def changed(code: str) -> str:
    """The code with its last character replaced, as a forger would."""
    return code[:-1] + ("A" if code[-1] != "A" else "B")


# Access


def test_signed_link_from_the_api_opens_the_pdf_without_cookies(app, client):
    order = buy(client, ("GRP-SHINE-C1", 100))
    assert "?t=" in order["contract_url"]
    response = stranger(app).get(relative(order["contract_url"]))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert order["number"] in pdf_text(response.data)


def test_the_buyers_phone_opens_the_pdf(app, client):
    order = buy(client, ("GRP-SHINE-C1", 100))
    response = stranger(app).get(pdf_path(order), query_string={"phone": PHONE})
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


@pytest.mark.parametrize("query", [
    {"phone": "13800000001"},
    {"phone": ""},
    {"phone": "138"},
    {"t": "not-a-token"},
    {},
])
def test_wrong_or_missing_credentials_get_404(app, client, query):
    order = buy(client, ("GRP-SHINE-C1", 100))
    response = stranger(app).get(pdf_path(order), query_string=query)
    assert response.status_code == 404
    assert not response.data.startswith(b"%PDF")


def test_a_token_for_another_order_does_not_open_this_one(app, client):
    mine = buy(client, ("GRP-SHINE-C1", 100))
    theirs = buy(stranger(app), ("GRP-SHINE-C1", 100), name="赵六", phone="13900001111")
    token = relative(theirs["contract_url"]).split("?t=", 1)[1]
    assert stranger(app).get(pdf_path(mine), query_string={"t": token}).status_code == 404


def test_another_customers_browser_gets_404(app, client):
    order = buy(client, ("GRP-SHINE-C1", 100))
    other = stranger(app)
    theirs = buy(other, ("GRP-SHINE-C1", 100), name="赵六", phone="13900001111")
    assert find_order(other, theirs["number"], "13900001111").status_code == 303
    assert other.get(pdf_path(theirs)).status_code == 200  # their browser now knows their own order
    assert other.get(pdf_path(order)).status_code == 404
    assert find_order(client, order["number"], PHONE).status_code == 303
    assert client.get(pdf_path(order)).status_code == 200


def test_staff_get_any_contract(app, client):
    order = buy(client, ("GRP-SHINE-C1", 100))
    response = staff_client(app).get(pdf_path(order))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_unknown_order_is_404_even_for_staff(app):
    assert staff_client(app).get("/orders/MM20260101-NOSUCHORDER/contract.pdf").status_code == 404
    assert stranger(app).get("/orders/../../etc/passwd/contract.pdf").status_code == 404


def test_the_order_page_links_to_the_contract(app, client):
    order = buy(client, ("GRP-SHINE-C1", 100))
    find_order(client, order["number"], PHONE)
    html = client.get(f"/orders/{order['number']}").get_data(as_text=True)
    link = re.search(r'id="contract-link" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert stranger(app).get(link).status_code == 200


# Verification


def test_printed_code_opens_a_page_saying_genuine_with_masked_buyer(app, client):
    order = buy(client, ("GRP-SHINE-C1", 100))
    code = printed_code(client, order)
    response = stranger(app).get(f"/verify/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert GENUINE in page and NOT_OURS not in page
    assert order["number"] in page
    assert "138****5678" in page and PHONE not in page
    assert format_money(parse_yuan(order["total"])) in page
    placed = datetime.fromisoformat(order["created_at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    assert placed.date().isoformat() in page


@pytest.mark.parametrize("forge", [
    changed,
    lambda code: code.split(".")[0],
    lambda code: code.split(".")[0] + ".",
    lambda code: "MM20260101-NOSUCHORDER." + code.split(".")[1],
    lambda code: code + "A",
    lambda code: "x" * 300,
])
def test_altered_or_unknown_code_is_not_genuine(app, client, forge):
    code = printed_code(client, buy(client, ("GRP-SHINE-C1", 100)))
    response = stranger(app).get(f"/verify/{forge(code)}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert NOT_OURS in page and GENUINE not in page


def test_code_of_one_order_with_the_number_of_another_is_not_genuine(app, client):
    first = printed_code(client, buy(client, ("GRP-SHINE-C1", 100)))
    second = printed_code(client, buy(client, ("GRP-SHINE-C1", 200)))
    swapped = second.split(".")[0] + "." + first.split(".")[1]
    response = stranger(app).get(f"/verify/{swapped}")
    assert response.status_code == 404 and NOT_OURS in response.get_data(as_text=True)


def test_code_made_with_another_secret_is_not_genuine(app, client):
    order = buy(client, ("GRP-SHINE-C1", 100))
    code = printed_code(client, order)
    app.config["SECRET_KEY"] = "another-server"
    assert stranger(app).get(f"/verify/{code}").status_code == 404


def test_code_stays_genuine_after_payment_and_dispatch(app, client):
    order = buy(client, ("GRP-SHINE-C1", 100))
    code = printed_code(client, order)
    desk = staff_client(app)
    pay_by_transfer(desk, order)
    dispatch(desk, order["number"])
    assert stranger(app).get(f"/verify/{code}").status_code == 200
    assert printed_code(client, order) == code
