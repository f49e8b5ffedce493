"""`flask catalog import|set-stock|synth`: the catalog from the command line."""

from __future__ import annotations

import csv
import getpass
import io
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from shop.catalog import importer
from shop.catalog import stock as stock_service
from shop.catalog.models import Base, Grade
from shop.extensions import db


@click.group("catalog")
def catalog_cli():
    """Load and edit the catalog."""


@catalog_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--if-empty", is_flag=True, help="Only import when the catalog has no grades yet.")
@with_appcontext
def import_command(path: Path, if_empty: bool):
    """Load or update the catalog from a CSV file; a file with any bad row changes nothing."""
    if if_empty and db.session.execute(sa.select(sa.func.count(Grade.id))).scalar():
        click.echo("catalog already loaded; skipped (目录已存在，跳过导入)")
        return
    if not path.exists():
        raise click.ClickException(f"no such file: {path}")
    bases = set(db.session.execute(sa.select(Base.name)).scalars())
    try:
        rows = importer.parse(path.read_bytes(), bases)
    except importer.CatalogFileError as err:
        db.session.rollback()
        click.echo(f"{path}: {len(err.problems)} bad row(s), nothing changed (有错误，未做任何修改):", err=True)
        for line, message in err.problems:
            click.echo(f"  line {line}: {message}", err=True)
        raise SystemExit(1) from None
    report = importer.apply(rows)
    db.session.commit()
    click.echo(f"added {len(report.added)}, changed {len(report.changed)}, removed {len(report.removed)} "
               f"(新增 {len(report.added)}，修改 {len(report.changed)}，删除 {len(report.removed)})")
    for label, skus in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        if skus and len(skus) <= 50:
            click.echo(f"  {label}: {', '.join(skus)}")


@catalog_cli.command("set-stock")
@click.argument("sku")
@click.argument("quantity", type=click.IntRange(min=0))
@click.option("--base", "base_name", default=None, help="Base name, e.g. 平邑 or 临沭.")
@click.option("--by", "actor", default=None, help="Who changes it, for the audit log (default: the login name).")
@with_appcontext
def set_stock_command(sku: str, quantity: int, base_name: str | None, actor: str | None):
    """Set a grade's stock (without --base: all of it at its first base)."""
    try:
        changes = stock_service.set_stock(sku, quantity, base_name)
    except stock_service.UnknownSku:
        raise click.ClickException(f"unknown SKU {sku} (没有这个货号)") from None
    except stock_service.UnknownBase:
        raise click.ClickException(f"unknown base {base_name} (没有这个基地)") from None
    from shop.audit import record

    record(actor or f"cli:{getpass.getuser()}", "set_stock", sku, {b: old for b, (old, _) in changes.items()},
           {b: new for b, (_, new) in changes.items()})
    db.session.commit()
    for base, (old, new) in changes.items():
        click.echo(f"{sku} @ {base}: {old} → {new}")


@catalog_cli.command("synth")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--factor", default=10, show_default=True, type=click.IntRange(min=1, max=1000))
def synth_command(source: Path, target: Path, factor: int):
    """Write a synthetic catalog FACTOR times the size of SOURCE (for benchmarks)."""
    text = source.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    rows = list(reader)
    for copy in range(factor):
        for row in rows:
            if copy:
                row = dict(row)
                row["category_slug"] = f"{row['category_slug']}-x{copy}"
                row["category"] = f"{row['category']}{copy}"
                row["variety_slug"] = f"{row['variety_slug']}-x{copy}"
                row["sku"] = f"{row['sku']}-X{copy}"[:40]
                row["featured"] = "0"
            writer.writerow(row)
    target.write_text(out.getvalue(), encoding="utf-8")
    click.echo(f"wrote {len(rows) * factor} rows to {target}")
