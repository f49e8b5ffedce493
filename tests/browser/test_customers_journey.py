"""Staff walk the customer archive on a 360 px phone: the list, a customer's page with a contact logged, outreach,
the charts; no page is wider than the screen (issue 11)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.actions import SHANGHAI, make_user, ordered_on, staff_client
from tests.browser.conftest import open_context
from tests.browser.test_phone_width import NARROW_PHONE, OVERFLOWING, WIDTH

pytestmark = pytest.mark.browser


def fits(page) -> None:
    """Nothing on the page reaches past the right edge of a 360 px screen."""
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url
    assert page.evaluate(OVERFLOWING, WIDTH) == [], page.url


def test_archive_customer_contact_and_outreach_at_360px(app, browser, live_server):
    today = datetime.now(SHANGHAI).date()
    client, desk = app.test_client(), staff_client(app, "录单员")
    for days in (90, 30):
        ordered_on(app, client, desk, today - timedelta(days=days), phone="13800000001", name="欧阳长名字果园合作社")
    ordered_on(app, client, desk, today - timedelta(days=500), phone="13800000002", name="老王", method="post")
    make_user(app, "回访员", "staff")

    context = open_context(browser, live_server, NARROW_PHONE)
    page = context.new_page()
    page.goto("/desk/login")
    page.locator("#username").fill("回访员")
    page.locator("#password").fill("correct horse 9")
    page.locator("#login").click()
    page.wait_for_url(re.compile(r"/desk/$"))

    page.goto("/desk/customers")
    expect(page.locator("#customers li.customer")).to_have_count(2)
    fits(page)
    page.locator("select[name=segment]").select_option("dormant")
    page.locator("#filters button[type=submit]").click()
    expect(page.locator("#customers li.customer")).to_have_count(1)
    expect(page.locator("#customers")).to_contain_text("老王")
    page.goto("/desk/customers")

    page.locator("#customers a", has_text="欧阳长名字果园合作社").click()
    expect(page.locator("h1")).to_have_text("欧阳长名字果园合作社")
    fits(page)
    next_on = (today + timedelta(days=2)).isoformat()
    form = page.locator("#contact-form")
    form.locator("select[name=channel]").select_option("wechat")
    form.locator("input[name=outcome]").fill("微信回访：秋季要阳光玫瑰嫁接苗三千株")
    form.locator("input[name=next_contact_on]").fill(next_on)
    form.locator("button[type=submit]").click()
    expect(page.locator("#contact-log")).to_contain_text("微信回访：秋季要阳光玫瑰嫁接苗三千株")
    expect(page.locator("#standing")).to_contain_text(next_on)
    fits(page)

    page.locator(".top a", has_text="回访").click()
    expect(page.locator("h1")).to_have_text("本周回访")
    calls = page.locator("#calls li.call")
    expect(calls).to_have_count(2)  # the contact due in two days, and 老王: dormant and once the best customer
    expect(calls.first).to_contain_text("到期回访")
    calls.first.locator("summary").click()
    expect(calls.first.locator(".script")).to_contain_text("欧阳长名字果园合作社")
    fits(page)

    page.goto("/desk/customers/charts")
    expect(page.locator("svg.chart")).to_have_count(3)
    fits(page)

    page.goto("/desk/customers?lang=en")  # the same pages in English, with its longer words
    expect(page.locator("#customers li.customer")).to_have_count(2)
    fits(page)
    page.locator("#customers a", has_text="欧阳长名字果园合作社").click()
    fits(page)
    for path in ("/desk/outreach", "/desk/customers/charts", "/desk/certificates", "/desk/dispatch/batch"):
        page.goto(path + "?lang=en")
        fits(page)
    context.close()
