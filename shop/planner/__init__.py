"""The planting planner (种植规划): an orchard plan in 亩 and spacing turned into a cart in one step."""

from flask import Blueprint

bp = Blueprint("planner", __name__)

from shop.planner import views  # noqa: E402,F401
