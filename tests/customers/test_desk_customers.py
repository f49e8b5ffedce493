"""The desk's archive, a customer's page (notes, contact log, 重大变故), outreach, the CSV export and the charts."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest

from tests.actions import (
    SHANGHAI,
    customer_id,
    log_contact,
    ordered_on,
    page_text,
    staff_client,
    submit,
)


def today() -> date:
    from datetime import datetime

    return datetime.now(SHANGHAI).date()


@pytest.fixture
def shop(app):
    """A staff desk and three retail customers as of today: a regular (VIP), a small one, one silent for 400 days."""
    client, desk = app.test_client(), staff_client(app)
    for days in (100, 40, 10):
        ordered_on(app, client, desk, today() - timedelta(days=days), phone="13800000001", name="张一", plants=900)
    ordered_on(app, client, desk, today() - timedelta(days=20), phone="13800000002", name="=HYPERLINK(\"x\")")
    for days in (400, 420):  # posted to 山东省临沂市
        ordered_on(app, client, desk, today() - timedelta(days=days), phone="13800000003", name="老王", plants=900,
                   method="post")
    return desk


def listed(desk, query: str = "") -> list[str]:
    page = desk.get(f"/desk/customers{query}")
    assert page.status_code == 200
    return re.findall(r'<li class="card customer" id="customer-\d+"[^>]*>\s*<a [^>]*><b>([^<]+)</b>',
                      page.get_data(as_text=True))


def test_the_archive_filters_by_grade_segment_warning_kind_and_region_and_sorts(app, shop):
    assert listed(shop) == ["张一", "=HYPERLINK(&#34;x&#34;)", "老王"]  # by value: 1620, 300, 0 (dormant)
    assert listed(shop, "?grade=A") == ["张一"]
    assert listed(shop, "?segment=dormant") == ["老王"]
    assert listed(shop, "?segment=ordinary") == []  # the 300 crosses 95% of 1920: B
    assert listed(shop, "?segment=key") == ["=HYPERLINK(&#34;x&#34;)"]
    assert listed(shop, "?warning=churn") == ["老王"]  # 400 days > 20-day gap + 30
    assert listed(shop, "?kind=dealer") == [] and len(listed(shop, "?kind=retail")) == 3
    assert listed(shop, "?region=临沂") == ["老王"] and listed(shop, "?region=广东") == []
    assert listed(shop, "?sort=last") == ["张一", "=HYPERLINK(&#34;x&#34;)", "老王"]
    assert listed(shop, "?grade=Z&segment=nope&sort=x&page=abc") == listed(shop)  # nonsense is ignored, not a 500


def test_a_customers_page_with_history_notes_contact_log_and_the_major_change_flag(app, shop):
    cid = customer_id(app, "retail:13800000001")
    page = page_text(shop.get(f"/desk/customers/{cid}"))
    assert "张一" in page and "VIP客户" in page and "订单记录 (3)" in page
    assert "近365天价值 ¥1,620.00" in page and "通常下单间隔 45天" in page  # gaps of 60 and 30 days

    assert submit(shop, f"/desk/customers/{cid}/notes", {"notes": "果园在平邑，种巨峰20亩"},
                  page=f"/desk/customers/{cid}").status_code == 303
    next_on = (today() + timedelta(days=3)).isoformat()
    assert log_contact(shop, cid, outcome="电话回访：春季再订", next_on=next_on).status_code == 303
    page = page_text(shop.get(f"/desk/customers/{cid}"))
    assert "果园在平邑，种巨峰20亩" in page and "电话回访：春季再订" in page and f"下次联系 {next_on}" in page

    assert submit(shop, f"/desk/customers/{cid}/major-change", {"flagged": "y", "note": "遭遇冰雹"},
                  page=f"/desk/customers/{cid}").status_code == 303
    assert listed(shop, "?warning=major_change") == ["张一"]
    assert submit(shop, f"/desk/customers/{cid}/major-change", {"note": ""},
                  page=f"/desk/customers/{cid}").status_code == 303
    assert listed(shop, "?warning=major_change") == []


def test_bad_contact_input_is_a_message_not_a_500(app, shop):
    cid = customer_id(app, "retail:13800000001")
    response = log_contact(shop, cid, outcome="")
    assert response.status_code == 303
    assert "请填写回访结果" in page_text(shop.get(f"/desk/customers/{cid}"))
    assert log_contact(shop, cid, outcome="x" * 501, next_on="2027-02-30").status_code == 303
    assert "结果最多500个字" in page_text(shop.get(f"/desk/customers/{cid}"))
    assert shop.get("/desk/customers/999999").status_code == 404
    assert shop.get(f"/desk/customers/{2**40}").status_code == 404


def test_outreach_lists_due_contacts_churn_and_dormant_vips_with_their_scripts(app, shop):
    small = customer_id(app, "retail:13800000002")
    log_contact(shop, small, outcome="约好下周再谈", next_on=(today() + timedelta(days=6)).isoformat())
    page = shop.get("/desk/outreach").get_data(as_text=True)
    calls = re.findall(r'<li class="card call" id="call-(\d+)" data-segment="(\w+)"', page)
    old = customer_id(app, "retail:13800000003")
    assert calls == [(str(small), "key"), (str(old), "dormant")]
    text = page_text(shop.get("/desk/outreach"))
    assert "到期回访" in text and "流失预警" in text and "休眠的VIP客户" in text
    assert "您好老王！我是苗场的客服，好久没有联系您了" in text  # the 休眠 script, with the name
    log_contact(shop, small, outcome="已联系", next_on=(today() + timedelta(days=7)).isoformat())  # next week
    page = shop.get("/desk/outreach").get_data(as_text=True)
    assert f'id="call-{small}"' not in page


def test_only_admins_edit_the_call_scripts(app, shop):
    body = {"vip-body_zh": "尊敬的{name}，新话术", "vip-body_en": "Dear {name}, new"}
    assert submit(shop, "/desk/outreach/scripts/vip", body, page="/desk/outreach").status_code == 403
    admin = staff_client(app, "管理员老周", "admin")
    assert submit(admin, "/desk/outreach/scripts/vip", body, page="/desk/outreach").status_code == 303
    assert "尊敬的{name}，新话术" in page_text(admin.get("/desk/outreach"))
    assert submit(admin, "/desk/outreach/scripts/vip", {"vip-body_zh": " "}, page="/desk/outreach").status_code == 303
    assert "请填写话术" in page_text(admin.get("/desk/outreach"))
    assert submit(admin, "/desk/outreach/scripts/nope", body, page="/desk/outreach").status_code == 404
    audit = page_text(admin.get("/desk/audit"))
    assert "edit_call_script" in audit


def test_the_csv_export_opens_in_excel_with_chinese_and_no_formulas(app, shop):
    response = shop.get("/desk/customers.csv?segment=key")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["客户", "类型", "电话"]
    assert rows[1][0] == "'=HYPERLINK(\"x\")" and rows[1][1] == "零售客户" and rows[1][5] == "300.00"
    assert len(rows) == 2  # the filter applies to the export
    everyone = list(csv.reader(io.StringIO(shop.get("/desk/customers.csv").get_data().decode("utf-8-sig"))))
    assert [r[0] for r in everyone[1:]] == ["张一", "'=HYPERLINK(\"x\")", "老王"]


def test_the_charts_are_svg_drawn_on_the_server(app, shop):
    page = shop.get("/desk/customers/charts").get_data(as_text=True)
    assert page.count("<svg") == 3 and "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "葡萄" in page  # 巨峰's category in the category chart
    assert re.search(r"<text[^>]*>A \(1\)</text>", page)


def test_staff_only(app, shop):
    anonymous = app.test_client()
    for url in ("/desk/customers", "/desk/customers.csv", "/desk/outreach", "/desk/customers/charts"):
        response = anonymous.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/desk/login"), url


@pytest.mark.parametrize("page", ["²", "٣", "-1", "abc", "9" * 12])
def test_a_page_number_that_is_not_one_shows_the_first_page(shop, page):
    assert listed(shop, f"?page={page}") == listed(shop)
