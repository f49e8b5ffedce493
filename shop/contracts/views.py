"""The contract PDF for its buyer and staff, and the page that says whether a contract is genuine."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from shop.contracts.from_order import code_matches, contract_data, verification_code
from shop.contracts.render import render_contract
from shop.orders import access, service
from shop.orders.models import Order

# The blueprint lives here, not in the package's __init__, so the contract's pure modules import no Flask.
bp = Blueprint("contracts", __name__)


def verify_link(order: Order) -> tuple[str, str]:
    """(URL, code) printed on the contract."""
    code = verification_code(order, current_app.config["SECRET_KEY"])
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    return base + url_for("contracts.verify", code=code), code


def pdf_bytes(order: Order) -> bytes:
    """The order's contract as a PDF."""
    url, code = verify_link(order)
    return render_contract(contract_data(order, verify_url=url, verify_code=code))


@bp.get("/orders/<number>/contract.pdf")
def pdf(number: str):
    """The buyer (this browser, ?phone= or a signed ?t=) or staff get the PDF; anyone else a 404."""
    order = service.by_number(number.upper())
    if order is None or not access.can_view(order, phone=request.args.get("phone"), signed=request.args.get("t")):
        abort(404)
    return Response(pdf_bytes(order), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="contract-{order.number}.pdf"', "Cache-Control": "private, no-store"})


@bp.get("/verify/<code>")
def verify(code: str):
    """Genuine or not: the code must match the order's content under the server's secret."""
    number = code.split(".", 1)[0].upper()
    order = service.by_number(number) if "." in code else None
    genuine = order is not None and code_matches(order, code, current_app.config["SECRET_KEY"])
    return render_template("contracts/verify.html", order=order if genuine else None, genuine=genuine), (
        200 if genuine else 404)
