"""The app factory: settings from the environment, refusal to start on bad configuration, error shapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from shop import create_app
from shop.shipping import RateFileError


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.setenv("SHOP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("BULK_MIN_PLANTS", "500")
    monkeypatch.setenv("SELLER_NAME", "测试苗圃")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["BULK_MIN_PLANTS"] == 500
    assert app.config["SELLER_NAME"] == "测试苗圃"


def test_postgres_urls_use_psycopg_3(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://shop@127.0.0.1:5432/shop")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_a_bad_rate_file_stops_start_up_naming_the_line(tmp_path):
    rates = Path(__file__).resolve().parent.parent / "shipping_rates.csv"
    lines = rates.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].split(",", 1)[0] + ",Nowhere,1,abc,2.00,12.00,3.00"
    bad = tmp_path / "rates.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RateFileError, match="line 6"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SHIPPING_RATES_FILE": str(bad)})


def test_secrets_are_not_in_the_repository_defaults():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert "示例" in app.config["SELLER_NAME"] and "演示" in app.config["SELLER_NAME"]
    assert set(app.config["SELLER_BANK_ACCOUNTS"].replace(" ", "")) & set("123456789") == set()
    assert app.config["STRIPE_SECRET_KEY"] == ""


def test_an_unexpected_error_is_json_under_the_api_and_a_page_elsewhere(app):
    @app.get("/api/v1/_boom")
    def _boom_api():
        raise RuntimeError("boom")

    @app.get("/_boom")
    def _boom_page():
        raise RuntimeError("boom")

    client = app.test_client()
    api = client.get("/api/v1/_boom")
    assert api.status_code == 500
    assert api.get_json() == {"error": {"code": "internal", "message": "internal error"}}
    page = client.get("/_boom")
    assert page.status_code == 500
    assert "系统繁忙" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True) and "boom" not in page.get_data(as_text=True)
