"""`flask customers …`: the archive for operators and scripts (list), and synthetic data for the benchmark."""

from __future__ import annotations

import json
from datetime import date

import click
from flask.cli import with_appcontext

from shop.customers import service
from shop.customers.segments import Standing
from shop.money import format_yuan


@click.group("customers")
def customers_cli():
    """The customer archive (客户档案)."""


def parse_day(text: str | None) -> date | None:
    """A YYYY-MM-DD option as a date; a clear error otherwise."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(f"日期须为 YYYY-MM-DD，例如 2027-03-15 (a date is YYYY-MM-DD): {text!r}") from None


def record(standing: Standing, customer) -> dict:
    """One customer as the CLI prints it (money as a string of yuan)."""
    return {"key": standing.key, "kind": standing.kind, "name": customer.name, "phone": customer.phone,
            "orders": standing.orders, "value": format_yuan(standing.value_fen), "grade": standing.grade,
            "segment": standing.segment,
            "last_order_at": standing.last_order.isoformat() if standing.last_order else None,
            "warnings": list(standing.warnings)}


@customers_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--as-of", "as_of", default=None, help="Compute as of this day (YYYY-MM-DD, Asia/Shanghai).")
@with_appcontext
def list_customers(as_json: bool, as_of: str | None):
    """Every customer with value, grade, segment and warnings, by value (highest first)."""
    found = service.archive(parse_day(as_of))
    ranked = sorted(found.standings, key=lambda s: (-s.value_fen, s.key))
    for standing in ranked:
        row = record(standing, found.customers[standing.id])
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(f"{row['grade']} {row['segment']:<8} {row['value']:>12} {row['orders']:>4} "
                       f"{row['last_order_at'] or '-':<10} {row['key']:<20} {row['name']} "
                       f"{','.join(row['warnings'])}")


@customers_cli.command("synthesize")
@click.option("--customers", "customers", type=click.IntRange(1, 1_000_000), default=1000, show_default=True)
@click.option("--orders", "orders", type=click.IntRange(0, 10_000_000), default=10000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--as-of", "as_of", default=None, help="The last day of the history (default today).")
@with_appcontext
def synthesize(customers: int, orders: int, seed: int, as_of: str | None):
    """Fictitious customers (phones 1990000xxxx) and two seasons of their orders, for the benchmark."""
    from shop.customers import synth

    made = synth.make(customers=customers, orders=orders, seed=seed, as_of=parse_day(as_of))
    click.echo(f"customers {made[0]}, orders {made[1]}, dealers {made[2]}")
