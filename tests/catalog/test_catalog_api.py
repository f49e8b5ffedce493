"""GET /api/v1/catalog and the OpenAPI document, as a dealer's program reads them; API errors as JSON."""

from __future__ import annotations

import gzip
import json
import re
from decimal import Decimal

import pytest

from tests.catalog.test_storefront import AD_RANGES, catalog_rows, varieties

MONEY = re.compile(r"^\d+\.\d{2}$")
CATEGORY_KEYS = {"slug", "name", "name_en", "price_min", "price_max", "quote_only", "varieties"}
VARIETY_KEYS = {"slug", "name", "name_en", "featured", "price_min", "price_max", "quote_only", "grades"}
GRADE_KEYS = {"sku", "name", "spec", "price", "stock", "stock_by_base"}


def fetch_catalog(client) -> dict:
    """What a dealer's program gets from GET /api/v1/catalog."""
    response = client.get("/api/v1/catalog")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def money(text: str) -> str:
    """catalog.csv's price as the API writes money: "0.50"."""
    return f"{Decimal(text):.2f}"


def grades_by_sku(document: dict) -> dict[str, tuple[dict, dict, dict]]:
    return {g["sku"]: (c, v, g) for c in document["categories"] for v in c["varieties"] for g in v["grades"]}


def test_the_catalog_document_has_exactly_the_documented_shape(client):
    document = fetch_catalog(client)
    assert set(document) == {"currency", "categories"} and document["currency"] == "CNY"
    for category in document["categories"]:
        assert set(category) == CATEGORY_KEYS
        for variety in category["varieties"]:
            assert set(variety) == VARIETY_KEYS and isinstance(variety["featured"], bool)
            for grade in variety["grades"]:
                assert set(grade) == GRADE_KEYS
                assert grade["price"] is None or MONEY.match(grade["price"]), grade
                assert set(grade["stock_by_base"]) == {"平邑", "临沭"}, grade
                assert all(type(n) is int and n >= 0 for n in grade["stock_by_base"].values())
                assert grade["stock"] == sum(grade["stock_by_base"].values())
            for key in ("price_min", "price_max"):
                assert variety[key] is None or MONEY.match(variety[key])


def test_every_grade_of_catalog_csv_is_in_the_api_with_its_price_and_stock(client):
    found = grades_by_sku(fetch_catalog(client))
    rows = catalog_rows()
    assert set(found) == {row["sku"] for row in rows}
    for row in rows:
        category, variety, grade = found[row["sku"]]
        assert (category["slug"], category["name"], category["name_en"]) == (
            row["category_slug"], row["category"], row["category_en"])
        assert (variety["slug"], variety["name"], variety["name_en"]) == (
            row["variety_slug"], row["variety"], row["variety_en"])
        assert grade["name"] == row["grade"]
        assert grade["price"] == (money(row["price"]) if row["price"] else None)
        stock = {base: int(n) for base, n in (part.split("=") for part in row["stock"].split(";"))}
        assert grade["stock_by_base"] == {"平邑": stock.get("平邑", 0), "临沭": stock.get("临沭", 0)}
        if row["height_cm"]:
            assert f"苗高≥{row['height_cm']}cm" in grade["spec"]


def test_category_ranges_are_the_ads_and_unpriced_items_are_on_request(client):
    document = fetch_catalog(client)
    ranges = {c["name"]: (c["price_min"], c["price_max"]) for c in document["categories"] if not c["quote_only"]}
    assert ranges == AD_RANGES
    on_request = {c["name"] for c in document["categories"] if c["quote_only"]}
    assert on_request == {"绿化苗木", "金银花", "甜茶"}
    for category in document["categories"]:
        if category["quote_only"]:
            assert category["price_min"] is None and category["price_max"] is None
            assert all(v["quote_only"] and g["price"] is None for v in category["varieties"] for g in v["grades"])
    ginkgo = grades_by_sku(document)["GRN-YINXING-D35"][1]
    assert ginkgo["name"] == "银杏" and ginkgo["quote_only"] is True and ginkgo["price_min"] is None


def test_variety_ranges_and_the_featured_walnut(client):
    document = fetch_catalog(client)
    expected = varieties()
    shown = {v["slug"]: v for c in document["categories"] for v in c["varieties"]}
    assert set(shown) == set(expected)
    for slug, variety in expected.items():
        prices = variety["prices"]
        lo, hi = (f"{min(prices):.2f}", f"{max(prices):.2f}") if prices else (None, None)
        assert (shown[slug]["price_min"], shown[slug]["price_max"]) == (lo, hi), slug
    assert [slug for slug, v in shown.items() if v["featured"]] == ["walnut-8518"]


def test_a_stock_change_is_in_the_next_answer(app, client):
    runner = app.test_cli_runner()
    assert grades_by_sku(fetch_catalog(client))["WAL-8518-G1"][2]["stock"] == 103800
    runner.invoke(args=["catalog", "set-stock", "WAL-8518-G1", "7", "--base", "临沭"])
    grade = grades_by_sku(fetch_catalog(client))["WAL-8518-G1"][2]
    assert grade["stock_by_base"] == {"平邑": 82000, "临沭": 7} and grade["stock"] == 82007


def test_a_gzip_client_gets_the_same_document_compressed(client):
    plain = client.get("/api/v1/catalog")
    zipped = client.get("/api/v1/catalog", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert json.loads(gzip.decompress(zipped.data)) == plain.get_json()
    assert len(zipped.data) < len(plain.data) / 3


# --- the OpenAPI document -----------------------------------------------------------------------------------------


def api_routes(app) -> set[tuple[str, str]]:
    """(path in OpenAPI form, method) of every route the app serves under /api/v1."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_openapi_is_version_3_and_lists_every_api_route(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"]
    listed = {(path, method) for path, ops in document["paths"].items() if path.startswith("/api/v1")
              for method in ops}
    routes = api_routes(app)
    assert {("/api/v1/catalog", "get"), ("/api/v1/openapi.json", "get")} <= routes
    assert len(routes) >= 4
    assert listed == routes
    operation_ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))
    for path, ops in document["paths"].items():
        for op in ops.values():
            named = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert named == set(re.findall(r"{([^}]+)}", path)), path
            assert op["responses"], path


def test_openapi_describes_the_catalog_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schema = document["paths"]["/api/v1/catalog"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    category = schema["properties"]["categories"]["items"]
    variety = category["properties"]["varieties"]["items"]
    grade = variety["properties"]["grades"]["items"]
    assert set(category["properties"]) == CATEGORY_KEYS
    assert set(variety["properties"]) == VARIETY_KEYS
    assert set(grade["properties"]) == GRADE_KEYS
    assert document["components"]["schemas"]["Error"]["required"] == ["error"]


# --- errors -----------------------------------------------------------------------------------------------------------


def assert_json_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    assert body["error"]["code"] == code and isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/catalog/extra", "/api/v1/", "/api/v2/catalog"])
def test_an_unknown_api_path_is_a_json_404(client, path):
    assert_json_error(client.get(path), 404, "not_found")


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/api/v1/catalog"), ("delete", "/api/v1/catalog"), ("put", "/api/v1/openapi.json"),
])
def test_a_wrong_method_is_a_json_405(client, method, path):
    assert_json_error(getattr(client, method)(path, json={}), 405, "method_not_allowed")
