"""Staff on a tablet confirm a bank transfer, dispatch the order and print its contract (headless Chromium)."""

from __future__ import annotations

import io
import json
import re
import urllib.request
from datetime import datetime

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.actions import SHANGHAI, order_body
from tests.browser.conftest import PHONE, TABLET, open_context

pytestmark = pytest.mark.browser

PHONE_NUMBER = "13800000000"
CARRIER, TRACKING, CERT = "中国邮政", "9876543210123", "鲁临检字2025-0042"


def create_staff(app, name: str, password: str) -> None:
    """`flask users create-staff NAME --role staff`, typing the password twice."""
    result = app.test_cli_runner().invoke(args=["users", "create-staff", name, "--role", "staff"],
                                          input=f"{password}\n{password}\n")
    assert result.exit_code == 0, result.output
    assert f"created staff {name}" in result.output


def order_by_bank_transfer(base_url: str, sku: str, plants: int) -> dict:
    """POST /api/v1/orders over real HTTP, as a shop integration would; returns the 201 body."""
    body = order_body((sku, plants), name="王小明", phone=PHONE_NUMBER)
    request = urllib.request.Request(f"{base_url}/api/v1/orders", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 201
        return json.load(response)


def log_in(page, name: str, password: str) -> None:
    page.goto("/desk/login")
    page.locator("#username").fill(name)
    page.locator("#password").fill(password)
    page.locator("#login").click()
    page.wait_for_url(re.compile(r"/desk/$"))


def queue(page, section_id: str):
    """One queue of the desk's front page."""
    return page.locator(f"section#{section_id}")


def test_staff_confirm_the_transfer_dispatch_and_print_the_contract(app, browser, live_server, tmp_path):
    create_staff(app, "clerk", "pw-1234567")
    order = order_by_bank_transfer(live_server, "WAL-8518-G1", 300)
    number, total = order["number"], order["total"]
    assert order["status"] == "pending_payment" and order["payment"]["method"] == "bank_transfer"
    assert total == "1500.00"  # 300 × ¥5.00, post is free from ¥1000 of goods

    desk = open_context(browser, live_server, TABLET)
    page = desk.new_page()
    page.goto("/desk/")
    page.wait_for_url(re.compile(r"/desk/login"))  # anonymous: sent to the login
    log_in(page, "clerk", "pw-1234567")

    to_confirm = queue(page, "queue-confirm")
    expect(to_confirm.locator("tr", has_text=number)).to_contain_text("¥1,500.00")
    expect(queue(page, "queue-dispatch")).not_to_contain_text(number)
    to_confirm.get_by_role("link", name=number).click()
    page.wait_for_url(re.compile(rf"/desk/orders/{number}$"))
    expect(page.locator("#desk-status")).to_have_attribute("data-status", "pending_payment")

    confirm = page.locator("#confirm-form")
    confirm.locator("#amount").fill(total)
    confirm.locator("#reference").fill(f"附言 {number}")
    confirm.get_by_role("button", name="确认收款").click()
    expect(page.locator("p.flash")).to_contain_text("已确认收款")
    expect(page.locator("#desk-status")).to_have_attribute("data-status", "awaiting_dispatch")
    expect(page.locator("main")).to_contain_text("最迟发货")

    page.locator("header.top nav").get_by_role("link", name="工作台").click()
    page.wait_for_url(re.compile(r"/desk/$"))
    expect(queue(page, "queue-confirm")).not_to_contain_text(number)
    to_dispatch = queue(page, "queue-dispatch").locator("tr", has_text=number)
    expect(to_dispatch).to_contain_text("合同未打印")
    to_dispatch.get_by_role("link", name=number).click()

    dispatch = page.locator("#dispatch-form")
    dispatch.locator("#base").select_option("平邑县种苗基地")
    dispatch.locator("#carrier").fill(CARRIER)
    dispatch.locator("#tracking_number").fill(TRACKING)
    dispatch.locator("#quarantine_cert").fill(CERT)
    dispatch.locator("#cert_issued_on").fill(datetime.now(SHANGHAI).date().isoformat())
    dispatch.get_by_role("button", name="确认发货").click()
    expect(page.locator("p.flash")).to_contain_text("已发货")
    expect(page.locator("#desk-status")).to_have_attribute("data-status", "dispatched")
    expect(page.locator("main")).to_contain_text(f"{CARRIER} {TRACKING}")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="打印合同").click()
    download = download_info.value
    assert download.suggested_filename == f"contract-{number}.pdf"
    pdf = (tmp_path / "contract.pdf")
    download.save_as(pdf)
    body = pdf.read_bytes()
    assert body.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert number in text
    assert "王小明" in text and "8518" in text

    page.locator("header.top nav").get_by_role("link", name="工作台").click()
    expect(queue(page, "queue-dispatch")).not_to_contain_text(number)
    expect(queue(page, "queue-dispatched").locator("tr", has_text=number)).to_contain_text(TRACKING)
    desk.close()

    # The customer, in another browser, finds the order by number and phone and sees where it is.
    customer = open_context(browser, live_server, PHONE)
    page = customer.new_page()
    page.goto(f"/orders/{number}")
    page.wait_for_url(re.compile(r"/orders/find"))  # a stranger's browser needs the phone
    expect(page.locator("#number")).to_have_value(number)
    page.locator("#phone").fill(PHONE_NUMBER)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(rf"/orders/{number}$"))
    expect(page.locator("#order-status")).to_have_attribute("data-status", "dispatched")
    expect(page.locator("#tracking")).to_contain_text(CARRIER)
    expect(page.locator("#tracking")).to_contain_text(TRACKING)
    expect(page.locator("main")).to_contain_text(CERT)
    customer.close()
