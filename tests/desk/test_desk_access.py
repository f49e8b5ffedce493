"""Desk accounts, logging in, and that nobody but staff gets past /desk."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.actions import (
    STAFF_PASSWORD,
    buy,
    csrf_token,
    database,
    log_in,
    make_user,
)


def create_staff(runner, name: str, typed: str, role: str = "admin"):
    """`flask --app wsgi users create-staff NAME --role ROLE`, typing the password twice when asked."""
    return runner.invoke(args=["users", "create-staff", name, "--role", role], input=typed)


def stored_user(app, name: str):
    from shop.desk.models import User

    with database(app) as db:
        return db.session.execute(sa.select(User).where(User.username == name)).scalar()


# The first account, from the command line


def test_create_staff_asks_for_the_password_and_stores_only_a_hash(app, runner):
    result = create_staff(runner, "老板", f"{STAFF_PASSWORD}\n{STAFF_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output and STAFF_PASSWORD not in result.output
    user = stored_user(app, "老板")
    assert user.role == "admin"
    assert STAFF_PASSWORD not in user.password_hash and user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert log_in(app.test_client(), "老板").status_code == 303


@pytest.mark.parametrize("typed", ["pw\npw\n", "1234567\n1234567\n"])
def test_a_password_under_eight_characters_is_refused(app, runner, typed):
    result = create_staff(runner, "老板", typed)
    assert result.exit_code != 0 and "8" in result.output
    assert stored_user(app, "老板") is None


def test_eight_characters_is_enough(app, runner):
    assert create_staff(runner, "小王", "12345678\n12345678\n", role="staff").exit_code == 0
    assert stored_user(app, "小王").role == "staff"


def test_passwords_that_differ_create_nobody(app, runner):
    result = create_staff(runner, "老板", f"{STAFF_PASSWORD}\nsomething else\n")
    assert result.exit_code != 0
    assert stored_user(app, "老板") is None


def test_the_same_name_twice_is_refused(app, runner):
    create_staff(runner, "老板", f"{STAFF_PASSWORD}\n{STAFF_PASSWORD}\n")
    result = create_staff(runner, "老板", "another-password\nanother-password\n")
    assert result.exit_code != 0 and "exists" in result.output


def test_an_unknown_role_is_refused(app, runner):
    assert create_staff(runner, "老板", f"{STAFF_PASSWORD}\n{STAFF_PASSWORD}\n", role="owner").exit_code != 0
    assert stored_user(app, "老板") is None


# Logging in


def test_wrong_password_is_401_and_the_right_one_lets_staff_in(app):
    make_user(app, "小李", "staff")
    client = app.test_client()
    assert log_in(client, "小李", "wrong-password").status_code == 401
    assert log_in(client, "nobody", STAFF_PASSWORD).status_code == 401
    assert client.get("/desk/").status_code == 302
    response = log_in(client, "小李")
    assert response.status_code == 303 and response.headers["Location"].endswith("/desk/")
    assert client.get("/desk/").status_code == 200


def test_login_only_follows_next_inside_the_desk(app):
    make_user(app, "小李", "staff")
    client = app.test_client()
    token = csrf_token(client, "/desk/login")
    for target, lands in (("/desk/quotes", "/desk/quotes"), ("https://evil.example/x", "/desk/"),
                          ("//evil.example", "/desk/")):
        response = client.post(f"/desk/login?next={target}",
                               data={"username": "小李", "password": STAFF_PASSWORD, "csrf_token": token})
        assert response.headers["Location"] == lands


def test_after_the_limit_of_failures_even_the_right_password_waits(app):
    limit = app.config["LOGIN_ATTEMPTS_PER_15_MIN"]
    make_user(app, "小李", "staff")
    client = app.test_client()
    for _ in range(limit - 1):
        assert log_in(client, "小李", "guess").status_code == 401
    assert log_in(client, "小李").status_code == 303  # one failure short of the limit: still in
    client = app.test_client()
    for _ in range(limit):
        log_in(client, "小李", "guess")
    assert log_in(client, "小李").status_code == 429
    assert log_in(app.test_client(), "小李").status_code == 429
    assert app.test_client().get("/desk/").status_code == 302


def test_failures_older_than_15_minutes_no_longer_count(app):
    from shop.desk.models import LoginAttempt

    make_user(app, "小李", "staff")
    client = app.test_client()
    for _ in range(app.config["LOGIN_ATTEMPTS_PER_15_MIN"]):
        log_in(client, "小李", "guess")
    assert log_in(client, "小李").status_code == 429
    with database(app) as db:
        db.session.execute(sa.update(LoginAttempt).values(at=datetime.now(UTC) - timedelta(minutes=15, seconds=1)))
        db.session.commit()
    assert log_in(client, "小李").status_code == 303


def test_a_deactivated_account_cannot_log_in(app):
    from shop.desk.models import User

    make_user(app, "离职员工", "staff")
    with database(app) as db:
        db.session.execute(sa.update(User).values(active=False))
        db.session.commit()
    assert log_in(app.test_client(), "离职员工").status_code == 401


def test_deactivating_an_account_ends_its_desk_session(app):
    from shop.desk.models import User

    make_user(app, "离职员工", "staff")
    client = app.test_client()
    log_in(client, "离职员工")
    assert client.get("/desk/").status_code == 200
    with database(app) as db:
        db.session.execute(sa.update(User).values(active=False))
        db.session.commit()
    response = client.get("/desk/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/desk/login")


def test_login_form_with_blank_fields_is_400_not_500(app):
    client = app.test_client()
    response = client.post("/desk/login", data={"username": "", "password": "",
                                                "csrf_token": csrf_token(client, "/desk/login")})
    assert response.status_code == 400


# Every desk route, as someone who should not be there


def desk_urls(app, number: str) -> list[tuple[str, set[str]]]:
    """Every /desk rule but the login, filled in with a real order number and id 1."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/desk") or rule.endpoint == "desk.login":
            continue
        values = {arg: 1 if "int" in type(rule._converters[arg]).__name__.lower() else number
                  for arg in rule.arguments if arg not in (rule.defaults or {})}
        values.update(rule.defaults or {})
        with app.test_request_context():
            from flask import url_for

            urls.append((url_for(rule.endpoint, **values), set(rule.methods)))
    assert len(urls) >= 10, urls
    return urls


def walk(app, client, expected) -> None:
    """GET and POST (with a valid CSRF token, so that only the login is tested) every desk URL."""
    number = buy(app.test_client(), ("GRP-SHINE-C1", 100))["number"]
    token = csrf_token(client, "/desk/login")
    for url, methods in desk_urls(app, number):
        for method in ("GET", "POST"):
            response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
            if method not in methods:
                assert response.status_code == 405, (method, url)
            else:
                expected(response, method, url)


def test_anonymous_visitors_are_sent_to_the_login(app):
    def expected(response, method, url):
        assert response.status_code in (302, 303, 401, 403), (method, url, response.status_code)
        if response.status_code in (302, 303):
            assert response.headers["Location"].startswith("/desk/login"), (method, url)

    walk(app, app.test_client(), expected)


def test_a_logged_in_dealer_gets_403_everywhere(app):
    make_user(app, "代理商老赵", "dealer")
    client = app.test_client()
    assert log_in(client, "代理商老赵").status_code == 303

    def expected(response, method, url):
        assert response.status_code == 403, (method, url, response.status_code)

    walk(app, client, expected)


def test_no_desk_post_works_without_a_csrf_token(app):
    make_user(app, "小李", "admin")
    client = app.test_client()
    log_in(client, "小李")
    number = buy(app.test_client(), ("GRP-SHINE-C1", 100))["number"]
    posts = [url for url, methods in desk_urls(app, number) if "POST" in methods] + ["/desk/login"]
    for url in posts:
        response = client.post(url, data={"username": "小李", "password": STAFF_PASSWORD, "reason": "x",
                                          "amount": "1.00", "answer": "x", "scope": "unprinted"})
        assert response.status_code == 400, (url, response.status_code)
    assert client.get("/desk/").status_code == 200  # still logged in: the logout was refused too
