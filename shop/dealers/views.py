"""The dealer's side of the shop: apply, log in, the home page with orders and API tokens, and bulk entry.

Bulk entry has one parser (shop.dealers.bulk) behind three inputs: the lines on screen (each editable in place),
the paste box, a CSV upload and the quick grid all become lines of one text. Placing the order maps the form onto
the checkout's OrderRequest and intake, and prices it at the dealer price through shop.orders.service.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from shop import i18n
from shop.catalog import tree
from shop.checkout.views import order_request, place_checked, show_problems, stripe_available, to_payment
from shop.credit import service as credit
from shop.credit import web as credit_web
from shop.dealers import accounts, bulk, csvfile, current, tokens
from shop.dealers.forms import ApplyForm, EntryForm, LoginForm, TokenForm
from shop.dealers.models import PENDING, ApiToken, Dealer
from shop.desk.auth import too_many_failures
from shop.desk.models import LoginAttempt
from shop.extensions import db, limiter
from shop.money import format_money
from shop.orders import access, intake, methods, service
from shop.orders.models import Order

bp = Blueprint("dealers", __name__)

GRID_ROWS = 5
HOME_ORDERS = 100
VERDICTS = {"ok": _l("可下单"), "not_found": _l("未找到"), "ambiguous": _l("有多个规格"), "quote_only": _l("需询价"),
            "insufficient_stock": _l("库存不足"), "bad_quantity": _l("数量有误")}


@bp.errorhandler(429)
def _too_many_applications(_err):
    return render_template("dealers/limited.html"), 429


# --- applying, logging in and out ---------------------------------------------------------------------------------


@bp.route("/dealers/apply", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["DEALER_APPLY_LIMIT"], methods=["POST"])
def apply():
    """The application form; staff review it at the desk."""
    form = ApplyForm()
    if form.validate_on_submit():
        phone = form.phone.data.strip()
        try:
            accounts.create(company=form.company.data, name=form.contact_name.data, phone=phone,
                            region=form.region.data or "", credit_code=form.credit_code.data or "",
                            password=form.password.data, status=PENDING, actor=f"dealer {phone}")
            db.session.commit()
        except accounts.AccountError as err:
            db.session.rollback()
            flash(str(err), "error")
        except IntegrityError:  # the same phone applied at the same moment
            db.session.rollback()
            form.phone.errors.append(_("这个手机号已注册为代理商，请直接登录"))
        else:
            return redirect(url_for("dealers.applied"), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("dealers/apply.html", form=form), status


@bp.get("/dealers/applied")
def applied():
    """Thank you: staff will review the application."""
    return render_template("dealers/applied.html")


@bp.route("/dealer/login", methods=["GET", "POST"])
def login():
    """Phone and password; after too many failures for a phone or an address, wait 15 minutes."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        phone = form.phone.data.strip()
        keys = [f"dealer:{phone}"[:120], f"dealer-addr:{request.remote_addr}"[:120]]
        if too_many_failures(keys):
            flash(_("登录失败次数过多，请15分钟后再试。"), "error")
            return render_template("dealers/login.html", form=form), 429
        found = accounts.by_phone(phone)
        if found is not None and found.check_password(form.password.data):
            db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.key == keys[0]))
            db.session.commit()
            lang = session.get("lang")
            current.log_in(found)
            if lang:
                session["lang"] = lang
            return redirect(url_for("dealers.home"), 303)
        db.session.add_all([LoginAttempt(key=k) for k in keys])
        db.session.commit()
        flash(_("手机号或密码错误。"), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("dealers/login.html", form=form), status


@bp.post("/dealer/logout")
def logout():
    """Log out (a POST with the CSRF token, so no other site can do it)."""
    current.log_out()
    flash(_("已退出登录。"), "info")
    return redirect(url_for("dealers.login"), 303)


# --- the dealer's home: orders and API tokens --------------------------------------------------------------------


def _signed_in() -> Dealer:
    found = current.dealer()
    if found is None:
        abort(redirect(url_for("dealers.login")))
    return found


def _approved() -> Dealer:
    """The signed-in dealer, only when approved: any other status sees it and cannot order (403)."""
    found = _signed_in()
    if not found.active:
        abort(Response(render_template("dealers/status.html", dealer=found), 403))
    return found


@bp.get("/dealer")
def home():
    """The dealer's orders (newest first) and API tokens; a dealer not approved sees the account's status."""
    found = _signed_in()
    return _home(found)


def _home(found: Dealer, new_token: str | None = None, token_form: TokenForm | None = None, status: int = 200):
    if not found.active:
        return render_template("dealers/status.html", dealer=found), status
    orders = list(db.session.execute(
        sa.select(Order).where(Order.dealer_id == found.id).order_by(Order.created_at.desc(), Order.id.desc())
        .limit(HOME_ORDERS)).scalars())
    at = credit.position(found)
    warn = credit.warn_percent()
    return render_template("dealers/home.html", dealer=found, orders=orders, new_token=new_token,
                           token_form=token_form or TokenForm(), order_link=_order_link, credit=at,
                           credit_warning=at.warning(warn), credit_reasons=credit_web.warning_reasons(at, warn),
                           months=credit_web.recent_months(datetime.now(UTC))), status


def _order_link(order: Order) -> str:
    return url_for("orders.show", number=order.number, t=access.token(order))


@bp.post("/dealer/tokens")
def create_token():
    """A new named API token, shown this once."""
    found = _approved()
    form = TokenForm()
    if not form.validate_on_submit():
        return _home(found, token_form=form, status=422)
    token = tokens.issue(found, form.label.data or "", actor=f"dealer {found.phone}")
    db.session.commit()
    return _home(found, new_token=token, token_form=TokenForm(formdata=None))


@bp.post("/dealer/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    """Revoke one of the dealer's own tokens at once."""
    found = _approved()
    row = db.session.get(ApiToken, token_id) if 0 < token_id < 2**31 else None
    if row is None or row.dealer_id != found.id or not FlaskForm().validate_on_submit():
        abort(404)
    if tokens.revoke(row, actor=f"dealer {found.phone}"):
        db.session.commit()
        flash(_("令牌已作废。"), "info")
    return redirect(url_for("dealers.home"), 303)


# --- the monthly statement (对账单) ----------------------------------------------------------------------------


@bp.get("/dealer/statement")
def statement_month():
    """The month picker's answer (?month=YYYY-MM): on to that month's PDF."""
    _signed_in()  # a suspended dealer still owes, and still gets the statement
    month = request.args.get("month", "")
    credit_web.month_or_404(month, datetime.now(UTC))
    return redirect(url_for("dealers.statement", month=month), 303)


@bp.get("/dealer/statement/<month>.pdf")
def statement(month: str):
    """The signed-in dealer's own statement of a month (YYYY-MM); 404 for a month that is not one."""
    return credit_web.statement_response(_signed_in(), month)


# --- bulk entry ---------------------------------------------------------------------------------------------------


@bp.get("/dealer/order/sample.csv")
def sample_csv():
    """A sample file to fill in, as Excel opens it (UTF-8 with BOM)."""
    return Response(csvfile.SAMPLE_CSV, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=dealer-order-sample.csv"})


@bp.route("/dealer/order", methods=["GET", "POST"])
def order():
    """Enter a list, preview every line's verdict, fix lines in place, and order the good ones."""
    found = _approved()
    form = EntryForm()
    lang = i18n.current()
    if request.method == "GET":
        _default_shipping(form, found)
        return _entry(form, None, "")
    if "method" not in request.form:  # the first preview: the order form was not on the page yet
        _default_shipping(form, found)
    text, problems = _gathered(form, lang)
    for problem in problems:
        flash(problem, "error")
    try:
        lines = bulk.parse(text, _index())
    except bulk.TooManyLines as err:
        form.text.data = text
        flash(err.message(lang), "error")
        return _entry(form, None, text, status=422)
    status = 422 if problems else 200
    if request.form.get("action") == "place" and not problems:
        placed = _place(form, lines, lang)
        if not isinstance(placed, int):
            return placed
        status = placed
    return _entry(form, lines, text, status=status)


@bp.get("/dealer/orders/<number>/reorder")
def reorder(number: str):
    """A past order of this dealer as lines in the entry, checked again with today's prices and stock."""
    found = _approved()
    past = db.session.execute(sa.select(Order).where(Order.number == number.upper()[:40])).scalar()
    if past is None or past.dealer_id != found.id:
        abort(404)
    text = "\n".join(f"{line.sku} {line.quantity}" for line in past.lines)
    form = EntryForm(formdata=None)
    _default_shipping(form, found, past)
    return _entry(form, bulk.parse(text, _index()), text, reordering=past)


def _index() -> bulk.CatalogIndex:
    return bulk.CatalogIndex.from_tree(tree.current())


def _default_shipping(form: EntryForm, found: Dealer, past: Order | None = None) -> None:
    """The dealer's own name and phone, or where the past order went."""
    form.name.data, form.phone.data = (past.customer_name, past.phone) if past else (found.contact_name, found.phone)
    form.method.data = past.shipping_method if past else "post"
    form.payment_method.data = "bank_transfer"
    if past:
        form.province.data, form.city.data = past.province, past.city
        form.district.data, form.address.data = past.district, past.address
        form.pickup_base.data = past.pickup_base or "平邑"


def _gathered(form: EntryForm, lang: str) -> tuple[str, list[str]]:
    """The lines on screen (a candidate picked replaces its line), then the paste box, the CSV file and the grid,
    as one text for the parser; and what could not be read."""
    shown = request.form.getlist("line")
    picked = request.form.get("pick", "")
    index, _sep, sku = picked.partition(":")
    if index.isascii() and index.isdigit() and int(index) < len(shown) and sku:
        shown[int(index)] = f"{sku} {_last_word(shown[int(index)])}".strip()
    parts = [line.replace("\n", " ").replace("\r", " ") for line in shown]
    problems = []
    if form.text.data:
        parts.append(form.text.data)
    upload = request.files.get("csv")
    if upload is not None and upload.filename:
        try:
            parts.extend(csvfile.read_csv(upload.read()))
        except csvfile.CsvError as err:
            problems.append(err.message(lang))
    for row in range(GRID_ROWS):
        sku, quantity = request.form.get(f"grid_sku-{row}", ""), request.form.get(f"grid_qty-{row}", "")
        if sku.strip() or quantity.strip():
            parts.append(f"{sku.strip()} {quantity.strip()}")
    form.text.data = ""
    return "\n".join(parts), problems


def _last_word(text: str) -> str:
    """The quantity of a line: its last word, if it reads as one."""
    words = re.split(r"[\s,，;；\t]+", text.strip())
    return words[-1] if len(words) > 1 and bulk.parse_quantity(words[-1]) is not None else ""


def _place(form: EntryForm, lines: list[bulk.ParsedLine], lang: str):
    """The good lines through the checkout's intake and placing, at the dealer price: a redirect to the order,
    or the status to show the entry again with."""
    req = order_request(form, bulk.ok_items(lines))
    problems = intake.validate(req, payment_methods=intake.offered_payments(stripe=stripe_available()),
                               max_items=intake.DEALER_MAX_ITEMS)
    if problems:
        show_problems(form, problems, lang)
        return 422
    placed = place_checked(req, lang)
    return placed if isinstance(placed, int) else to_payment(placed)


def _entry(form: EntryForm, lines: list[bulk.ParsedLine] | None, text: str, *, status: int = 200,
           reordering: Order | None = None):
    """The entry page: the inputs, the preview of every line with its verdict, and the order form."""
    lang = i18n.current()
    english = {p.name: p.name_en for p in service.rates().provinces()} if lang == "en" else None
    form.fill_choices(stripe_available(), english, rules=service.rules(), lang=lang)
    _offer_credit(form, current.dealer(), lang)
    items = bulk.ok_items(lines or [])
    quote = None
    if items:
        quote = service.quote(items, form.method.data or "post", form.province.data or None,
                              context=current.context())
    return render_template(
        "dealers/order.html", form=form, lines=lines, summary=bulk.summary(lines or []), items=items, quote=quote,
        verdicts=VERDICTS, grid_rows=GRID_ROWS, grid=_grid(lang), max_lines=bulk.MAX_LINES,
        reordering=reordering, terms=_terms()), status


def _offer_credit(form: EntryForm, found: Dealer | None, lang: str) -> None:
    """账期 among the payment choices, for a dealer an admin granted a limit, with what is available now."""
    if found is None or found.credit_limit_fen <= 0:
        return
    at = credit.position(found)
    label = _("%(method)s · 可用 %(amount)s", method=methods.payment_label(credit.CREDIT, lang),
              amount=format_money(at.available_fen))
    if at.overdue_fen > 0:
        label += _("（有逾期未付 %(amount)s，付清后方可赊购）", amount=format_money(at.overdue_fen))
    form.payment_method.choices = [*form.payment_method.choices, (credit.CREDIT, label)]


def _grid(lang: str) -> list[dict]:
    """Categories → varieties → priced grades, for the quick grid's selects."""
    pick = (lambda zh, en: en or zh) if lang == "en" else (lambda zh, _en: zh)
    return [{"name": pick(c.name, c.name_en), "varieties": [
        {"name": pick(v.name, v.name_en), "grades": [[g.sku, f"{pick(g.name, g.name_en)} · {g.sku}"]
                                                     for g in v.grades if g.price_fen is not None]}
        for v in c.varieties if not v.quote_only]} for c in tree.current().categories if not c.quote_only]


def _terms() -> list[str]:
    from shop.contracts.terms import guarantee_terms

    return guarantee_terms(current_app.config["CLAIM_WINDOW_DAYS"])
