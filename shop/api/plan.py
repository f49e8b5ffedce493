"""POST /api/v1/plan: an orchard plan (种植规划) as plants, grades and a quote (shop.planner)."""

from __future__ import annotations

import json
from decimal import Decimal

from flask import current_app, jsonify, request

from shop.api import bp, parsing
from shop.api.documents import quote_document
from shop.api.openapi import doc
from shop.api.orders import QUOTE, REFUSED, SHIPPING
from shop.catalog import tree
from shop.dealers import current
from shop.errors import ApiError
from shop.orders import intake, service
from shop.planner import plan
from shop.planner import service as planner

NUMBER = {"type": "number"}
DECIMAL = {"type": "string", "pattern": r"^\d+(\.\d+)?$", "description": "an exact decimal, as text"}
AREA = {**NUMBER, "minimum": 0, "exclusiveMinimum": True, "maximum": int(plan.MAX_AREA_M2),
        "description": f"in the unit given: more than 0 and at most {plan.MAX_MU} 亩 (unit mu) or "
                       f"{int(plan.MAX_AREA_M2)} m² (unit m2), at most {plan.MAX_DECIMALS} decimals"}
SPACING = {**NUMBER, "nullable": True, "minimum": float(plan.MIN_SPACING_M), "maximum": float(plan.MAX_SPACING_M),
           "description": f"metres, at most {plan.MAX_DECIMALS} decimals; absent or null: the category's default "
                          "from planting.csv (the rootstock's, when one is given)"}
TEXT = {"type": "string", "maxLength": 80}
BODY = {"type": "object", "required": ["variety", "area", "unit"], "properties": {
    "variety": {**TEXT, "description": "a variety's slug, Chinese or English name (kiwi-hongyang, 红阳, Hongyang)"},
    "area": AREA,
    "unit": {"type": "string", "enum": list(plan.UNITS), "description": "mu: 亩 (1 亩 = 10000/15 m² exactly); m2: m²"},
    "row_spacing_m": SPACING, "plant_spacing_m": SPACING,
    "buffer_percent": {**NUMBER, "nullable": True, "minimum": 0, "maximum": float(plan.MAX_BUFFER_PERCENT),
                       "description": f"spare plants for replanting, added to each count; default "
                                      f"{plan.DEFAULT_BUFFER_PERCENT}"},
    "rootstock": {**TEXT, "description": "a rootstock with its own default spacing in planting.csv (M26, 吉塞拉); "
                                         "empty for the standard planting"},
    "pollinizer": {**TEXT, "description": "one of the variety's recommended pollinizers; default the first on sale"},
    "main_sku": {**TEXT, "description": "the main variety's grade; default its first grade with the plants in stock"},
    "pollinizer_sku": {**TEXT, "description": "the pollinizer's grade; default as for main_sku"},
    "shipping": {**SHIPPING, "description": "how the quote ships it (as POST /api/v1/quote); default post, no province"},
}}
LINE = {"type": "object", "required": ["variety", "sku", "quantity"], "properties": {
    "variety": {"type": "string"}, "slug": {"type": "string"}, "sku": {"type": "string"}, "grade": {"type": "string"},
    "planted": {"type": "integer", "description": "trees planted in the field"},
    "spare": {"type": "integer", "description": "the replant buffer: ceil(planted × buffer_percent / 100)"},
    "quantity": {"type": "integer", "description": "plants to order: planted + spare"}}}
PLAN = {"type": "object", "required": ["trees", "main", "pollinizers", "quote"], "properties": {
    "trees": {"type": "integer", "description": "every plant to order, buffer included: main.quantity + the "
                                                "pollinizers' quantities"},
    "positions": {"type": "integer", "description": "planting positions: ceil(area in m² / (row × plant spacing))"},
    "area_m2": {**DECIMAL, "description": "the area in m², two decimals (1 亩 = 10000/15 m²)"},
    "unit": {"type": "string", "enum": list(plan.UNITS)}, "area": DECIMAL,
    "row_spacing_m": DECIMAL, "plant_spacing_m": DECIMAL, "buffer_percent": DECIMAL,
    "rootstock": {"type": "string", "description": "empty for the standard planting"},
    "needs_pollinizer": {"type": "boolean"},
    "ratio": {"type": "integer", "nullable": True, "description": "main trees per pollinizer"},
    "note": {"type": "string"}, "source": {"type": "string", "description": "where the figures come from"},
    "main": LINE, "pollinizers": {"type": "array", "maxItems": 1, "items": LINE},
    "quote": {**QUOTE, "description": "the plan priced as POST /api/v1/quote prices a cart"}}}


def _lang() -> str:
    return "en" if request.args.get("lang") == "en" else "zh"


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


def _exact_body() -> dict:
    """The JSON object with its numbers as Decimal, never float (the shared checks give the 400s and 415)."""
    parsing.body()
    try:
        data = json.loads(request.get_data(as_text=True), parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise ApiError(400, "bad_request", "the body must be a JSON object") from None
    return data


def _number(data: dict, key: str, *, required: bool = False) -> Decimal | int | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ApiError(400, "bad_request", f"{key} must be a number")
    return value


def _text(data: dict, key: str, *, required: bool = False) -> str:
    if required and not isinstance(data.get(key), str):
        raise ApiError(400, "bad_request", f"{key} must be a string")
    return parsing.string(data, key, "")


def line_document(line: planner.Line, lang: str) -> dict:
    """One grade of the plan."""
    en = lang == "en"
    return {"variety": line.variety.name_en if en else line.variety.name, "slug": line.variety.slug,
            "sku": line.grade.sku, "grade": line.grade.name_en if en else line.grade.name,
            "planted": line.planted, "spare": line.spare, "quantity": line.quantity}


def plan_document(made: planner.Plan, quoted, lang: str, province: str = "") -> dict:
    """The plan as the API shows it; `trees` is what is ordered, so main + pollinizers = trees."""
    en = lang == "en"
    return {
        "trees": made.counts.trees, "positions": made.counts.positions,
        "area": plan.decimal_text(made.area), "unit": made.unit, "area_m2": plan.area_text(made.area_m2),
        "row_spacing_m": plan.decimal_text(made.row_m), "plant_spacing_m": plan.decimal_text(made.plant_m),
        "buffer_percent": plan.decimal_text(made.buffer_percent), "rootstock": made.spacing.rootstock,
        "needs_pollinizer": made.pollination.needs_pollinizer, "ratio": made.pollination.ratio,
        "note": made.pollination.note_en if en else made.pollination.note, "source": made.pollination.source,
        "main": line_document(made.main, lang),
        "pollinizers": [line_document(line, lang) for line in made.pollinizers],
        "quote": quote_document(quoted, lang, province),
    }


@bp.post("/plan")
@doc("Plan an orchard: trees from area and spacing, pollinizers, the replant buffer, priced as a cart",
     body=BODY,
     parameters=[{"name": "lang", "in": "query", "required": False,
                  "schema": {"type": "string", "enum": ["zh", "en"]}}],
     responses={200: PLAN, 400: "malformed body: not a JSON object, variety, area or unit missing, a field of the "
                                "wrong type", 415: "not JSON",
                422: {**REFUSED, "description": "unknown_variety, not_plannable (a rootstock, a male plant, a 询价 "
                                                "item), bad_unit, bad_area, bad_spacing (zero, negative, out of "
                                                "range), spacing_exceeds_area, bad_buffer, too_many_trees, "
                                                "unknown_rootstock, bad_pollinizer, pollinizer_unavailable, "
                                                "bad_grade, or a shipping method or province the quote refuses"}},
     tags=("planner",))
def plan_orchard():
    """An orchard plan for a variety and a field, priced by the pricing rules like any cart."""
    data = _exact_body()
    lang = _lang()
    req = planner.PlanRequest(
        variety=_text(data, "variety", required=True), area=_number(data, "area", required=True),
        unit=_text(data, "unit", required=True), row_spacing_m=_number(data, "row_spacing_m"),
        plant_spacing_m=_number(data, "plant_spacing_m"), buffer_percent=_number(data, "buffer_percent"),
        rootstock=_text(data, "rootstock"), pollinizer=_text(data, "pollinizer"), main_sku=_text(data, "main_sku"),
        pollinizer_sku=_text(data, "pollinizer_sku"))
    shipping = parsing.shipping(data) if data.get("shipping") is not None else {"method": "post", "province": ""}
    try:
        made = planner.make(req, tree.current(), current_app.extensions["planting"])
    except plan.PlanError as err:
        raise ApiError(422, err.code, err.message(lang),
                       problems=[{"field": err.field, "code": err.code, "message": err.message(lang)}]) from None
    problems = intake.validate_quote(made.items, method=shipping["method"], province=shipping["province"])
    if problems:
        raise parsing.refused(problems, lang)
    quoted = service.quote(made.items, shipping["method"], shipping["province"] or None,
                           context=current.api_context())
    return jsonify(plan_document(made, quoted, lang, shipping["province"]))
