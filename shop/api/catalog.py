"""GET /api/v1/catalog: the whole catalog with prices as yuan strings."""

from __future__ import annotations

import gzip

from flask import Response, current_app, json, request

from shop.api import bp
from shop.api.openapi import MONEY, doc
from shop.catalog import tree
from shop.money import format_yuan

GRADE = {"type": "object", "properties": {
    "sku": {"type": "string"}, "name": {"type": "string"}, "spec": {"type": "string"},
    "price": {**MONEY, "nullable": True}, "stock": {"type": "integer"},
    "stock_by_base": {"type": "object", "additionalProperties": {"type": "integer"}}}}
RANGE = {"price_min": {**MONEY, "nullable": True}, "price_max": {**MONEY, "nullable": True},
         "quote_only": {"type": "boolean"}}
VARIETY = {"type": "object", "properties": {
    "slug": {"type": "string"}, "name": {"type": "string"}, "name_en": {"type": "string"},
    "featured": {"type": "boolean"}, **RANGE, "grades": {"type": "array", "items": GRADE}}}
CATALOG = {"type": "object", "properties": {
    "currency": {"type": "string", "enum": ["CNY"]},
    "categories": {"type": "array", "items": {"type": "object", "properties": {
        "slug": {"type": "string"}, "name": {"type": "string"}, "name_en": {"type": "string"}, **RANGE,
        "varieties": {"type": "array", "items": VARIETY}}}}}}


def _money(fen: int | None) -> str | None:
    return None if fen is None else format_yuan(fen)


def catalog_document(catalog: tree.Catalog) -> dict:
    """The catalog as the API shows it."""
    return {"currency": "CNY", "categories": [{
        "slug": c.slug, "name": c.name, "name_en": c.name_en, "price_min": _money(c.price_min),
        "price_max": _money(c.price_max), "quote_only": c.quote_only,
        "varieties": [{
            "slug": v.slug, "name": v.name, "name_en": v.name_en, "featured": v.featured,
            "price_min": _money(v.price_min), "price_max": _money(v.price_max), "quote_only": v.quote_only,
            "grades": [{
                "sku": g.sku, "name": g.name, "spec": g.spec("zh"), "price": _money(g.price_fen),
                "stock": g.stock, "stock_by_base": dict(g.stock_by_base),
            } for g in v.grades],
        } for v in c.varieties],
    } for c in catalog.categories]}


@bp.get("/catalog")
@doc("The whole catalog: categories, varieties, grades, prices and stock", responses={200: CATALOG},
     tags=("catalog",))
def catalog():
    """The whole catalog, serialised once per catalog version (and gzipped once, for clients that accept it)."""
    current = tree.current()
    cache = current_app.extensions.setdefault("catalog_json", {})
    bodies = cache.get(current.version)
    if bodies is None:
        bodies = {"identity": json.dumps(catalog_document(current), ensure_ascii=False).encode()}
        cache.clear()
        cache[current.version] = bodies
    encoding = "gzip" if request.accept_encodings["gzip"] else "identity"
    if encoding not in bodies:
        bodies[encoding] = gzip.compress(bodies["identity"], compresslevel=6, mtime=0)
    response = Response(bodies[encoding], mimetype="application/json")
    if encoding == "gzip":
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response
