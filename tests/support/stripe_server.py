"""A small local HTTP server that answers like Stripe, for the real stripe library to talk to.

It keeps Checkout Sessions and refunds in memory, honours ``Idempotency-Key`` (same key and
parameters → the same answer; other parameters → Stripe's idempotency error) and records every
request so tests can assert what the shop sent. It refuses what Stripe refuses: a wrong API key
(401), parameters the installed ``stripe`` library's definitions do not allow and the rules Stripe
documents (``tests/support/stripe_params.py``), refunds of nothing or of more than was paid. Refunds can
be answered ``pending`` (``refund_status``) and settled later with a signed ``refund.updated``. A paid
session has a PaymentIntent whose charge has a balance transaction (``fee``, ``net``, in
``settlement_currency``), readable with ``expand[]=latest_charge.balance_transaction`` as Stripe's
documented way to find a payment's fee; ``charge_pending`` leaves a charge without one yet. Fixtures: ``stripe_server`` and ``stripe_app``
(an app configured for it, with its context pushed); import them into a test module.
"""
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
import stripe

from storefront.extensions import db as _db
from tests.support.stripe_params import (
    PAYMENT_INTENT_RETRIEVE, REFUND_CREATE, REFUND_LIST, InvalidParams, check, check_checkout_session,
)

SECRET_KEY = "sk_test_local_fake"
WEBHOOK_SECRET = "whsec_test_local_fake"


@dataclass
class Recorded:
    method: str
    path: str
    params: dict  # flat, as sent: {"line_items[0][price_data][currency]": "vnd", ...}
    idempotency_key: str | None
    authorization: str | None
    replayed: bool = False

    @property
    def data(self) -> dict:
        return nest(self.params)


def nest(flat: dict) -> dict:
    """Turn Stripe's form keys (``a[0][b]``) back into dicts and lists."""
    root: dict = {}
    for key, value in flat.items():
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _listify(root)


def _listify(node):
    if not isinstance(node, dict):
        return node
    if node and all(k.isdigit() for k in node):
        return [_listify(node[k]) for k in sorted(node, key=int)]
    return {k: _listify(v) for k, v in node.items()}


@dataclass
class FakeStripe:
    url: str = ""
    sessions: dict = field(default_factory=dict)
    refunds: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)
    failures: list = field(default_factory=list)  # [(path prefix, status, error type)]
    paid_at_last_moment: set = field(default_factory=set)  # session ids paid as expiry arrives
    refund_status: str = "succeeded"  # what new refunds answer: "pending", "requires_action"...
    lost_answers: list = field(default_factory=list)  # path prefixes: done, but the answer is lost
    # Stripe's fee on a card charge, as its price list states one: a share plus a fixed part.
    fee_basis_points: int = 340
    fee_fixed: int = 2000
    settlement_currency: str = "vnd"  # the account's: a charge's balance transaction is in it
    usd_per_vnd: float = 0.00004      # the rate a charge is converted at when it settles in USD
    charge_pending: set = field(default_factory=set)  # PaymentIntents with no balance transaction yet
    _replies: dict = field(default_factory=dict)  # idempotency key -> (params, status, body)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- what tests arrange and read -----------------------------------------------------

    def fail_next(self, path_prefix: str, status: int = 500, kind: str = "api_error") -> None:
        """Make the next request under ``path_prefix`` fail (as when Stripe is overloaded)."""
        self.failures.append((path_prefix, status, kind))

    def lose_next_answer(self, path_prefix: str) -> None:
        """Do the next request under ``path_prefix`` but lose its answer (a timeout, a crash)."""
        self.lost_answers.append(path_prefix)

    def forget_idempotency_keys(self) -> None:
        """Let a day pass: Stripe forgets idempotency keys after about 24 hours."""
        with self._lock:
            self._replies.clear()

    def requests_to(self, path: str, method: str = "POST") -> list[Recorded]:
        return [r for r in self.requests if r.path == path and r.method == method]

    def complete(self, session_id: str, paid: bool = True, amount: int | None = None,
                 currency: str | None = None) -> dict:
        """Let the shopper finish paying on the hosted page."""
        session = self.sessions[session_id]
        session.update(status="complete", payment_status="paid" if paid else "unpaid",
                       payment_intent=f"pi_{session_id}")
        if amount is not None:
            session["amount_total"] = amount
        if currency is not None:
            session["currency"] = currency
        return dict(session)

    def expire(self, session_id: str) -> dict:
        self.sessions[session_id].update(status="expired")
        return dict(self.sessions[session_id])

    def settle_refund(self, refund_id: str, status: str = "succeeded",
                      failure_reason: str | None = None) -> dict:
        """Let a pending refund end at Stripe; return the event Stripe would send for it."""
        with self._lock:
            refund = self.refunds[refund_id]
            refund["status"] = status
            if status == "failed":
                refund["failure_reason"] = failure_reason or "expired_or_canceled_card"
            kind = "refund.failed" if status == "failed" else "refund.updated"
            return refund_event(kind, refund)

    def send_refund_update(self, to, refund_id: str, status: str = "succeeded", **options):
        """Settle a refund and POST the signed event to the app's webhook, as Stripe does.

        ``to`` is a Flask test client, or the webhook's full URL on a running server.
        """
        body, headers = signed(self.settle_refund(refund_id, status, **options))
        if isinstance(to, str):
            import requests

            return requests.post(to, data=body.encode(), headers=headers, timeout=10)
        return to.post("/stripe/webhook", data=body, headers=headers)

    # --- answering ------------------------------------------------------------------------

    def answer(self, method: str, path: str, params: dict, key: str | None, auth: str | None):
        with self._lock:
            recorded = Recorded(method, path, params, key, auth)
            self.requests.append(recorded)
            if auth != f"Bearer {SECRET_KEY}":
                return 401, _error("authentication_error", "Invalid API Key provided.")
            if key and key in self._replies:
                recorded.replayed = True
                sent, status, body = self._replies[key]
                if sent != params:
                    return 400, _error("idempotency_error", "Keys for idempotent requests can "
                                       "only be used with the same parameters.")
                return status, body
            failure = self._failure(path)
            if failure:  # refused before Stripe began: not remembered under the key
                return failure
            status, body = self._route(method, path, params)
            if key and method == "POST":
                self._replies[key] = (params, status, body)
            lost = next((p for p in self.lost_answers if path.startswith(p)), None)
            if lost is not None:
                self.lost_answers.remove(lost)
                return 504, _error("api_error", "Simulated lost answer.")
            return status, body

    def _failure(self, path: str):
        for failure in list(self.failures):
            if path.startswith(failure[0]):
                self.failures.remove(failure)
                return failure[1], _error(failure[2], "Simulated failure.")
        return None

    def _route(self, method: str, path: str, params: dict):
        try:
            return self._route_valid(method, path, params)
        except InvalidParams as error:
            body = _error("invalid_request_error", str(error))
            body["error"]["param"] = error.param
            return 400, body

    def _route_valid(self, method: str, path: str, params: dict):
        if method == "POST" and path == "/v1/checkout/sessions":
            check_checkout_session(nest(params))
            return 200, self._create_session(nest(params))
        match = re.fullmatch(r"/v1/checkout/sessions/([^/]+)(/expire)?", path)
        if match and match[1] in self.sessions:
            session = self.sessions[match[1]]
            if method == "POST" and match[2]:
                if match[1] in self.paid_at_last_moment:
                    self.complete(match[1])
                if session["status"] != "open":
                    return 400, _error("invalid_request_error", "Only Checkout Sessions "
                                       "with a status of open can be expired.")
                session["status"] = "expired"
            return 200, dict(session)
        if method == "POST" and path == "/v1/refunds":
            check(nest(params), REFUND_CREATE)
            return 200, self._create_refund(nest(params))
        if method == "GET" and path == "/v1/refunds":
            check(nest(params), REFUND_LIST)
            return 200, self._list_refunds(nest(params))
        match = re.fullmatch(r"/v1/payment_intents/([^/]+)", path)
        if method == "GET" and match:
            check(nest(params), PAYMENT_INTENT_RETRIEVE)
            return self._payment_intent(match[1], nest(params).get("expand", []))
        match = re.fullmatch(r"/v1/refunds/([^/]+)", path)
        if method == "GET" and match and match[1] in self.refunds:
            return 200, dict(self.refunds[match[1]])
        return 404, _error("invalid_request_error", f"No such resource: {path}")

    def _create_session(self, data: dict) -> dict:
        number = next(self._ids)
        items = data.get("line_items", [])
        session = {
            "id": f"cs_test_{number}", "object": "checkout.session",
            "url": f"{self.url}/pay/cs_test_{number}", "status": "open",
            "payment_status": "unpaid", "mode": data.get("mode"),
            "amount_total": sum(int(i["price_data"]["unit_amount"]) * int(i["quantity"])
                                for i in items),
            "currency": items[0]["price_data"]["currency"] if items else None,
            "client_reference_id": data.get("client_reference_id"),
            "metadata": data.get("metadata", {}), "customer_email": data.get("customer_email"),
            "expires_at": int(data["expires_at"]) if "expires_at" in data else None,
            "locale": data.get("locale"), "payment_intent": None,
            "success_url": data.get("success_url"), "cancel_url": data.get("cancel_url"),
            "created": int(time.time()), "livemode": False,
        }
        self.sessions[session["id"]] = session
        return dict(session)

    def _create_refund(self, data: dict) -> dict:
        intent = data.get("payment_intent")
        paid = next((s["amount_total"] for s in self.sessions.values()
                     if s["payment_intent"] == intent and s["payment_status"] == "paid"), None)
        if paid is None:
            raise InvalidParams(f"No such payment_intent: '{intent}'", "payment_intent")
        refunded = sum(r["amount"] for r in self.refunds.values()
                       if r["payment_intent"] == intent and r["status"] != "failed")
        amount = int(data.get("amount", paid - refunded))
        if amount < 1:
            raise InvalidParams("Invalid positive integer", "amount")
        if amount > paid - refunded:
            raise InvalidParams(f"Refund amount (₫{amount:,}) is greater than unrefunded amount "
                                f"on charge (₫{paid - refunded:,})", "amount")
        refund = {"id": f"re_test_{next(self._ids)}", "object": "refund", "amount": amount,
                  "currency": "vnd", "payment_intent": intent, "status": self.refund_status,
                  "metadata": data.get("metadata", {}), "failure_reason": None,
                  "created": int(time.time())}
        self.refunds[refund["id"]] = refund
        return dict(refund)

    EXPANDABLE = {"latest_charge", "latest_charge.balance_transaction", "customer", "payment_method"}

    def _payment_intent(self, intent_id: str, expand: list):
        """A PaymentIntent as Stripe shows it: ``latest_charge`` an id, or the charge when expanded,
        and in it ``balance_transaction`` an id, or the transaction when expanded too."""
        for path in expand:
            if path not in self.EXPANDABLE:
                raise InvalidParams(f"This property cannot be expanded ({path}).", "expand")
        session = next((s for s in self.sessions.values() if s["payment_intent"] == intent_id), None)
        if session is None:
            return 404, _error("invalid_request_error", f"No such payment_intent: '{intent_id}'")
        paid = session["payment_status"] == "paid"
        amount = session["amount_total"]
        txn = self._balance_transaction(intent_id, amount) if paid else None
        charge = {"id": f"ch_{intent_id[3:]}", "object": "charge", "amount": amount,
                  "currency": session["currency"], "paid": paid, "status": "succeeded",
                  "payment_intent": intent_id,
                  "balance_transaction": txn if "latest_charge.balance_transaction" in expand
                  else (txn or {}).get("id")} if paid else None
        intent = {"id": intent_id, "object": "payment_intent", "amount": amount,
                  "amount_received": amount if paid else 0, "currency": session["currency"],
                  "status": "succeeded" if paid else "requires_payment_method",
                  "metadata": session["metadata"], "livemode": False,
                  "latest_charge": charge if "latest_charge" in expand or
                  "latest_charge.balance_transaction" in expand else (charge or {}).get("id")}
        return 200, intent

    def _balance_transaction(self, intent_id: str, amount: int) -> dict | None:
        if intent_id in self.charge_pending:
            return None
        if self.settlement_currency == "vnd":
            settled = amount
        else:  # cents of the settlement currency
            settled = round(amount * self.usd_per_vnd * 100)
        fee = settled * self.fee_basis_points // 10_000 + (
            self.fee_fixed if self.settlement_currency == "vnd" else 30)
        return {"id": f"txn_{intent_id[3:]}", "object": "balance_transaction", "amount": settled,
                "currency": self.settlement_currency, "fee": fee, "net": settled - fee,
                "fee_details": [{"amount": fee, "currency": self.settlement_currency,
                                 "description": "Stripe processing fees", "type": "stripe_fee"}],
                "reporting_category": "charge", "source": f"ch_{intent_id[3:]}",
                "status": "pending", "type": "charge", "created": int(time.time())}

    def _list_refunds(self, data: dict) -> dict:
        found = [dict(r) for r in reversed(self.refunds.values())
                 if r["payment_intent"] == data.get("payment_intent", r["payment_intent"])]
        return {"object": "list", "url": "/v1/refunds", "has_more": False,
                "data": found[:int(data.get("limit", 10))]}


def _error(kind: str, message: str) -> dict:
    return {"error": {"type": kind, "message": message}}


def _handler(fake: FakeStripe):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self._reply({})  # the query string's parameters are added in _reply

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            self._reply(dict(parse_qsl(body, keep_blank_values=True)))

        def _reply(self, params: dict):
            path, _, query = self.path.partition("?")
            params.update(parse_qsl(query, keep_blank_values=True))
            status, body = fake.answer(self.command, path, params,
                                       self.headers.get("Idempotency-Key"),
                                       self.headers.get("Authorization"))
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Request-Id", "req_test")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):  # keep test output quiet
            pass

    return Handler


@pytest.fixture
def stripe_server():
    """Run a fake Stripe on a free localhost port for one test."""
    fake = FakeStripe()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


def stripe_config(api_base: str, **overrides) -> dict:
    return {"STRIPE_SECRET_KEY": SECRET_KEY, "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_API_BASE": api_base, "STRIPE_MAX_NETWORK_RETRIES": 0, **overrides}


@pytest.fixture
def stripe_app(make_app, stripe_server):
    """An app paying through the fake Stripe, with its context pushed."""
    app = make_app(**stripe_config(stripe_server.url))
    with app.app_context():
        yield app
        _db.session.remove()


def signed(event: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    """Return (body, headers) exactly as Stripe would send ``event``."""
    body = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp)
    return body, {"Stripe-Signature": header, "Content-Type": "application/json"}


_events = itertools.count(1)


def refund_event(kind: str, refund: dict, event_id: str | None = None) -> dict:
    """Wrap a refund in a Stripe event (``refund.updated``, ``refund.failed``...)."""
    return event_for(kind, refund, event_id)


def event_for(kind: str, session: dict, event_id: str | None = None) -> dict:
    """Wrap a Checkout Session in a Stripe event of type ``kind``."""
    return {"id": event_id or f"evt_test_{next(_events)}", "object": "event", "type": kind,
            "api_version": "2025-01-01", "created": int(time.time()), "livemode": False,
            "data": {"object": dict(session)}}
