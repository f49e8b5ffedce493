"""Errors: JSON `{"error": {"code", "message"}}` under /api, a page in the user's language elsewhere."""

from __future__ import annotations

import logging

from flask import Flask, abort, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the API reports to its caller as JSON."""

    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def json_error(status: int, code: str, message: str, **extra):
    """A JSON error response in the API's shape."""
    body = {"error": {"code": code, "message": message, **extra}}
    return jsonify(body), status


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/payments/stripe/")


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
          422: "unprocessable", 429: "too_many_requests"}


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return json_error(err.status, err.code, err.message, **err.extra)

    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError):
        if _wants_json():
            return json_error(400, "csrf", "CSRF token missing or invalid")
        message = _("页面已过期，请返回刷新后重试。")
        return render_template("error.html", code=400, message=message), 400

    @app.before_request
    def _refuse_nul():
        """A NUL character is never part of a name or an address, and PostgreSQL cannot store it."""
        if "\x00" in request.path:  # %00 in an order number would reach PostgreSQL
            abort(400)
        for values in (request.args, request.form):
            if any("\x00" in value for value in values.values()):
                abort(400)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        status = err.code or 500
        if _wants_json():
            response, status = json_error(status, _CODES.get(status, "error"), err.description or err.name)
            if getattr(err, "valid_methods", None):
                response.headers["Allow"] = ", ".join(err.valid_methods)
            return response, status
        messages = {404: _("页面不存在。"), 405: _("不支持此操作。"), 429: _("操作太频繁，请稍后再试。")}
        message = messages.get(status, _("请求有误。"))
        return render_template("error.html", code=status, message=message), status

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        if isinstance(err, HTTPException):
            return _http(err)
        log.exception("unhandled error on %s", request.path)
        if _wants_json():
            return json_error(500, "internal", "internal error")
        try:
            return render_template("error.html", code=500, message=_("系统繁忙，请稍后再试。")), 500
        except Exception:  # the page itself failed: still no trace for the user
            log.exception("error page failed")
            return "500 系统繁忙，请稍后再试。 Server busy, please try again later.", 500, {"Content-Type": "text/plain; charset=utf-8"}

