"""A local HTTP server that answers like Zalo: the OA token refresh and ZNS template messages.

It refuses what Zalo refuses, so a test fails when the shop sends something Zalo would not take:

- ``POST /v4/oa/access_token``: header ``secret_key`` = the app's secret, a form with ``app_id``,
  ``grant_type=refresh_token`` and the refresh token it issued last (each is good once); it answers
  a new ``access_token``, a new ``refresh_token`` and ``expires_in`` (seconds, as a string).
- ``POST /message/template``: header ``access_token`` = a token it issued and that has not expired
  (else error -124); JSON with ``phone`` as ``84`` and nine digits (else -108), a ``template_id``
  it approved (else -109) and ``template_data`` with exactly that template's parameters, each a
  string no longer than its cap (else -112), and ``tracking_id`` (at most 48 characters).

Tests script it: phones without Zalo (-118), the next answers (``fail_next``: error codes,
``"timeout"``: sleep past the client's timeout after taking the message, ``"down"``: close the
connection unanswered after reading the request, ``"unavailable"``: a 503 page), and read what it took (``messages``). ``report(message)`` builds the
signed ``user_received_message`` webhook Zalo would post later.
"""
import hashlib
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

APP_ID = "4318000000000000001"
APP_SECRET = "zalo-app-secret-test"
OA_SECRET = "zalo-oa-secret-test"
FIRST_REFRESH_TOKEN = "refresh-0"
PHONE = re.compile(r"^84\d{9}$")


@dataclass
class Message:
    phone: str
    template_id: str
    data: dict
    tracking_id: str | None
    msg_id: str


@dataclass
class FakeZalo:
    templates: dict  # template id -> {parameter: cap}
    url: str = ""
    refresh_token: str = FIRST_REFRESH_TOKEN
    access_tokens: dict = field(default_factory=dict)  # token -> expiry (time.time())
    expires_in: int = 90000
    refreshes: list = field(default_factory=list)      # the refresh tokens spent, in order
    messages: list = field(default_factory=list)       # every message it took
    refused: list = field(default_factory=list)        # (error, body) it refused
    no_zalo: set = field(default_factory=set)          # phones (84…) without Zalo
    fail_next: list = field(default_factory=list)      # scripted answers for the next sends
    slow_seconds: float = 3.0
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def expire_tokens(self) -> None:
        with self._lock:
            self.access_tokens = {token: 0.0 for token in self.access_tokens}

    def to(self, phone: str) -> list[Message]:
        return [m for m in self.messages if m.phone == phone]

    def report(self, message: Message) -> tuple[bytes, str]:
        """Return the body and signature of the webhook Zalo posts once the phone got ``message``."""
        timestamp = str(int(time.time() * 1000))
        body = json.dumps({
            "app_id": APP_ID, "event_name": "user_received_message", "timestamp": timestamp,
            "sender": {"id": "oa-1"}, "recipient": {"id": "user-1"},
            "message": {"msg_id": message.msg_id, "tracking_id": message.tracking_id,
                        "delivery_time": timestamp},
        }).encode()
        mac = hashlib.sha256(f"{APP_ID}{body.decode()}{timestamp}{OA_SECRET}".encode()).hexdigest()
        return body, f"mac={mac}"

    # --- the API -------------------------------------------------------------------------------

    def token(self, headers, form: dict) -> tuple[int, dict]:
        with self._lock:
            if headers.get("secret_key") != APP_SECRET or form.get("app_id") != APP_ID:
                return 200, {"error": -14002, "error_name": "invalid_client"}
            if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != self.refresh_token:
                return 200, {"error": -14014, "error_name": "Invalid refresh token"}
            self.refreshes.append(self.refresh_token)
            n = len(self.refreshes)
            access, self.refresh_token = f"access-{n}", f"refresh-{n}"
            self.access_tokens[access] = time.time() + self.expires_in
            return 200, {"access_token": access, "refresh_token": self.refresh_token,
                         "expires_in": str(self.expires_in)}

    def send(self, headers, body: dict) -> tuple[int, dict] | str:
        with self._lock:
            if self.access_tokens.get(headers.get("access_token"), 0) < time.time():
                return 200, {"error": -124, "message": "Access token invalid"}
            problem = self._problem(body)
            if problem:
                self.refused.append((problem[0], body))
                return 200, {"error": problem[0], "message": problem[1]}
            if body["phone"] in self.no_zalo:
                self.refused.append((-118, body))
                return 200, {"error": -118, "message": "Zalo account not existed"}
            scripted = self.fail_next.pop(0) if self.fail_next else None
            if isinstance(scripted, int):
                self.refused.append((scripted, body))
                return 200, {"error": scripted, "message": "scripted failure"}
            if scripted in ("down", "unavailable"):
                return scripted
            message = Message(body["phone"], str(body["template_id"]), body["template_data"],
                              body.get("tracking_id"), f"msg-{next(self._ids)}")
            self.messages.append(message)
        if scripted == "timeout":  # taken, but the answer comes too late for the client
            time.sleep(self.slow_seconds)
        return 200, {"error": 0, "message": "Success",
                     "data": {"msg_id": message.msg_id, "sent_time": str(int(time.time() * 1000)),
                              "quota": {"dailyQuota": "500", "remainingQuota": "499"}}}

    def _problem(self, body: dict) -> tuple[int, str] | None:
        if not isinstance(body, dict) or not PHONE.match(str(body.get("phone", ""))):
            return -108, "Phone number invalid"
        params = self.templates.get(str(body.get("template_id")))
        if params is None:
            return -109, "Template ID invalid"
        data = body.get("template_data")
        if not isinstance(data, dict) or set(data) != set(params):
            return -112, f"Template data invalid: expected {sorted(params)}"
        for name, value in data.items():
            if not isinstance(value, str) or len(value) > params[name]:
                return -112, f"Template data invalid: {name} longer than {params[name]}"
        tracking = body.get("tracking_id")
        if tracking is not None and (not isinstance(tracking, str) or len(tracking) > 48):
            return -100, "tracking_id invalid"
        return None


def serve(fake) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Serve ``fake`` (a FakeZalo or a FakeEsms: its ``route``) on a free local port."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, method):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            result = fake.route(method, self.path, self.headers, raw)
            if result == "unavailable":  # a gateway's error page, not the API's answer
                result = (503, "Service Temporarily Unavailable")
            if result == "down":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            status, body = result
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            self._answer("POST")

        def do_GET(self):
            self._answer("GET")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    return server, thread


def _route(self, method, path, headers, raw):
    if method == "POST" and path == "/v4/oa/access_token":
        if headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
            return 400, {"error": -14001, "error_name": "form expected"}
        return self.token(headers, dict(parse_qsl(raw.decode())))
    if method == "POST" and path == "/message/template":
        try:
            body = json.loads(raw)
        except ValueError:
            return 200, {"error": -100, "message": "invalid JSON"}
        return self.send(headers, body)
    return 404, {"error": -106, "message": "Method unsupported"}


FakeZalo.route = _route
