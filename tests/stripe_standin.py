"""A stand-in for the Stripe API on loopback: Checkout Sessions, idempotency, outages, signed webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

API_VERSION = "2025-09-30.clover"
SESSION_PATH = re.compile(r"^/v1/checkout/sessions/(cs_[A-Za-z0-9_]+)$")
EXPIRE_PATH = re.compile(r"^/v1/checkout/sessions/(cs_[A-Za-z0-9_]+)/expire$")


def parse_form(body: str) -> dict:
    """Form-encoded Stripe parameters (`a[b][0][c]=v`) as nested dicts and lists, as Stripe reads them."""
    root: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+|\[\]", key)
        node: dict | list = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            child_is_list = not last and (parts[i + 1].isdigit() or parts[i + 1] == "[]")
            if isinstance(node, list):
                index = len(node) if part == "[]" else int(part)
                while len(node) <= index:
                    node.append(None)
                if last:
                    node[index] = value
                else:
                    if node[index] is None:
                        node[index] = [] if child_is_list else {}
                    node = node[index]
            elif last:
                node[part] = value
            else:
                node = node.setdefault(part, [] if child_is_list else {})
    return root


def sign_payload(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A Stripe-Signature header for payload: t=<unix time>,v1=<HMAC-SHA256 of "t.payload">."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def make_event(event_type: str, session_object: dict, event_id: str | None = None) -> dict:
    """A Stripe event envelope around an object, e.g. checkout.session.completed around a session."""
    return {
        "id": event_id or f"evt_test_{secrets.token_hex(12)}",
        "object": "event",
        "type": event_type,
        "api_version": API_VERSION,
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "data": {"object": session_object},
    }


def _error(kind: str, message: str, **extra) -> dict:
    return {"error": {"type": kind, "message": message, **extra}}


class StripeStandIn:
    """A threaded HTTP server on 127.0.0.1 that answers the Checkout Session calls the shop makes."""

    def __init__(self) -> None:
        self.sessions: dict[str, dict] = {}
        self.refunds: list[dict] = []  # every refund made, with the idempotency key it was asked with
        self.refund_status = "succeeded"  # what a new refund says it is: "pending" or "failed" for some methods
        self.refunds_fail_with: int | None = None  # an HTTP status for /v1/refunds only (the rest keeps working)
        self.requests: list[tuple[str, str, dict, dict]] = []
        self.fail_with: int | str | None = None  # an HTTP status, "drop" (close the connection) or "hang"
        self.hang_s = 3.0
        self._idempotent: dict[str, tuple[dict, str]] = {}  # key → (params, the first reply as JSON)
        self._failed_keys: dict[str, int] = {}  # key → the 5xx status Stripe would replay for it
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base address to give the Stripe client, e.g. http://127.0.0.1:54321."""
        assert self._server, "stand-in not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> StripeStandIn:
        """Listen on a free loopback port in a daemon thread."""
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # noqa: A002 - quiet during tests
                pass

            def do_GET(self):
                standin._handle(self, "GET")

            def do_POST(self):
                standin._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="stripe-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> StripeStandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def complete(self, session_id: str) -> dict:
        """Mark a session paid, as if the customer finished on Stripe's page; returns the session."""
        with self._lock:
            session = self.sessions[session_id]
            session.update(payment_status="paid", status="complete",
                           payment_intent=f"pi_test_{secrets.token_hex(12)}")
            return json.loads(json.dumps(session))

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        params = parse_form(body if method == "POST" else split.query)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append((method, split.path, params, headers))
        if self.fail_with == "drop":
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.fail_with == "hang":
            time.sleep(self.hang_s)
            handler.close_connection = True
            return
        key = headers.get("idempotency-key")
        if isinstance(self.fail_with, int):
            if key and self.fail_with >= 500:  # Stripe saves a key's first answer, 500s included, and replays it
                with self._lock:
                    self._failed_keys.setdefault(key, self.fail_with)
            return self._reply(handler, self.fail_with, _error("api_error", "stand-in outage"))
        if key and key in self._failed_keys:
            return self._reply(handler, self._failed_keys[key], _error("api_error", "replayed: stand-in outage"))
        auth = headers.get("authorization", "")
        if not re.fullmatch(r"Bearer sk_test_\w+", auth):
            return self._reply(handler, 401, _error("invalid_request_error", "Invalid API Key provided"))
        if method == "POST" and split.path == "/v1/checkout/sessions":
            status, reply = self._create(params, key)
            return self._reply(handler, status, reply)
        if method == "POST" and split.path == "/v1/refunds":
            if self.refunds_fail_with:
                return self._reply(handler, self.refunds_fail_with, _error("api_error", "stand-in refund outage"))
            status, reply = self._refund(params, key)
            return self._reply(handler, status, reply)
        expiring = EXPIRE_PATH.match(split.path)
        if method == "POST" and expiring:
            status, reply = self._expire(expiring.group(1))
            return self._reply(handler, status, reply)
        match = SESSION_PATH.match(split.path)
        if method == "GET" and match:
            session = self.sessions.get(match.group(1))
            if session is None:
                return self._reply(handler, 404, _error("invalid_request_error", "No such checkout.session",
                                                        code="resource_missing"))
            return self._reply(handler, 200, session)
        return self._reply(handler, 404, _error("invalid_request_error", f"Unrecognized request URL ({split.path})"))

    def _create(self, params: dict, key: str | None) -> tuple[int, dict]:
        with self._lock:
            if key and key in self._idempotent:
                seen_params, first_reply = self._idempotent[key]
                if seen_params != params:
                    return 400, _error("idempotency_error", "Keys for idempotent requests can only be used "
                                       "with the same parameters they were first used with.")
                return 200, json.loads(first_reply)
            missing = [p for p in ("mode", "success_url", "line_items") if p not in params]
            if missing:
                return 400, _error("invalid_request_error", f"Missing required param: {missing[0]}.",
                                   param=missing[0])
            expires_at = int(params.get("expires_at") or time.time() + 86400)
            if not time.time() + 1800 <= expires_at <= time.time() + 86400:
                return 400, _error("invalid_request_error", "expires_at must be between 30 minutes and 24 hours "
                                   "from the creation of the session.", param="expires_at")
            if len(params["line_items"]) > 100:
                return 400, _error("invalid_request_error", "line_items may hold at most 100 items in payment "
                                   "mode.", param="line_items")
            lines = params["line_items"]
            session_id = f"cs_test_{secrets.token_hex(16)}"
            session = {
                "id": session_id,
                "object": "checkout.session",
                "url": f"{self.url}/pay/{session_id}",
                "amount_total": sum(int(li["price_data"]["unit_amount"]) * int(li["quantity"]) for li in lines),
                "currency": params.get("currency") or lines[0]["price_data"]["currency"],
                "client_reference_id": params.get("client_reference_id"),
                "metadata": params.get("metadata", {}),
                "mode": params["mode"],
                "payment_method_types": params.get("payment_method_types", ["card"]),
                "payment_status": "unpaid",
                "status": "open",
                "payment_intent": None,
                "success_url": params["success_url"],
                "cancel_url": params.get("cancel_url"),
                "locale": params.get("locale"),
                "created": int(time.time()),
                "expires_at": expires_at,
                "livemode": False,
            }
            self.sessions[session_id] = session
            if key:
                self._idempotent[key] = (params, json.dumps(session))
            return 200, session

    def _expire(self, session_id: str) -> tuple[int, dict]:
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None:
                return 404, _error("invalid_request_error", f"No such checkout.session: '{session_id}'",
                                   code="resource_missing")
            if session["status"] != "open":
                return 400, _error("invalid_request_error", "Only Checkout Sessions with a status in [\"open\"] "
                                   "can be expired.")
            session["status"] = "expired"
            return 200, json.loads(json.dumps(session))

    def _refund(self, params: dict, key: str | None) -> tuple[int, dict]:
        """POST /v1/refunds: at most what the PaymentIntent took, replayed for a repeated idempotency key."""
        with self._lock:
            if key and key in self._idempotent:
                seen_params, first_reply = self._idempotent[key]
                if seen_params != params:
                    return 400, _error("idempotency_error", "Keys for idempotent requests can only be used "
                                       "with the same parameters they were first used with.")
                return 200, json.loads(first_reply)
            intent = params.get("payment_intent", "")
            paid = [s for s in self.sessions.values() if s.get("payment_intent") == intent]
            if not paid:
                return 404, _error("invalid_request_error", f"No such payment_intent: '{intent}'",
                                   code="resource_missing", param="payment_intent")
            total = int(paid[0]["amount_total"])
            already = sum(r["amount"] for r in self.refunds if r["payment_intent"] == intent)
            amount = int(params.get("amount") or total - already)
            if amount < 1 or already + amount > total:
                return 400, _error("invalid_request_error", f"Refund amount ({amount}) is greater than unrefunded "
                                   f"amount on charge ({total - already})", code="amount_too_large")
            refund = {"id": f"re_test_{secrets.token_hex(12)}", "object": "refund", "amount": amount,
                      "currency": paid[0]["currency"], "payment_intent": intent, "status": self.refund_status,
                      "reason": params.get("reason"), "metadata": params.get("metadata", {}),
                      "created": int(time.time()), "idempotency_key": key}
            self.refunds.append(refund)
            reply = {k: v for k, v in refund.items() if k != "idempotency_key"}
            if key:
                self._idempotent[key] = (params, json.dumps(reply))
            return 200, reply

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", f"req_{secrets.token_hex(7)}")
        handler.end_headers()
        handler.wfile.write(data)
