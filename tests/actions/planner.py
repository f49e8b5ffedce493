"""A farmer planning an orchard: the planner page, its one-tap add to the cart, and POST /api/v1/plan."""

from __future__ import annotations

import html

from .pages import csrf_token

HONGYANG = "kiwi-hongyang"  # 红阳, a female kiwi: needs male plants (磨山4号) at 8:1
HONGYANG_G1 = "KIW-HONGYANG-G1"
MOSHAN_MALE = "KIW-MOSHAN4-M1"


def plan(client, variety: str, area, unit: str = "mu", *, lang: str = "zh", **fields):
    """POST /api/v1/plan with the variety and the field (plus any other fields); the response."""
    return client.post(f"/api/v1/plan?lang={lang}", json={"variety": variety, "area": area, "unit": unit, **fields})


def planner_page(client, **params):
    """Open /planner with the form filled in as given (variety, area, unit, row_spacing_m, …); the response."""
    return client.get("/planner", query_string={k: v for k, v in params.items() if v is not None})


def planner_html(client, **params) -> str:
    """The planner page as text with entities decoded (asserts it answers 200)."""
    response = planner_page(client, **params)
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def add_plan_to_cart(client, *, page: str | None = None, **params):
    """Press 一键加入购物车 under the plan shown for params (or send them with the token of another page); the response."""
    token = csrf_token(client, page or "/planner?" + "&".join(f"{k}={v}" for k, v in params.items()))
    return client.post("/planner/cart", data={"csrf_token": token, **{k: str(v) for k, v in params.items()}})
