"""The buyer's own order actions: confirm receipt (确认收货), cancel an unpaid order."""

from __future__ import annotations

from flask import jsonify, request

from shop.api import bp, parsing
from shop.api.documents import ORDER, order_document
from shop.api.openapi import doc
from shop.errors import ApiError
from shop.extensions import db
from shop.orders import fulfilment, lifecycle, service, states


@bp.post("/orders/<number>/received")
@doc("Confirm receipt of a dispatched order (确认收货): it becomes completed and the guarantees start",
     body={"type": "object", "required": ["phone"], "properties": {"phone": {"type": "string"}}},
     responses={200: {"description": "the order, completed (again the same if it was already)", **ORDER},
                400: "malformed body", 404: "no such order for this phone", 409: "not_dispatched",
                415: "not JSON"}, tags=("orders",))
def confirm_received(number: str):
    """Move a dispatched order to completed; confirming twice changes nothing."""
    order, lang = _buyers_order(number)
    try:
        fulfilment.receive(order, actor=f"buyer {order.phone[-4:]}")
    except fulfilment.NotReceivable:
        db.session.rollback()
        raise ApiError(409, "not_dispatched", f"the order is {states.status_label(order.status, 'en').lower()}: "
                       "only a dispatched order can be confirmed received") from None
    db.session.commit()
    return jsonify(order_document(order, lang))


@bp.post("/orders/<number>/cancel")
@doc("Cancel an unpaid order (the buyer changed their mind): its stock returns, its payment link closes",
     body={"type": "object", "required": ["phone"], "properties": {"phone": {"type": "string"}}},
     responses={200: {"description": "the order, cancelled", **ORDER}, 400: "malformed body",
                404: "no such order for this phone", 409: "not_cancellable", 415: "not JSON"}, tags=("orders",))
def cancel_unpaid(number: str):
    """The buyer cancels before paying; a paid order is cancelled (and refunded) by the nursery's staff."""
    order, lang = _buyers_order(number)
    if order.status != states.PENDING_PAYMENT or order.payment_status != states.UNPAID:
        raise ApiError(409, "not_cancellable", "only an unpaid order can be cancelled here; for a paid one, "
                       "contact the nursery (it is refunded in full before dispatch)")
    try:
        lifecycle.cancel_order(order, reason=lifecycle.BUYER_CANCEL_REASON, actor=f"buyer {order.phone[-4:]}")
    except (lifecycle.CannotCancel, lifecycle.RefundError) as err:
        db.session.rollback()
        raise ApiError(409, "not_cancellable", str(err)) from None
    db.session.commit()
    return jsonify(order_document(order, lang))


def _buyers_order(number: str):
    """The order named in the path, for the phone in the JSON body; and the answer's language."""
    data = parsing.body()
    phone = data.get("phone")
    if not isinstance(phone, str) or not phone.strip():
        raise ApiError(400, "bad_request", "phone must be the buyer's mobile number as a string")
    order = service.find(number, phone)
    if order is None:
        raise ApiError(404, "not_found", "no order with this number and phone")
    return order, "en" if request.args.get("lang") == "en" else "zh"
