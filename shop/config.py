"""Settings: safe local defaults, then the environment, then a test's overrides."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Every setting with its default. Values from the environment are parsed to the default's type.
DEFAULTS: dict[str, object] = {
    "SECRET_KEY": "dev-only-not-secret",
    "DATABASE_URL": "",  # empty → SQLite under instance/
    "SHOP_ENV": "development",  # "production" requires a real SECRET_KEY
    "BABEL_DEFAULT_LOCALE": "zh",
    "BULK_MIN_PLANTS": 1000,
    "UNPAID_EXPIRY_HOURS": 24,
    "DISPATCH_DAYS": 2,  # 款到两日内发货
    "RECEIPT_AUTO_DAYS": 10,  # a dispatched order not confirmed received after this many days is completed
    "CLAIM_WINDOW_DAYS": 30,
    "SHIPPING_RATES_FILE": str(ROOT / "shipping_rates.csv"),
    "PLANTING_FILE": str(ROOT / "planting.csv"),  # spacings and pollination for the planting planner
    "SHIP_WINDOWS_FILE": str(ROOT / "ship_windows.csv"),  # each province's dispatch windows (适宜发货期)
    "QUARANTINE_CERT_DAYS": 15,  # a plant quarantine certificate older than this many days cannot dispatch
    # The seller (甲方). Obviously fictitious defaults; set the real ones in the environment.
    "SELLER_NAME": "示例果树种苗场（演示）",
    "SELLER_NAME_EN": "Example Fruit Nursery (demo)",
    "SELLER_CONTACT": "张示例",
    "SELLER_PHONE": "000-0000-0000",
    "SELLER_ADDRESS": "山东省临沂市示例路1号（演示地址）",
    "SELLER_BANK_ACCOUNTS": "示例银行 户名:示例果树种苗场 账号:0000 0000 0000 0000",
    # Payments
    "STRIPE_SECRET_KEY": "",
    "STRIPE_WEBHOOK_SECRET": "",
    "STRIPE_API_BASE": "",
    "STRIPE_PAYMENT_METHOD_TYPES": "card,alipay,wechat_pay",
    "PUBLIC_BASE_URL": "",  # e.g. https://shop.example.cn; used in links printed on contracts
    "LOGIN_ATTEMPTS_PER_15_MIN": 10,
    "RATELIMIT_ENABLED": True,  # Flask-Limiter; False switches every limit off
    "RATELIMIT_STORAGE_URI": "memory://",  # one process; e.g. redis://… when several workers share the limits
    "DEALER_APPLY_LIMIT": "5 per hour",  # dealer applications per client address
    "CREDIT_WARN_PERCENT": 80,  # 外欠款预警: a dealer at or above this share of the credit limit
    # Customers (客户档案, SPEC "Customers"): the figures of the grades, segments and warnings
    "CUSTOMER_VALUE_DAYS": 365,  # value = paid − refunded over this many days, ending on the as-of day
    "CUSTOMER_GRADE_A_PERCENT": 80,  # A: the customers that make up the first 80% of the value (ABC, Pareto)
    "CUSTOMER_GRADE_B_PERCENT": 15,  # B: the next 15%; C the rest
    "DORMANT_DAYS": 365,  # 休眠: no order for this many days
    "CHURN_GRACE_DAYS": 30,  # 流失预警: days past the customer's usual gap between orders
    "CHURN_ONE_ORDER_GAP_DAYS": 365,  # the usual gap of a customer with one order
    "SALES_PROGRESS_PERCENT": 70,  # 销售进度预警: a dealer's season to date under this share of last season's
    "CUSTOMERS_PER_PAGE": 50,
}


def _coerce(default: object, raw: str) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def load(overrides: dict | None = None, instance_path: str | None = None) -> dict:
    """Build the settings dict: defaults, then environment, then overrides."""
    settings = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        if key in os.environ:
            settings[key] = _coerce(default, os.environ[key])
    if overrides:
        settings.update(overrides)
    url = settings.get("SQLALCHEMY_DATABASE_URI") or settings["DATABASE_URL"]
    if not url:
        url = "sqlite:///" + str(Path(instance_path or ROOT / "instance") / "shop.sqlite3")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    settings["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        settings.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 30}})
    else:
        settings.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    settings.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(days=30))  # the cart survives a browser restart
    settings.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    settings.setdefault("SESSION_COOKIE_SECURE", settings["SHOP_ENV"] == "production")
    settings.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a form left open on a phone stays valid for the session
    settings.setdefault("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    if settings["SHOP_ENV"] == "production" and settings["SECRET_KEY"] == DEFAULTS["SECRET_KEY"]:
        raise RuntimeError("SECRET_KEY must be set in the environment in production")
    return settings
