"""Dealer credit (账期) as operators and dealers use it: grant a limit, order on account, pay into the account."""

from __future__ import annotations

from .buyer import order_body
from .constants import KYOHO_C2
from .staff import run

CREDIT_DEALER_PHONE = "13900000077"

__all__ = ["CREDIT_DEALER_PHONE", "bearer", "credit_body", "credit_dealer", "credit_of", "dispatch_on_account",
           "grant_credit", "order_on_account", "pay_on_account"]


def bearer(token: str) -> dict:
    """The header that makes an API call the dealer's."""
    return {"Authorization": f"Bearer {token}"}


def credit_dealer(app, phone: str = CREDIT_DEALER_PHONE, *, limit: str = "", terms_days: int | None = None,
                  company: str = "临沂示例赊购经销部") -> str:
    """An operator creates an approved dealer (with a credit limit if given) and a token for them; the token."""
    made = run(app, "dealers", "create", "--company", company, "--name", "钱经理", "--phone", phone,
               "--region", "山东临沂")
    assert made.exit_code == 0, made.output
    if limit:
        grant_credit(app, phone, limit, terms_days=terms_days)
    issued = run(app, "dealers", "token", phone, "--label", "赊购")
    assert issued.exit_code == 0, issued.output
    return issued.output.strip()


def grant_credit(app, phone: str, limit: str, *, terms_days: int | None = None, by: str = "admin"):
    """`flask dealers set-credit PHONE --limit L [--terms-days N] --by admin` (asserts it worked)."""
    extra = ["--terms-days", str(terms_days)] if terms_days is not None else []
    result = run(app, "dealers", "set-credit", phone, "--limit", limit, *extra, "--by", by)
    assert result.exit_code == 0, result.output
    return result


def pay_on_account(app, phone: str, amount: str, *, date: str = "", reference: str = "", by: str = "会计小李"):
    """`flask dealers record-payment PHONE --amount A --by NAME …`; the result (for refusals too)."""
    extra = (["--date", date] if date else []) + (["--reference", reference] if reference else [])
    return run(app, "dealers", "record-payment", phone, "--amount", amount, "--by", by, *extra)


def credit_body(*pairs, **extra) -> dict:
    """An order body on account, picked up at 平邑, as the dealer themselves (no `customer`)."""
    body = order_body(*(pairs or ((KYOHO_C2, 20),)), method="pickup", payment_method="credit", **extra)
    body.pop("customer")
    return body


def order_on_account(client, token: str, *pairs, **extra):
    """POST /api/v1/orders on account with the dealer's token; the response."""
    return client.post("/api/v1/orders", json=credit_body(*pairs, **extra), headers=bearer(token))


def credit_of(client, token: str) -> dict:
    """The dealer's `credit` from GET /api/v1/me."""
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["credit"]


def dispatch_on_account(app, number: str, *, at):
    """Staff dispatch the order at the moment `at` (the clock passed, not waited for)."""
    import sqlalchemy as sa

    from shop.orders import fulfilment
    from shop.orders.models import Order
    from shop.seasons.windows import china_day

    from .records import database

    with database(app) as db:
        order = db.session.execute(sa.select(Order).where(Order.number == number)).scalar_one()
        fulfilment.dispatch(order, base="平邑", carrier="顺丰速运", tracking_number="SF1234567890",
                            quarantine_cert=f"鲁检3713-{number}", cert_issued_on=china_day(at), actor="staff", now=at)
        db.session.commit()
