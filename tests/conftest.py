"""Fixtures: an app on a fresh, migrated database (SQLite by default, PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog.csv"
# Every destination in season all year: no test but the seasons' own depends on the day it runs (those load the
# real ship_windows.csv, or one made for the day, and pass their dates).
ALL_YEAR_WINDOWS = ROOT / "tests" / "data" / "ship_windows_all_year.csv"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _migrate_and_load(url: str, load_catalog: bool) -> None:
    from flask_migrate import upgrade

    from shop import create_app
    from shop.catalog import importer
    from shop.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        if load_catalog:
            bases = set(db.session.execute(sa.text("SELECT name FROM base")).scalars())
            importer.apply(importer.parse(CATALOG.read_bytes(), bases))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()


class SqliteDatabases:
    """Migrated template files, copied for each test."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.templates: dict[bool, Path] = {}

    def fresh(self, loaded: bool) -> str:
        if loaded not in self.templates:
            path = self.folder / f"template-{int(loaded)}.sqlite3"
            _migrate_and_load(f"sqlite:///{path}", loaded)
            self.templates[loaded] = path
        target = self.folder / f"test-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copy(self.templates[loaded], target)
        return f"sqlite:///{target}"


class PostgresDatabases:
    """Migrated template databases on the server, cloned with CREATE DATABASE … TEMPLATE for each test."""

    def __init__(self, url: str):
        self.url = sa.make_url(url)
        self.admin = sa.create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.templates: dict[bool, str] = {}
        self.current: str | None = None

    def _recreate(self, name: str, template: str | None = None) -> None:
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.execute(sa.text(f'CREATE DATABASE "{name}"{suffix}'))

    def fresh(self, loaded: bool) -> str:
        if loaded not in self.templates:
            name = f"shop_tpl_{os.getpid()}_{int(loaded)}"
            self._recreate(name)
            _migrate_and_load(self.url.set(database=name).render_as_string(hide_password=False), loaded)
            self.templates[loaded] = name
        name = f"shop_test_{os.getpid()}"  # per process: parallel runs on one server don't collide
        self._recreate(name, self.templates[loaded])
        self.current = name
        return self.url.set(database=name).render_as_string(hide_password=False)


    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in [*self.templates.values(), self.current]:
                if name:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    if PG_URL:
        pg = PostgresDatabases(PG_URL)
        yield pg
        pg.drop_all()
    else:
        yield SqliteDatabases(tmp_path_factory.mktemp("db"))


def _make_app(databases, loaded: bool, overrides: dict | None):
    from shop import create_app

    url = databases.fresh(loaded)
    settings = {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "test-secret",
                "STRIPE_SECRET_KEY": "", "PUBLIC_BASE_URL": "http://localhost", "SHIP_WINDOWS_FILE": str(ALL_YEAR_WINDOWS)}
    settings.update(overrides or {})
    app = create_app(settings)
    yield app
    from shop.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_overrides():
    """Settings a test module wants on top of the defaults (override this fixture)."""
    return {}


@pytest.fixture
def app(databases, app_overrides):
    """The shop on a migrated database holding catalog.csv."""
    yield from _make_app(databases, True, app_overrides)


@pytest.fixture
def empty_app(databases, app_overrides):
    """The shop on a migrated database with no catalog."""
    yield from _make_app(databases, False, app_overrides)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """The database inside an app context held for the whole test.

    Beware: test-client requests made while it is held share its `g`, so Flask-Login's cached user leaks
    between clients; tests that log people in should open short `with app.app_context():` blocks instead.
    """
    from shop.extensions import db as database

    with app.app_context():
        yield database

