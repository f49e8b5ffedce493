"""POST /api/v1/order-lines/parse: a dealer's pasted list, each line's verdict (shop.dealers.bulk)."""

from __future__ import annotations

from flask import jsonify, request

from shop.api import bp, parsing
from shop.api.openapi import doc
from shop.catalog import tree
from shop.dealers import bulk
from shop.errors import ApiError

CANDIDATE = {"type": "object", "required": ["sku", "variety", "grade"], "properties": {
    "sku": {"type": "string"}, "variety": {"type": "string"}, "grade": {"type": "string"}}}
LINE = {"type": "object", "required": ["row", "text", "status", "message"], "properties": {
    "row": {"type": "integer", "description": "the line's number in the text, blank and header lines counted"},
    "text": {"type": "string"},
    "status": {"type": "string", "enum": list(bulk.STATUSES)},
    "sku": {"type": "string", "nullable": True},
    "quantity": {"type": "integer", "nullable": True, "description": "what this line asks for"},
    "available": {"type": "integer", "nullable": True, "description": "the grade's stock, once the grade is known"},
    "candidates": {"type": "array", "maxItems": bulk.MAX_CANDIDATES, "items": CANDIDATE,
                   "description": "for ambiguous lines, and not_found lines whose variety was found"},
    "merged_into": {"type": "integer", "nullable": True,
                    "description": "the earlier row naming the same grade, which orders the total"},
    "merged_rows": {"type": "array", "items": {"type": "integer"}, "description": "later rows merged into this one"},
    "message": {"type": "string"}}}
PARSED = {"type": "object", "required": ["lines", "ok", "problems"], "properties": {
    "lines": {"type": "array", "items": LINE},
    "ok": {"type": "integer", "description": "lines whose status is ok (merged ones included)"},
    "problems": {"type": "integer"},
    "items": {"type": "array", "description": "the good lines as POST /api/v1/orders takes them, merged",
              "items": {"type": "object", "properties": {"sku": {"type": "string"},
                                                         "quantity": {"type": "integer"}}}}}}


def _lang() -> str:
    return "en" if request.args.get("lang") == "en" else "zh"


def line_document(line: bulk.ParsedLine, lang: str) -> dict:
    """One line's verdict as the API shows it, names and message in the caller's language."""
    en = lang == "en"
    return {"row": line.row, "text": line.text, "status": line.status, "sku": line.sku, "quantity": line.quantity,
            "available": line.available,
            "candidates": [{"sku": c.sku, "variety": c.variety_en if en else c.variety,
                            "grade": c.grade_en if en else c.grade} for c in line.candidates],
            "merged_into": line.merged_into, "merged_rows": list(line.merged_rows), "message": line.message(lang)}


@bp.post("/order-lines/parse")
@doc("Check a list of order lines (SKU or variety and grade words, and a quantity): each line's verdict",
     body={"type": "object", "required": ["text"], "properties": {"text": {
         "type": "string", "description": f"one line a grade, at most {bulk.MAX_LINES} non-empty lines: "
                                          "GRP-SHINE-C1 500, 阳光玫瑰 一级扦插苗 500株, 巨峰,二级,1万, 8518 一级 五百"}}},
     parameters=[{"name": "lang", "in": "query", "required": False,
                  "schema": {"type": "string", "enum": ["zh", "en"]}}],
     responses={200: PARSED, 400: "malformed body: not a JSON object, or text not a string", 415: "not JSON",
                413: f"too_many_lines: more than {bulk.MAX_LINES} non-empty lines"},
     tags=("orders",))
def parse_order_lines():
    """Each line's verdict against the cached catalog: no query beyond the catalog's version check."""
    data = parsing.body()
    text = data.get("text")
    if not isinstance(text, str):
        raise ApiError(400, "bad_request", "text must be a string")
    lang = _lang()
    try:
        lines = bulk.parse(text, bulk.CatalogIndex.from_tree(tree.current()))
    except bulk.TooManyLines as err:
        raise ApiError(413, "too_many_lines", err.message(lang)) from None
    counts = bulk.summary(lines)
    return jsonify({"lines": [line_document(line, lang) for line in lines], "ok": counts.ok,
                    "problems": counts.problems,
                    "items": [{"sku": sku, "quantity": n} for sku, n in bulk.ok_items(lines)]})
