"""`flask users create-staff NAME --role admin`: the first desk account, and more."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from shop.desk.models import ROLES, User
from shop.extensions import db


@click.group("users")
def users_cli():
    """Desk accounts."""


@users_cli.command("create-staff")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True)
@click.password_option(help="Asked for when not given (typed twice, not echoed).")
@with_appcontext
def create_staff(name: str, role: str, password: str):
    """Create a staff or admin account; the password is stored hashed."""
    name = name.strip()
    if not name or len(name) > 60:
        raise click.ClickException("the name must be 1 to 60 characters")
    if len(password) < 8:
        raise click.ClickException("the password must be at least 8 characters (密码至少8位)")
    if db.session.execute(sa.select(User).where(User.username == name)).scalar():
        raise click.ClickException(f"user {name} already exists (用户已存在)")
    user = User(username=name, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {role} {name}")
