"""POST /api/v1/order-lines/parse as a dealer's program or the bulk-entry page calls it."""

from __future__ import annotations

import pytest

from tests.actions.buyer import buy
from tests.catalog.test_queries import counting_queries, forget_cached_catalog

URL = "/api/v1/order-lines/parse"
LINE_KEYS = {"row", "text", "status", "sku", "quantity", "available", "candidates", "merged_into", "merged_rows",
             "message"}


def parse(client, text: str, lang: str | None = None):
    """The response to a pasted list."""
    return client.post(URL, json={"text": text}, query_string={"lang": lang} if lang else {})


def test_each_line_gets_its_verdict_with_the_documented_shape(client):
    text = ("品种,规格,数量\nGRP-SHINE-C1 500\n阳光玫瑰 500\n侧柏 10\nxyz 1\n巨峰 二级 1.5\n新美 二级 5\n"
            "\n8518 一级 五百\ngrp-shine-c1,1万")
    response = parse(client, text)
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert all(set(line) == LINE_KEYS for line in document["lines"])
    assert [(x["row"], x["status"], x["sku"], x["quantity"]) for x in document["lines"]] == [
        (2, "ok", "GRP-SHINE-C1", 500), (3, "ambiguous", None, None), (4, "quote_only", "GRN-CEBAI-H150", 10),
        (5, "not_found", None, None), (6, "bad_quantity", "GRP-KYOHO-C2", None),
        (7, "insufficient_stock", "KIW-XINMEI-G2", 5), (9, "ok", "WAL-8518-G1", 500), (10, "ok", "GRP-SHINE-C1", 10000)]
    assert (document["ok"], document["problems"]) == (3, 5)
    first, ambiguous, *_ = document["lines"]
    assert first["merged_rows"] == [10] and document["lines"][-1]["merged_into"] == 2
    assert first["available"] == 284700 and "共10500株" in first["message"]
    assert ambiguous["candidates"][1] == {"sku": "GRP-SHINE-C1", "variety": "阳光玫瑰", "grade": "一级扦插苗"}
    assert document["lines"][5]["available"] == 0
    assert document["items"] == [{"sku": "GRP-SHINE-C1", "quantity": 10500}, {"sku": "WAL-8518-G1", "quantity": 500}]


def test_messages_and_candidates_in_english_with_lang_en(client):
    lines = parse(client, "阳光玫瑰 500\nGRP-SHINE-C1 1.5", lang="en").get_json()["lines"]
    assert "several grades" in lines[0]["message"] and "not valid" in lines[1]["message"]
    assert lines[0]["candidates"][1] == {"sku": "GRP-SHINE-C1", "variety": "Shine Muscat",
                                         "grade": "Grade 1 own-rooted cutting"}
    assert "多个规格" in parse(client, "阳光玫瑰 500").get_json()["lines"][0]["message"]


def test_the_good_lines_can_be_ordered_as_they_come(client):
    document = parse(client, "巨峰 二级 300\nGRP-KYOHO-C2 200\nxyz 5\n8518 一级 100").get_json()
    order = buy(client, *[(item["sku"], item["quantity"]) for item in document["items"]])
    assert sorted((line["sku"], line["quantity"]) for line in order["items"]) == [
        ("GRP-KYOHO-C2", 500), ("WAL-8518-G1", 100)]


def test_the_next_parse_sees_a_stock_change(app, client):
    assert parse(client, "GRP-SHINE-C1 200000").get_json()["lines"][0]["status"] == "ok"  # of 284700
    result = app.test_cli_runner().invoke(args=["catalog", "set-stock", "GRP-SHINE-C1", "3", "--base", "平邑"])
    assert result.exit_code == 0, result.output
    line = parse(client, "GRP-SHINE-C1 200000").get_json()["lines"][0]
    assert (line["status"], line["available"]) == ("insufficient_stock", 3 + 173700)  # 临沭 keeps its plants


@pytest.mark.parametrize(("body", "reason"), [
    ([{"text": "GRP-SHINE-C1 5"}], "JSON object"), ("GRP-SHINE-C1 5", "JSON object"), ({"text": 5}, "text"),
    ({"text": ["GRP-SHINE-C1 5"]}, "text"), ({"text": None}, "text"), ({}, "text"),
])
def test_a_malformed_body_is_a_json_400(client, body, reason):
    response = client.post(URL, json=body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request" and reason in error["message"]


def test_a_body_that_is_not_json_is_refused_as_json(client):
    response = client.post(URL, data="GRP-SHINE-C1 5", content_type="text/plain")
    assert response.status_code == 415 and response.get_json()["error"]["code"] == "bad_request"


def test_500_lines_are_read_and_501_are_too_many(client):
    rows = ["GRP-SHINE-C1 1", "GRP-SHINE-C2 1"] * 250
    document = parse(client, "sku,quantity\n" + "\n".join(rows)).get_json()
    assert len(document["lines"]) == 500 and document["ok"] == 500
    for lang, words in (("zh", "一次最多500行（现在501行）"), ("en", "At most 500 lines")):
        response = parse(client, "\n".join([*rows, "巨峰 二级 1"]), lang=lang)
        assert response.status_code == 413
        error = response.get_json()["error"]
        assert error["code"] == "too_many_lines" and words in error["message"]


def test_an_empty_list_and_broken_text_are_answers_not_errors(client):
    assert parse(client, "").get_json() == {"lines": [], "ok": 0, "problems": 0, "items": []}
    document = parse(client, "GRP-SHINE-C1 \ud800 5\n\x00\n" + "桃" * 5000).get_json()
    assert [line["status"] for line in document["lines"]] == ["ok", "not_found"]


def test_the_route_is_documented_in_the_openapi_document(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"][URL]["post"]
    assert {"200", "400", "413", "415"} <= set(operation["responses"])
    assert operation["requestBody"]["content"]["application/json"]["schema"]["required"] == ["text"]
    line = operation["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["lines"]["items"]
    assert set(line["properties"]) == LINE_KEYS
    assert line["properties"]["status"]["enum"] == ["ok", "not_found", "ambiguous", "quote_only",
                                                    "insufficient_stock", "bad_quantity"]


def test_200_lines_cost_the_same_queries_as_one(app, client):
    one = "GRP-SHINE-C1 5"
    names = ["GRP-SHINE-C1 5", "阳光玫瑰 扦插 一级 6", "8518 一级 五百", "巨峰,二级,1,000", "阳光玫瑰 500", "xyz 1",
             "侧柏 10", "冬枣 一级 2.5万"]
    many = "\n".join(names[n % len(names)] for n in range(200))
    client.get("/api/v1/openapi.json")  # the engine has connected: not part of a parse's cost
    counts = {}
    for name, text in (("one", one), ("many", many)):
        forget_cached_catalog(app)
        with counting_queries(app) as cold:
            assert len(parse(client, text).get_json()["lines"]) == text.count("\n") + 1
        with counting_queries(app) as warm:
            assert parse(client, text).status_code == 200
        counts[name] = (len(cold), len(warm))
    assert counts["one"] == counts["many"]
    assert counts["one"][1] == 1  # warm: only the catalog's version check
