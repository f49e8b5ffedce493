"""The catalog pages cost a fixed, small number of SQL queries, whatever the catalog's size."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from sqlalchemy import event

from shop.catalog import tree

CATALOG = Path(__file__).resolve().parents[2] / "catalog.csv"
PAGES = ["/", "/c/grape", "/api/v1/catalog"]
MAX_COLD, MAX_WARM = 6, 2


@contextlib.contextmanager
def counting_queries(app):
    """Count the SQL statements the app sends to its database inside the block.

    The catalog's version check runs on a raw driver connection that SQLAlchemy's events don't see, so its
    statements are counted by wrapping the driver connections the pool hands out.
    """
    from shop.extensions import db

    statements: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    original = tree._version

    def _counted_version():
        sessions = db.session.registry
        if not (sessions.has() and sessions().in_transaction()):
            statements.append(tree._VERSION_SQL)  # the raw-connection path, invisible to the event below
        return original()

    event.listen(engine, "before_cursor_execute", _count)
    tree._version = _counted_version
    try:
        yield statements
    finally:
        tree._version = original
        event.remove(engine, "before_cursor_execute", _count)


def forget_cached_catalog(app) -> None:
    """A cold start: as if the worker had just started (the database connection pool stays warm)."""
    app.extensions.pop("catalog_cache", None)
    app.extensions.pop("catalog_json", None)


def queries_for(app, client, url: str) -> tuple[int, int]:
    """(queries on a cold cache, queries once warm) to serve url."""
    forget_cached_catalog(app)
    with counting_queries(app) as cold:
        assert client.get(url).status_code == 200
    with counting_queries(app) as warm:
        assert client.get(url).status_code == 200
    return len(cold), len(warm)


def import_catalog(app, path: Path) -> int:
    """`flask catalog import PATH`; the number of grades it added."""
    result = app.test_cli_runner().invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 0, result.output
    return int(result.output.split("added ", 1)[1].split(",", 1)[0])


@pytest.fixture
def client(empty_app):
    client = empty_app.test_client()
    client.get("/api/v1/openapi.json")  # the engine has connected and learnt the server: not part of a page's cost
    return client


def test_catalog_pages_cost_the_same_few_queries_at_three_times_the_size(empty_app, client, tmp_path):
    added = import_catalog(empty_app, CATALOG)
    normal = {url: queries_for(empty_app, client, url) for url in PAGES}

    big = tmp_path / "catalog-x3.csv"
    result = empty_app.test_cli_runner().invoke(args=["catalog", "synth", str(CATALOG), str(big), "--factor", "3"])
    assert result.exit_code == 0, result.output
    assert import_catalog(empty_app, big) == 2 * added  # the original rows stay; two copies are new
    assert "葡萄2" in client.get("/").get_data(as_text=True)  # the pages really show the bigger catalog
    assert client.get("/c/grape-x2").status_code == 200
    tripled = {url: queries_for(empty_app, client, url) for url in PAGES}

    assert tripled == normal
    for url, (cold, warm) in normal.items():
        assert cold <= MAX_COLD, (url, cold)
        assert warm == 1, (url, warm)  # only the catalog's version check


def test_a_variety_page_and_search_do_not_grow_with_the_catalog_either(app):
    client = app.test_client()
    client.get("/")
    for url in ["/v/walnut-8518", "/v/grape-shine-muscat", "/search?q=桃"]:
        cold, warm = queries_for(app, client, url)
        assert cold <= MAX_COLD and warm <= MAX_WARM, (url, cold, warm)


def test_a_catalog_change_is_seen_by_the_next_request_at_the_cost_of_one_rebuild(app):
    client = app.test_client()
    queries_for(app, client, "/c/walnut")
    result = app.test_cli_runner().invoke(args=["catalog", "set-stock", "WAL-8518-G1", "3", "--base", "平邑"])
    assert result.exit_code == 0, result.output
    with counting_queries(app) as rebuilt:
        page = client.get("/c/walnut").get_data(as_text=True)
    assert MAX_WARM < len(rebuilt) <= MAX_COLD
    with counting_queries(app) as warm:
        assert client.get("/c/walnut").get_data(as_text=True) == page
    assert len(warm) <= MAX_WARM
