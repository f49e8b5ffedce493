"""苗木商城: the online order desk of a fruit-tree seedling nursery."""

from __future__ import annotations

from flask import Flask

from shop import config


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: defaults, then the environment, then the given overrides."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static", instance_relative_config=True)
    app.config.from_mapping(config.load(overrides, app.instance_path))
    _ensure_instance(app)
    register_extensions(app)
    register_domain(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def _ensure_instance(app: Flask) -> None:
    import os

    os.makedirs(app.instance_path, exist_ok=True)


def register_extensions(app: Flask) -> None:
    """Bind the database, migrations, CSRF, i18n and logins to the app."""
    from shop import i18n
    from shop.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config.ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, default_translation_directories="translations")
    login_manager.init_app(app)
    limiter.init_app(app)
    login_manager.login_view = "desk.login"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            _sqlite_pragmas(db.engine)


def _sqlite_pragmas(engine) -> None:
    """WAL and a busy timeout let concurrent requests wait for SQLite's single writer.

    pysqlite opens a transaction only before the first write, so a guarded UPDATE is the
    statement that takes the write lock: the same stock guard as on PostgreSQL.
    """
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def register_domain(app: Flask) -> None:
    """Load the shipping rate table, the planting data and the dispatch windows once; a bad file stops start-up
    with its line number."""
    from shop import shipping
    from shop.planner import data as planting
    from shop.seasons import datafile

    app.extensions["shipping_rates"] = shipping.load_rates(app.config["SHIPPING_RATES_FILE"])
    app.extensions["planting"] = planting.load(app.config["PLANTING_FILE"])
    app.extensions["ship_windows"] = datafile.load_windows(app.config["SHIP_WINDOWS_FILE"])


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature package."""
    from shop.api import bp as api_bp
    from shop.bench import bp as bench_bp
    from shop.cart import bp as cart_bp
    from shop.catalog import bp as catalog_bp
    from shop.checkout import bp as checkout_bp
    from shop.contracts.views import bp as contracts_bp
    from shop.dealers.views import bp as dealers_bp
    from shop.desk import bp as desk_bp
    from shop.extensions import csrf
    from shop.orders import bp as orders_bp
    from shop.orders import views as _order_views  # noqa: F401  (the routes on orders_bp)
    from shop.payments import bp as payments_bp
    from shop.planner import bp as planner_bp

    for blueprint in (catalog_bp, cart_bp, checkout_bp, orders_bp, payments_bp, contracts_bp, desk_bp, bench_bp,
                      dealers_bp, planner_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # JSON API: no cookies authenticate it, so no cross-site form can abuse it


def register_errorhandlers(app: Flask) -> None:
    """JSON errors under /api, friendly pages elsewhere; never a trace."""
    from shop import errors

    errors.register(app)


def register_template_helpers(app: Flask) -> None:
    """Money filters and the language switch for templates."""
    from shop import money, templating

    app.add_template_filter(money.format_money, "money")
    app.add_template_filter(templating.cn_time, "cn_time")
    app.add_template_filter(templating.cn_date, "cn_date")
    app.context_processor(templating.context)
    from shop.orders import methods, states

    app.add_template_global(states.status_label, "status_label")
    app.add_template_global(states.payment_label, "payment_label")
    app.add_template_global(methods.shipping_label, "shipping_label")
    app.add_template_global(methods.payment_label, "payment_method_label")
    from shop.seasons import current as seasons

    app.add_template_global(seasons.season, "ship_season")
    app.add_template_filter(templating.day_text, "day_text")


def register_commands(app: Flask) -> None:
    """flask catalog …, flask orders …, flask users …."""
    from shop.catalog.cli import catalog_cli
    from shop.customers.cli import customers_cli
    from shop.dealers.cli import dealers_cli
    from shop.desk.cli import users_cli
    from shop.orders.cli import orders_cli

    for group in (catalog_cli, orders_cli, users_cli, dealers_cli, customers_cli):
        app.cli.add_command(group)
