"""`flask dealers …`: dealer accounts and API tokens for operators."""

from __future__ import annotations

from datetime import UTC, date, datetime

import click
from flask.cli import with_appcontext

from shop.credit import ledger
from shop.credit import service as credit
from shop.dealers import accounts, tokens
from shop.dealers.models import APPROVED
from shop.extensions import db
from shop.money import format_yuan, parse_yuan


@click.group("dealers")
def dealers_cli():
    """Dealer (代理商) accounts."""


def _dealer(phone: str):
    found = accounts.by_phone(phone)
    if found is None:
        raise click.ClickException(f"没有手机号为 {phone} 的代理商 (no such dealer)")
    return found


@dealers_cli.command("create")
@click.option("--company", required=True)
@click.option("--name", required=True, help="Contact person.")
@click.option("--phone", required=True, help="Mobile number: the login.")
@click.option("--region", default="")
@click.option("--credit-code", default="", help="统一社会信用代码 (optional, check digit verified).")
@click.option("--by", "actor", default="cli", help="Who creates it.")
@with_appcontext
def create_command(company, name, phone, region, credit_code, actor):
    """Create an approved dealer; prints its id (set a web password with set-password)."""
    try:
        dealer = accounts.create(company=company, name=name, phone=phone, region=region, credit_code=credit_code,
                                 status=APPROVED, actor=actor)
    except accounts.AccountError as err:
        db.session.rollback()
        raise click.ClickException(str(err)) from None
    db.session.commit()
    click.echo(dealer.id)


@dealers_cli.command("token")
@click.argument("phone")
@click.option("--label", default="", help="What the token is for, e.g. 进销存系统.")
@click.option("--by", "actor", default="cli")
@with_appcontext
def token_command(phone, label, actor):
    """Print a new API token for the dealer (shown only this once)."""
    dealer = _dealer(phone)
    if not dealer.active:
        raise click.ClickException(f"代理商状态为{dealer.status_label()}，不能发放令牌 (the dealer is {dealer.status})")
    if len(label) > 60:
        raise click.ClickException("--label 最多 60 个字 (--label: at most 60 characters)")
    token = tokens.issue(dealer, label, actor)
    db.session.commit()
    click.echo(token)


@dealers_cli.command("suspend")
@click.argument("phone")
@click.option("--reason", default="运营人员暂停 (suspended by an operator)")
@click.option("--by", "actor", default="cli")
@with_appcontext
def suspend_command(phone, reason, actor):
    """Suspend a dealer: retail prices, API tokens refused, until reactivated."""
    _decide(phone, "suspend", reason, actor)


@dealers_cli.command("reactivate")
@click.argument("phone")
@click.option("--by", "actor", default="cli")
@with_appcontext
def reactivate_command(phone, actor):
    """Approve a suspended (or rejected) dealer again."""
    _decide(phone, "reactivate", "", actor)


@dealers_cli.command("set-password")
@click.argument("phone")
@click.password_option(help="The dealer's new web password (asked twice).")
@with_appcontext
def set_password_command(phone, password):
    """Set the password the dealer logs in with at /dealer/login."""
    if not 8 <= len(password) <= 200:
        raise click.ClickException("密码须为 8 到 200 个字符 (password: 8–200 characters)")
    dealer = _dealer(phone)
    dealer.set_password(password)
    db.session.commit()
    click.echo(f"password set for {dealer.phone}")


def _decide(phone, action, reason, actor):
    dealer = _dealer(phone)
    try:
        accounts.act(dealer, action, actor=actor, reason=reason)
    except accounts.AccountError as err:
        db.session.rollback()
        raise click.ClickException(str(err)) from None
    db.session.commit()
    click.echo(f"{dealer.phone}: {dealer.status}")


@dealers_cli.command("set-credit")
@click.argument("phone")
@click.option("--limit", "limit", required=True, help="授信额度 in yuan, e.g. 50000.00 (0 = no credit).")
@click.option("--terms-days", type=int, default=None, help="账期: days after dispatch an order falls due.")
@click.option("--by", "actor", default="cli", help="Who grants it (audited).")
@with_appcontext
def set_credit_command(phone, limit, terms_days, actor):
    """Grant a dealer a credit limit and terms (audited with before and after)."""
    dealer = _dealer(phone)
    try:
        limit_fen = parse_yuan(limit)
        credit.set_credit(dealer, limit_fen=limit_fen, actor=actor,
                          terms_days=dealer.credit_terms_days if terms_days is None else terms_days)
    except (ValueError, credit.CreditError) as err:
        db.session.rollback()
        raise click.ClickException(str(err)) from None
    db.session.commit()
    click.echo(f"{dealer.phone}: limit {format_yuan(dealer.credit_limit_fen)}, terms {dealer.credit_terms_days} days")


@dealers_cli.command("record-payment")
@click.argument("phone")
@click.option("--amount", required=True, help="Yuan received, e.g. 1000.00.")
@click.option("--by", "actor", required=True, help="Who records it (audited).")
@click.option("--reference", default="", help="The bank's reference (流水号).")
@click.option("--date", "received_on", default="", help="The bank's date, YYYY-MM-DD (default today, Shanghai).")
@with_appcontext
def record_payment_command(phone, amount, actor, reference, received_on):
    """Record a dealer's payment on account: it settles the oldest credit orders first."""
    dealer = _dealer(phone)
    now = datetime.now(UTC)
    try:
        amount_fen = parse_yuan(amount)
        day = date.fromisoformat(received_on) if received_on else ledger.local_day(now)
        _payment, paid = credit.record_payment(dealer, amount_fen=amount_fen, received_on=day,
                                               reference=reference, actor=actor, now=now)
    except (ValueError, credit.CreditError) as err:
        db.session.rollback()
        raise click.ClickException(str(err)) from None
    at = credit.position(dealer, now)
    db.session.commit()
    click.echo(f"{dealer.phone}: received {format_yuan(amount_fen)}; settled {', '.join(paid) or 'no order in full'}; "
               f"outstanding {format_yuan(at.outstanding_fen)}, balance {format_yuan(at.balance_fen)}")
