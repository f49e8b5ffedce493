"""`flask orders …`: the desk's order actions for operators and cron, calling the same services as the desk."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import click
from flask.cli import with_appcontext

from shop.extensions import db
from shop.money import format_money, parse_yuan
from shop.orders import fulfilment, lifecycle, service, states

SHANGHAI = ZoneInfo("Asia/Shanghai")
BASES = {"平邑": "平邑县种苗基地", "临沭": "临沭县种苗基地"}  # the short names staff type, as the desk's choices


@click.group("orders")
def orders_cli():
    """Order operations."""


def _order(number: str):
    order = service.by_number(number.strip().upper())
    if order is None:
        raise click.ClickException(f"没有订单 {number} (no such order)")
    return order


def _check_lengths(**fields: tuple[str, int]) -> None:
    """Each option given is 1 to its limit characters (the columns it is stored in)."""
    for name, (value, limit) in fields.items():
        if not value.strip() or len(value.strip()) > limit:
            raise click.ClickException(f"--{name} 须为 1 到 {limit} 个字符 (--{name} must be 1–{limit} characters)")


def _state(order) -> str:
    return f"{states.status_label(order.status)} / {states.payment_label(order.payment_status)}"


@orders_cli.command("expire")
@with_appcontext
def expire_command():
    """Cancel unpaid orders past UNPAID_EXPIRY_HOURS, return their stock, close their Stripe sessions (cron)."""
    numbers = lifecycle.expire_unpaid(datetime.now(UTC))
    db.session.commit()
    click.echo(f"cancelled {len(numbers)} unpaid order(s) (取消超时未付款订单 {len(numbers)} 个)")
    for number in numbers:
        click.echo(f"  {number}")


@orders_cli.command("complete-dispatched")
@with_appcontext
def complete_dispatched_command():
    """Complete orders dispatched more than RECEIPT_AUTO_DAYS ago and not confirmed received (cron)."""
    numbers = lifecycle.complete_dispatched(datetime.now(UTC))
    db.session.commit()
    click.echo(f"completed {len(numbers)} dispatched order(s) (自动确认收货 {len(numbers)} 个)")
    for number in numbers:
        click.echo(f"  {number}")


@orders_cli.command("confirm-transfer")
@click.argument("number")
@click.option("--amount", required=True, help="Amount received in yuan, e.g. 1409.50.")
@click.option("--date", "received_on", default=None, help="Date the money arrived, YYYY-MM-DD (default today).")
@click.option("--reference", default="", help="Bank reference or transfer note.")
@click.option("--by", "actor", required=True, help="Who confirms (staff name).")
@with_appcontext
def confirm_transfer_command(number: str, amount: str, received_on: str | None, reference: str, actor: str):
    """Confirm a bank transfer (银行汇款) for an order: marks it paid if the amount matches."""
    from shop.payments.transfers import TransferError, confirm_transfer

    try:
        fen = parse_yuan(amount)
        day = date.fromisoformat(received_on) if received_on else datetime.now(SHANGHAI).date()
        outcome = confirm_transfer(number, amount_fen=fen, received_on=day, reference=reference, actor=actor)
    except (ValueError, TransferError) as err:
        db.session.rollback()
        raise click.ClickException(str(err)) from None
    db.session.commit()
    order = service.by_number(number.strip().upper())
    click.echo(f"{number}: {outcome}; status {order.status}, payment {order.payment_status}"
               + (f", dispatch by {order.dispatch_by:%Y-%m-%d %H:%M} UTC" if order.dispatch_by else ""))


@orders_cli.command("dispatch")
@click.argument("number")
@click.option("--base", required=True, help="The base it leaves from: 平邑 or 临沭 (or the full name).")
@click.option("--carrier", required=True, help="Carrier, e.g. 顺丰速运.")
@click.option("--tracking", required=True, help="Tracking number.")
@click.option("--cert", required=True, help="Plant quarantine certificate (植物检疫证书) number.")
@click.option("--cert-date", "cert_date", required=True, help="The certificate's issue date, YYYY-MM-DD.")
@click.option("--vehicle", default="", help="Plate of the vehicle the certificate covers (一车一证), if any.")
@click.option("--by", "actor", required=True, help="Who dispatches (staff name).")
@with_appcontext
def dispatch_command(number: str, base: str, carrier: str, tracking: str, cert: str, cert_date: str, vehicle: str,
                     actor: str):
    """Record that an order left the base (发货) with its plant quarantine certificate."""
    from shop.quarantine.rules import CertificateRefused

    order = _order(number)
    full_base = BASES.get(base.strip(), base.strip())
    if full_base not in BASES.values():
        raise click.ClickException(f"没有“{base}”基地，可选：{'、'.join(BASES)} (unknown base)")
    _check_lengths(carrier=(carrier, 40), tracking=(tracking, 60), cert=(cert, 60), by=(actor, 60))
    try:
        issued_on = date.fromisoformat(cert_date.strip())
    except ValueError:
        raise click.ClickException(f"--cert-date 须为 YYYY-MM-DD，现为 {cert_date!r} (--cert-date must be "
                                   "YYYY-MM-DD)") from None
    try:
        fulfilment.dispatch(order, base=full_base, carrier=carrier.strip(), tracking_number=tracking.strip(),
                            quarantine_cert=cert.strip(), actor=actor.strip(), cert_issued_on=issued_on,
                            vehicle=vehicle)
    except fulfilment.HeldForItsWindow as held:
        db.session.rollback()
        raise click.ClickException(f"{order.number} 由买家预约在适宜栽植期发货，{held.leaves_from} 起才能发出 "
                                   f"(reserved for its planting window: it may leave from {held.leaves_from})") from None
    except fulfilment.NotDispatchable:
        db.session.rollback()
        raise click.ClickException(f"{order.number} 为{_state(order)}，不能发货 (only an order awaiting dispatch "
                                   "can be dispatched)") from None
    except CertificateRefused as refused:
        db.session.rollback()
        raise click.ClickException("; ".join(f"{p.zh} ({p.en})" for p in refused.problems)) from None
    db.session.commit()
    click.echo(f"{order.number}: dispatched from {full_base}, {carrier.strip()} {tracking.strip()}")


@orders_cli.command("cancel")
@click.argument("number")
@click.option("--reason", required=True, help="Why the order is cancelled.")
@click.option("--by", "actor", required=True, help="Who cancels (staff name).")
@click.option("--reference", default="", help="Bank reference of the refund, for a paid bank-transfer order.")
@with_appcontext
def cancel_command(number: str, reason: str, actor: str, reference: str):
    """Cancel an order before dispatch: stock returns, a paid order is refunded in full."""
    _check_lengths(reason=(reason, 200), by=(actor, 60))
    if reference:
        _check_lengths(reference=(reference, 120))
    order = _order(number)
    try:
        refunded = lifecycle.cancel_order(order, reason=reason, actor=actor.strip(), bank_reference=reference)
    except (lifecycle.CannotCancel, lifecycle.RefundError) as err:
        db.session.rollback()
        raise click.ClickException(str(err)) from None
    db.session.commit()
    click.echo(f"{order.number}: cancelled, stock returned" + (f", refunded {format_money(refunded)}" if refunded else ""))


@orders_cli.command("refund")
@click.argument("number")
@click.option("--amount", default=None, help="Yuan to refund, e.g. 100.00 (default: all that is left).")
@click.option("--reason", required=True, help="Why the money goes back.")
@click.option("--by", "actor", required=True, help="Who refunds (staff name).")
@click.option("--reference", default="", help="Bank reference of the refund (bank-transfer orders).")
@with_appcontext
def refund_command(number: str, amount: str | None, reason: str, actor: str, reference: str):
    """Refund all or part of what was paid (never more); Stripe payments through Stripe."""
    _check_lengths(reason=(reason, 200), by=(actor, 60))
    if reference:
        _check_lengths(reference=(reference, 120))
    order = _order(number)
    try:
        fen = parse_yuan(amount) if amount is not None else None
        refunded = lifecycle.refund_order(order, amount_fen=fen, reason=reason, actor=actor.strip(),
                                          bank_reference=reference)
    except (ValueError, lifecycle.CannotCancel, lifecycle.RefundError) as err:
        db.session.rollback()
        raise click.ClickException(str(err)) from None
    db.session.commit()
    click.echo(f"{order.number}: refunded {format_money(refunded)}; {order.payment_status}, "
               f"paid {format_money(order.paid_fen)}, refunded {format_money(order.refunded_fen)} in all")
