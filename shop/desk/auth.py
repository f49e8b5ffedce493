"""Staff login with hashed passwords and a limit on failed attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from shop.desk import bp
from shop.desk.forms import LoginForm
from shop.desk.models import LoginAttempt, User
from shop.extensions import db, login_manager

WINDOW = timedelta(minutes=15)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The logged-in user, by id; an account deactivated since logging in is logged out."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


@bp.before_request
def staff_only():
    """Every desk page but the login needs a logged-in staff member; others are turned away."""
    if request.endpoint in {"desk.login"}:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("desk.login", next=request.full_path if request.method == "GET" else None))
    if not getattr(current_user, "is_staff", False):
        abort(403)
    return None


def too_many_failures(keys: list[str]) -> bool:
    """True when any of the keys (a name, a phone, an address) has reached LOGIN_ATTEMPTS_PER_15_MIN failures in
    15 minutes; the desk's and the dealers' logins count the same way."""
    since = datetime.now(UTC) - WINDOW
    counts = db.session.execute(
        sa.select(sa.func.count(LoginAttempt.id)).where(LoginAttempt.key.in_(keys), LoginAttempt.at >= since)
        .group_by(LoginAttempt.key)
    ).scalars()
    return max(counts, default=0) >= current_app.config["LOGIN_ATTEMPTS_PER_15_MIN"]


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in; after too many failures for a name or an address, wait 15 minutes."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        name = form.username.data.strip()
        keys = [f"user:{name.lower()}", f"addr:{request.remote_addr}"]
        if too_many_failures(keys):
            flash(_("登录失败次数过多，请15分钟后再试。"), "error")
            return render_template("desk/login.html", form=form), 429
        user = db.session.execute(sa.select(User).where(User.username == name)).scalar()
        if user is not None and user.active and user.check_password(form.password.data):
            login_user(user)
            db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.key == keys[0]))
            db.session.commit()
            target = request.args.get("next") or ""
            return redirect(target if target.startswith("/desk") else url_for("desk.index"), 303)
        db.session.add_all([LoginAttempt(key=k) for k in keys])
        db.session.commit()
        flash(_("用户名或密码错误。"), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("desk/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Log out."""
    logout_user()
    return redirect(url_for("desk.login"), 303)
