"""`flask orders expire|confirm-transfer|cancel`: order operations for cron and staff."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import click
from flask.cli import with_appcontext

from shop.extensions import db
from shop.money import parse_yuan
from shop.orders import service

SHANGHAI = ZoneInfo("Asia/Shanghai")


@click.group("orders")
def orders_cli():
    """Order operations."""


@orders_cli.command("expire")
@with_appcontext
def expire_command():
    """Cancel unpaid orders past UNPAID_EXPIRY_HOURS and return their stock (run from cron)."""
    numbers = service.expire(datetime.now(UTC))
    db.session.commit()
    click.echo(f"cancelled {len(numbers)} unpaid order(s) (取消超时未付款订单 {len(numbers)} 个)")
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
    click.echo(f"{number}: {outcome}; status {order.status}"
               + (f", dispatch by {order.dispatch_by:%Y-%m-%d %H:%M} UTC" if order.dispatch_by else ""))
