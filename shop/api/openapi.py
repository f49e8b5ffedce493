"""An OpenAPI 3 document built from the API's routes and the `doc` attached to each view."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import current_app, jsonify

from shop.api import bp

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"],
                             "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
}
MONEY = {"type": "string", "pattern": r"^\d+\.\d{2}$", "example": "1234.50"}


OPTIONAL_TOKEN = [{}, {"bearerAuth": []}]  # anyone, or a dealer with a token (then priced as the dealer)
UNAUTHORIZED = "an Authorization header with a missing, wrong or revoked dealer token"


def doc(summary: str, *, responses: dict[int, dict | str], body: dict | None = None,
        parameters: list[dict] | None = None, tags: tuple[str, ...] = (),
        security: list[dict] | None = None) -> Callable:
    """Describe an API view; the OpenAPI document is assembled from these."""

    def decorate(view: Callable) -> Callable:
        view.openapi = {"summary": summary, "responses": responses, "body": body,
                        "parameters": parameters or [], "tags": list(tags), "security": security}
        return view

    return decorate


def _response(status: int, spec: dict | str) -> dict:
    if isinstance(spec, str):
        return {"description": spec, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    description = spec.get("description", "OK")
    schema = {k: v for k, v in spec.items() if k != "description"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def build_document() -> dict:
    """Walk the URL map: every /api/v1 route with its documented operation."""
    paths: dict[str, dict] = {}
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/v1") and not rule.rule.startswith("/payments/"):
            continue
        view = current_app.view_functions[rule.endpoint]
        meta = getattr(view, "openapi", None) or {"summary": view.__doc__ or rule.endpoint,
                                                   "responses": {200: {"description": "OK"}}}
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                  for name in re.findall(r"{([a-z_]+)}", path)]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            op = {
                "operationId": f"{rule.endpoint.replace('.', '_')}_{method.lower()}",
                "summary": meta["summary"].strip().splitlines()[0],
                "tags": meta.get("tags") or [rule.endpoint.split(".")[0]],
                "parameters": params + meta.get("parameters", []),
                "responses": {str(code): _response(code, spec) for code, spec in meta["responses"].items()},
            }
            if meta.get("body"):
                op["requestBody"] = {"required": True, "content": {"application/json": {"schema": meta["body"]}}}
            if rule.rule.startswith("/api/v1"):  # every API call checks a Bearer token when one is sent
                op["security"] = meta.get("security") or OPTIONAL_TOKEN
                op["responses"].setdefault("401", _response(401, UNAUTHORIZED))
                op["responses"].setdefault("400", _response(400, "a NUL character in the path or the query"))
            paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.0.3",
        "info": {"title": "苗木商城 API", "version": "1.0.0",
                 "description": "Catalog, quotes and orders of the nursery shop. Money is a string of yuan with "
                                "two decimals (\"1234.50\"); errors are {\"error\": {\"code\", \"message\"}}."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": {"Error": ERROR, "Money": MONEY},
                       "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                                          "description": "a dealer's API token (mmd_…)"}}},
    }


@bp.get("/openapi.json")
@doc("This OpenAPI document", responses={200: {"type": "object", "description": "OpenAPI 3 document"}})
def openapi_json():
    """This OpenAPI document."""
    return jsonify(build_document())
