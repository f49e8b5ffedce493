"""The dealer's pages: applying, logging in, the home page, and ordering from a list at the dealer price."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from tests.actions import (
    DEALER_PASSWORD,
    DEALER_PHONE,
    KYOHO_C2,
    MM_C2,
    SHINE_C1,
    apply_as_dealer,
    check_out_in_browser,
    csrf_token,
    database,
    dealer_client,
    dealer_log_in,
    decide_dealer,
    enter_list,
    entry_lines,
    errors,
    fill_cart,
    make_dealer,
    order_from_list,
    orders_stored,
    page_text,
    stored,
)

OTHER_PHONE = "13955550002"


def dealer_row(app, phone: str = DEALER_PHONE):
    from shop.dealers import accounts

    with database(app) as db:
        found = accounts.by_phone(phone)
        if found is not None:
            db.session.expunge(found)
        return found


def number_of(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert "/orders/" in response.location, response.location
    return response.location.rsplit("/orders/", 1)[1].split("?")[0]


# --- applying ------------------------------------------------------------------------------------------------------


def test_an_application_is_stored_pending_with_a_hashed_password_and_thanked_for(app, client):
    response = apply_as_dealer(client)
    assert response.status_code == 303 and response.location.endswith("/dealers/applied")
    assert "工作人员会审核" in page_text(client.get(response.location))
    dealer = dealer_row(app)
    assert (dealer.status, dealer.company, dealer.credit_code) == ("pending", "临沂果苗有限公司", "91371300MA3C123450")
    assert DEALER_PASSWORD not in dealer.password_hash and dealer.check_password(DEALER_PASSWORD)


@pytest.mark.parametrize(("fields", "message"), [
    ({"credit_code": "91371300MA3C123451"}, "统一社会信用代码不正确（18位，最后一位为校验码）"),
    ({"phone": "1395555"}, "请填写11位手机号，如 13800000000"),
    ({"company": ""}, "请填写公司名称"),
    ({"password": "short", "confirm": "short"}, "密码须为8到200个字符"),
    ({"confirm": "something-else"}, "两次输入的密码不一致"),
])
def test_a_wrong_application_shows_the_error_beside_its_field_and_stores_nothing(app, client, fields, message):
    response = apply_as_dealer(client, **fields)
    assert response.status_code == 422
    assert message in errors(response.get_data(as_text=True))
    assert dealer_row(app) is None


def test_a_phone_already_registered_cannot_apply_again(app, client):
    make_dealer(app)
    response = apply_as_dealer(client, company="另一家公司")
    assert response.status_code == 422
    assert "这个手机号已注册为代理商，请直接登录" in errors(response.get_data(as_text=True))
    assert dealer_row(app).company == "临沂果苗有限公司"


def test_an_application_without_the_csrf_token_is_refused(app, client):
    from tests.actions.dealers import application

    response = client.post("/dealers/apply", data=application())
    assert response.status_code == 400
    assert dealer_row(app) is None


def test_the_english_form_speaks_english(client):
    response = apply_as_dealer(client.application.test_client(), credit_code="123")
    assert response.status_code == 422
    fresh = client.application.test_client()
    fresh.get("/dealers/apply?lang=en")
    response = apply_as_dealer(fresh, credit_code="123")
    assert "Not a valid unified social credit code (18 characters, the last one a check digit)" in errors(
        response.get_data(as_text=True))


class TestRateLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"DEALER_APPLY_LIMIT": "3 per hour"}

    def test_too_many_applications_from_one_address_get_a_clear_429_page(self, app, client):
        for n in range(3):
            response = apply_as_dealer(client, phone=f"1395555000{n}")
            assert response.status_code == 303
        response = apply_as_dealer(client, phone="13955550009")
        assert response.status_code == 429
        assert "提交太频繁" in page_text(response) and "请一小时后再试" in page_text(response)
        assert dealer_row(app, "13955550009") is None
        assert client.get("/dealers/apply").status_code == 200  # reading the form is not limited
        elsewhere = app.test_client()
        elsewhere.environ_base["REMOTE_ADDR"] = "10.1.2.3"
        assert apply_as_dealer(elsewhere, phone="13955550009").status_code == 303


class TestRateLimitOff:
    @pytest.fixture
    def app_overrides(self):
        return {"DEALER_APPLY_LIMIT": "1 per hour", "RATELIMIT_ENABLED": False}

    def test_tests_can_switch_the_limit_off(self, client):
        assert [apply_as_dealer(client, phone=f"1395555001{n}").status_code for n in range(3)] == [303] * 3


# --- logging in and out, the home page -----------------------------------------------------------------------------


def test_a_dealer_logs_in_with_phone_and_password_and_out_with_a_form(app, client):
    make_dealer(app)
    assert dealer_log_in(client, password="wrong-password").status_code == 401
    assert client.get("/dealer").location.endswith("/dealer/login")
    response = dealer_log_in(client)
    assert response.status_code == 303 and response.location.endswith("/dealer")
    home = page_text(client.get("/dealer"))
    assert "临沂果苗有限公司" in home and "已通过" in home
    assert client.post("/dealer/logout").status_code == 400  # no CSRF token: refused
    response = client.post("/dealer/logout", data={"csrf_token": csrf_token(client, "/dealer")})
    assert response.status_code == 303 and response.location.endswith("/dealer/login")
    assert client.get("/dealer").location.endswith("/dealer/login")


class TestLoginLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"LOGIN_ATTEMPTS_PER_15_MIN": 3}

    def test_after_too_many_failures_even_the_right_password_waits(self, app, client):
        make_dealer(app)
        assert [dealer_log_in(client, password="nope-nope").status_code for _ in range(3)] == [401] * 3
        response = dealer_log_in(client)
        assert response.status_code == 429 and "登录失败次数过多" in page_text(response)


@pytest.mark.parametrize(("status", "words"), [("pending", "正在审核"), ("rejected", "未通过"),
                                               ("suspended", "已暂停")])
def test_a_dealer_not_approved_sees_the_status_and_cannot_order(app, status, words):
    make_dealer(app, status="approved" if status == "suspended" else "pending")
    if status != "pending":
        decide_dealer(app, DEALER_PHONE, status, reason="资料不全")
    client = dealer_client(app)
    home = page_text(client.get("/dealer"))
    assert words in home
    assert ("资料不全" in home) == (status != "pending")  # the reason staff gave
    assert "批量下单" not in home
    response = client.get("/dealer/order")
    assert response.status_code == 403 and words in page_text(response)
    token = csrf_token(client, "/dealer")
    response = client.post("/dealer/order", data={"csrf_token": token, "text": f"{SHINE_C1} 500", "action": "place"})
    assert response.status_code == 403
    assert orders_stored(app) == 0


def test_tokens_are_shown_once_and_revoked_only_by_their_dealer(app):
    make_dealer(app)
    make_dealer(app, phone=OTHER_PHONE, company="另一家")
    client = dealer_client(app)
    response = client.post("/dealer/tokens", data={"csrf_token": csrf_token(client, "/dealer"), "label": "进销存"})
    page = response.get_data(as_text=True)
    token = page.split('<code>mmd_', 1)[1].split("</code>", 1)[0]
    assert response.status_code == 200 and "只显示这一次" in page
    assert token not in client.get("/dealer").get_data(as_text=True)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer mmd_{token}"}).status_code == 200

    from shop.dealers.models import ApiToken

    with database(app) as db:
        token_id = db.session.execute(sa.select(ApiToken.id)).scalar_one()
    other = dealer_client(app, OTHER_PHONE)
    revoke = f"/dealer/tokens/{token_id}/revoke"
    assert other.post(revoke, data={"csrf_token": csrf_token(other, "/dealer")}).status_code == 404
    assert client.post(revoke, data={"csrf_token": csrf_token(client, "/dealer")}).status_code == 303
    assert "已作废" in page_text(client.get("/dealer"))
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer mmd_{token}"}).status_code == 401


# --- ordering from a list ------------------------------------------------------------------------------------------


def test_an_order_from_the_entry_page_has_the_dealer_price_at_any_quantity_and_only_the_good_lines(app):
    make_dealer(app)
    client = dealer_client(app)
    response = order_from_list(client, f"{SHINE_C1} 200\n不存在的苗木 5\n{MM_C2} 一百")
    number = number_of(response)
    order = stored(app, number)
    assert order.discount_reason == "dealer" and order.plants == 300  # far below the bulk 1,000
    assert order.subtotal_fen == 200 * 250 + 100 * 100
    assert order.discount_fen == order.subtotal_fen * 30 // 100
    assert order.dealer_id == dealer_row(app).id
    assert sorted((line.sku, line.quantity) for line in order.lines) == [(MM_C2, 100), (SHINE_C1, 200)]
    page = client.get(response.location)
    assert "代理商7折" in page_text(page) and 'id="contract-link"' in page.get_data(as_text=True)
    home = client.get("/dealer")
    assert number in page_text(home) and "待付款" in page_text(home)


def test_the_preview_gives_each_line_its_verdict_in_words(app):
    make_dealer(app)
    client = dealer_client(app)
    text = f"{SHINE_C1} 500\n阳光玫瑰 300\n不存在的苗木 5\n{MM_C2} abc\n{KYOHO_C2} 99999999\n{SHINE_C1} 100"
    response = enter_list(client, text)
    assert response.status_code == 200
    shown = entry_lines(response.get_data(as_text=True))
    assert [status for status, _sku, _text in shown] == ["ok", "ambiguous", "not_found", "bad_quantity",
                                                          "bad_quantity", "ok"]
    words = page_text(response)
    assert "有多个规格" in words and "未找到" in words and "数量有误" in words
    assert "已合并到第1行" in words  # the second SHINE_C1 line joins the first
    assert "GRP-SHINE-GR" in response.get_data(as_text=True)  # the ambiguous line's candidates
    assert "共6行：2行可下单，4行需修改" in words


def test_a_line_is_fixed_in_place_by_editing_it_or_picking_a_candidate(app):
    make_dealer(app)
    client = dealer_client(app)
    response = enter_list(client, lines=["阳光玫瑰 300", f"{MM_C2} abc"], pick=f"0:{SHINE_C1}")
    assert entry_lines(response.get_data(as_text=True)) == [("ok", SHINE_C1, f"{SHINE_C1} 300"),
                                                            ("bad_quantity", MM_C2, f"{MM_C2} abc")]
    response = enter_list(client, lines=[f"{SHINE_C1} 300", f"{MM_C2} 200株"])
    assert [s for s, _sku, _t in entry_lines(response.get_data(as_text=True))] == ["ok", "ok"]


def test_short_stock_shows_what_is_available(app):
    from tests.actions import set_grade

    make_dealer(app)
    set_grade(app, KYOHO_C2, stock=120)
    response = enter_list(dealer_client(app), f"{KYOHO_C2} 500")
    page = response.get_data(as_text=True)
    assert entry_lines(page)[0][0] == "insufficient_stock" and 'data-available="120"' in page
    assert "现有120株" in page_text(response)


def test_a_suspended_dealer_pays_retail(app):
    make_dealer(app)
    client = dealer_client(app)
    dealer_price = stored(app, number_of(order_from_list(client, f"{SHINE_C1} 200")))
    assert dealer_price.discount_reason == "dealer"
    decide_dealer(app, DEALER_PHONE, "suspended", reason="逾期未付款")
    assert order_from_list(client, f"{SHINE_C1} 200").status_code == 403
    retail = stored(app, number_of(check_out_in_browser(client, (SHINE_C1, 200), payment_method="bank_transfer")))
    assert (retail.discount_fen, retail.dealer_id) == (0, None) and retail.discount_reason != "dealer"
    assert retail.goods_total_fen == 200 * 250 and dealer_price.goods_total_fen == 200 * 250 * 70 // 100


def test_an_approved_dealer_gets_the_dealer_price_in_the_ordinary_cart_and_checkout_too(app):
    make_dealer(app)
    client = dealer_client(app)
    placed = stored(app, number_of(check_out_in_browser(client, (SHINE_C1, 200), payment_method="bank_transfer")))
    assert (placed.discount_reason, placed.goods_total_fen) == ("dealer", 200 * 250 * 70 // 100)
    assert placed.dealer_id is not None
    fill_cart(client, (SHINE_C1, 10))
    assert "代理商7折" in page_text(client.get("/cart"))


def test_reorder_puts_a_past_order_back_with_todays_prices_and_flags_what_is_no_longer_sold(app):
    from shop.catalog import stock as stock_service
    from shop.catalog.models import Grade

    make_dealer(app)
    client = dealer_client(app)
    number = number_of(order_from_list(client, f"{SHINE_C1} 200\n{MM_C2} 100\n{KYOHO_C2} 300"))
    with database(app) as db:
        db.session.execute(sa.update(Grade).where(Grade.sku == MM_C2).values(active=False))
        db.session.execute(sa.update(Grade).where(Grade.sku == KYOHO_C2).values(price_fen=None))
        stock_service.bump_version()
        db.session.commit()
    response = client.get(f"/dealer/orders/{number}/reorder")
    assert response.status_code == 200
    shown = entry_lines(response.get_data(as_text=True))
    assert [(s, t) for s, _sku, t in shown] == [("ok", f"{SHINE_C1} 200"), ("not_found", f"{MM_C2} 100"),
                                                ("quote_only", f"{KYOHO_C2} 300")]
    assert number in page_text(response)
    again = number_of(order_from_list(client, "", line=[t for _s, _sku, t in shown]))
    assert [(line.sku, line.quantity) for line in stored(app, again).lines] == [(SHINE_C1, 200)]


def test_another_dealers_order_cannot_be_reordered(app):
    make_dealer(app)
    make_dealer(app, phone=OTHER_PHONE, company="另一家")
    number = number_of(order_from_list(dealer_client(app), f"{SHINE_C1} 200"))
    other = dealer_client(app, OTHER_PHONE)
    assert other.get(f"/dealer/orders/{number}/reorder").status_code == 404
    assert other.get("/dealer/orders/NOSUCH/reorder").status_code == 404
    assert number not in page_text(other.get("/dealer"))


def test_up_to_500_lines_and_more_is_a_clear_error(app):
    make_dealer(app)
    client = dealer_client(app)
    response = enter_list(client, "\n".join([f"{SHINE_C1} 1"] * 500))
    assert response.status_code == 200 and len(entry_lines(response.get_data(as_text=True))) == 500
    response = enter_list(client, "\n".join([f"{SHINE_C1} 1"] * 501))
    assert response.status_code == 422
    assert "一次最多500行（现在501行），请分开提交" in page_text(response)
    assert order_from_list(client, "\n".join([f"{SHINE_C1} 1"] * 501)).status_code == 422
    assert orders_stored(app) == 0


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_a_csv_from_excel_is_read_through_the_page(app, encoding):
    make_dealer(app)
    body = f"品种,规格,数量\r\n巨峰,二级扦插苗,300\r\n美人指,二级扦插苗,1万\r\nsku,quantity\r\n{SHINE_C1},200\r\n"
    response = enter_list(dealer_client(app), files={"csv": (io.BytesIO(body.encode(encoding)), "清单.csv")})
    assert response.status_code == 200
    assert [(s, sku) for s, sku, _t in entry_lines(response.get_data(as_text=True))] == [
        ("ok", KYOHO_C2), ("ok", MM_C2), ("ok", SHINE_C1)]


def test_the_sample_csv_downloads_and_reads_back(app):
    make_dealer(app)
    client = dealer_client(app)
    sample = client.get("/dealer/order/sample.csv")
    assert sample.status_code == 200 and sample.mimetype == "text/csv" and sample.data.startswith(b"\xef\xbb\xbf")
    response = enter_list(client, files={"csv": (io.BytesIO(sample.data), "sample.csv")})
    assert [s for s, _sku, _t in entry_lines(response.get_data(as_text=True))] == ["ok", "ok", "ok"]


def test_the_quick_grid_adds_to_the_same_list(app):
    make_dealer(app)
    response = enter_list(dealer_client(app), f"{SHINE_C1} 100", **{"grid_sku-0": MM_C2, "grid_qty-0": "2千",
                                                                    "grid_sku-3": KYOHO_C2, "grid_qty-3": ""})
    assert entry_lines(response.get_data(as_text=True)) == [
        ("ok", SHINE_C1, f"{SHINE_C1} 100"), ("ok", MM_C2, f"{MM_C2} 2千"), ("bad_quantity", KYOHO_C2, KYOHO_C2)]


def test_the_entry_page_in_english(app):
    make_dealer(app)
    client = dealer_client(app)
    client.get("/dealer?lang=en")
    response = enter_list(client, f"{SHINE_C1} 500\n阳光玫瑰 300")
    words = page_text(response)
    assert "Ambiguous" in words or "Several grades" in words
    assert "Bulk order" in words and "可下单" not in words
