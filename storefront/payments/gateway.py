"""The one module that talks to Stripe: Checkout sessions, refunds and webhook signatures.

Everything returned is a plain ``dict`` shaped like Stripe's JSON, so the rest of the
shop never handles ``StripeObject`` or the network.
"""
import logging
from datetime import datetime, timedelta, timezone

import stripe
from flask import current_app
from flask_babel import gettext as _

from ..unit_of_work import transaction
from ..i18n import format_vnd
from ..orders.links import order_url
from ..orders.models import Order, PaymentStatus
from ..request_guard import loads_json
from ..timeutil import utcnow

log = logging.getLogger(__name__)
STRIPE_MIN_EXPIRY = timedelta(minutes=30)  # Stripe refuses a Checkout Session that ends sooner


class PaymentError(Exception):
    """Stripe refused or could not be reached; the message is for the shopper."""


class PaymentRefused(PaymentError):
    """Stripe understood the request and said no (``invalid_request_error``): retrying won't help."""


class InvalidWebhook(Exception):
    """A webhook whose signature, age or body is not Stripe's."""


def stripe_enabled(app=None) -> bool:
    """Return whether card payments are configured (API key and webhook secret)."""
    config = (app or current_app).config
    return bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_WEBHOOK_SECRET"))


def _client() -> stripe.StripeClient:
    """Return this app's Stripe client, honouring ``STRIPE_API_BASE`` (a local test server)."""
    app = current_app._get_current_object()
    client = app.extensions.get("stripe_client")
    if client is None:
        base = app.config.get("STRIPE_API_BASE")
        client = stripe.StripeClient(
            app.config["STRIPE_SECRET_KEY"],
            base_addresses={"api": base} if base else None,
            max_network_retries=app.config.get("STRIPE_MAX_NETWORK_RETRIES", 2),
            http_client=stripe.RequestsClient(timeout=app.config.get("STRIPE_TIMEOUT", 30)),
        )
        app.extensions["stripe_client"] = client
    return client


def _call(what: str, request) -> dict:
    """Run one Stripe request and return its object as a dict.

    :raises PaymentError: on any Stripe or network error (logged with what was tried).
    """
    result = _call_optional(what, request)
    if result is None:
        raise PaymentError(_("Cổng thanh toán đang gặp sự cố. Vui lòng thử lại sau ít phút "
                             "hoặc chọn thanh toán khi nhận hàng."))
    return result


def _call_optional(what: str, request) -> dict | None:
    """Run one Stripe request that may find nothing; return its object as a dict, or None.

    :raises PaymentError: on any Stripe or network error (logged with what was tried).
    """
    if not stripe_enabled():
        raise PaymentError(_("Thanh toán thẻ chưa được bật. "
                             "Vui lòng chọn thanh toán khi nhận hàng."))
    try:
        result = request(_client())
        return None if result is None else result.to_dict()
    except stripe.StripeError as error:
        log.warning("Stripe %s failed: %s", what, error)
        refused = isinstance(error, stripe.InvalidRequestError)
        raise (PaymentRefused if refused else PaymentError)(_("Cổng thanh toán đang gặp sự cố. Vui lòng thử lại sau ít phút "
                             "hoặc chọn thanh toán khi nhận hàng.")) from error


# --- Checkout ---------------------------------------------------------------------------------

def create_checkout_session(order: Order, return_url: str | None = None) -> str:
    """Open (or reopen) the hosted Stripe Checkout page of a committed card order; return its URL.

    The session id and the aligned payment deadline are saved in their own unit of work, so
    call this after the order's placement has committed. ``return_url`` is where Stripe sends
    the shopper back: the order page, never with its secret token (the shopper's browser
    session holds that).

    :raises PaymentError: the order cannot be paid by card now, or Stripe failed.
    """
    if order.payment_status != PaymentStatus.PENDING:
        raise PaymentError(_("Đơn hàng này không còn chờ thanh toán."))
    if order.stripe_session_id:
        return _reopen(order)
    if order.total < current_app.config["STRIPE_MIN_AMOUNT"]:
        raise PaymentError(_("Thanh toán thẻ cần đơn hàng từ %(amount)s trở lên.",
                             amount=format_vnd(current_app.config["STRIPE_MIN_AMOUNT"])))
    expires_at = _expiry(order, utcnow())
    params = _session_params(order, return_url or order_url(order), expires_at)
    session = _call("checkout.sessions.create", lambda c: c.v1.checkout.sessions.create(
        params=params, options={"idempotency_key": f"checkout-{order.id}-{order.checkout_token}"}))
    with transaction():
        order.stripe_session_id = session["id"]
        order.payment_deadline = expires_at
    return session["url"]


def _reopen(order: Order) -> str:
    session = retrieve_session(order.stripe_session_id)
    if session.get("status") != "open":
        raise PaymentError(_("Phiên thanh toán của đơn hàng này đã kết thúc."))
    return session["url"]


def _expiry(order: Order, now: datetime) -> datetime:
    """Return when the Checkout page closes: the payment window after placing, at least 30 min away.

    Anchored on the order's creation so a repeated request soon after placing sends the same
    parameters, which Stripe needs to replay it under the same idempotency key.
    """
    window = timedelta(minutes=current_app.config["PAYMENT_WINDOW_MINUTES"])
    planned = order.created_at + max(window, STRIPE_MIN_EXPIRY) + timedelta(minutes=1)
    earliest = now + STRIPE_MIN_EXPIRY + timedelta(seconds=30)
    return max(planned, earliest).replace(microsecond=0)


def _session_params(order: Order, return_url: str, expires_at: datetime) -> dict:
    total = sum(line.amount for line in order.lines)
    if total != order.total:
        log.error("order %s total %s differs from its lines %s", order.number, order.total, total)
        raise PaymentError(_("Không thể tạo phiên thanh toán cho đơn hàng này."))
    metadata = {"order_id": str(order.id), "order_number": order.number}
    english = order.locale == "en"
    return {
        "mode": "payment",
        # `payment_method_types` is gone from Checkout at the library's API version.
        "allowed_payment_method_types": ["card"],
        "line_items": [_line_item(line, english) for line in order.lines],
        "client_reference_id": str(order.id),
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        "customer_email": order.email,
        "locale": "en" if english else "vi",
        "expires_at": int(expires_at.replace(tzinfo=timezone.utc).timestamp()),
        "success_url": return_url,
        "cancel_url": return_url,
    }


def _line_item(line, english: bool) -> dict:
    # The line keeps the Vietnamese frozen at checkout; English shoppers get the product's
    # English name and unit where its producer wrote them.
    name = (english and line.product.name_en) or line.product_name
    unit = (english and line.product.unit_en) or line.unit
    product_data = {"name": name}
    if unit:
        product_data["description"] = unit
    # VND is zero-decimal at Stripe: unit_amount is whole đồng, never x100.
    return {
        "quantity": line.quantity,
        "price_data": {"currency": "vnd", "unit_amount": line.unit_price,
                       "product_data": product_data},
    }


def retrieve_session(session_id: str) -> dict:
    """Return a Checkout Session as Stripe sees it now.

    :raises PaymentError: Stripe failed.
    """
    return _call("checkout.sessions.retrieve",
                 lambda c: c.v1.checkout.sessions.retrieve(session_id))


def expire_session(session_id: str) -> dict:
    """Close an open Checkout Session at Stripe so it can no longer be paid.

    :raises PaymentError: Stripe failed (e.g. the session was completed meanwhile).
    """
    return _call("checkout.sessions.expire",
                 lambda c: c.v1.checkout.sessions.expire(session_id))


# --- what Stripe kept of a payment ------------------------------------------------------------

def charge_balance(payment_intent: str) -> dict | None:
    """Return the balance transaction of a payment's charge, with the charge's id under ``charge``,
    or None while Stripe has no charge or no balance transaction for it yet.

    The fee Stripe kept is the transaction's ``fee`` (``net`` is what reaches the shop's Stripe
    balance), in the currency Stripe settles the account in.

    :raises PaymentRefused: Stripe does not know the PaymentIntent.
    :raises PaymentError: Stripe failed or could not be reached.
    """
    intent = _call("payment_intents.retrieve", lambda c: c.v1.payment_intents.retrieve(
        payment_intent, params={"expand": ["latest_charge.balance_transaction"]}))
    charge = intent.get("latest_charge")
    if not isinstance(charge, dict) or not isinstance(charge.get("balance_transaction"), dict):
        return None
    return {**charge["balance_transaction"], "charge": charge.get("id")}


# --- refunds ----------------------------------------------------------------------------------

def create_refund(payment_intent: str, amount: int, idempotency_key: str,
                  metadata: dict | None = None) -> dict:
    """Refund ``amount`` whole đồng of a payment; the same key never refunds twice at Stripe.

    Stripe keeps idempotency keys for about 24 hours only: ``metadata`` (our refund's id) is
    what ``find_refund`` looks for before a later retry.

    :raises PaymentError: Stripe refused or failed.
    """
    params = {"payment_intent": payment_intent, "amount": amount}
    if metadata:
        params["metadata"] = metadata
    return _call("refunds.create", lambda c: c.v1.refunds.create(
        params=params, options={"idempotency_key": idempotency_key}))


def retrieve_refund(refund_id: str) -> dict:
    """Return a refund as Stripe sees it now.

    :raises PaymentError: Stripe failed.
    """
    return _call("refunds.retrieve", lambda c: c.v1.refunds.retrieve(refund_id))


def find_refund(payment_intent: str, key: str, value: str) -> dict | None:
    """Return the payment's refund whose ``metadata[key]`` is ``value``, if Stripe has one.

    :raises PaymentError: Stripe failed (then nobody can tell whether it exists).
    """
    def matching(client):
        page = client.v1.refunds.list(params={"payment_intent": payment_intent, "limit": 100})
        for refund in page.auto_paging_iter():
            if (refund.to_dict().get("metadata") or {}).get(key) == value:
                return refund
        return None

    return _call_optional("refunds.list", matching)


# --- webhooks ---------------------------------------------------------------------------------

def verify_event(payload: bytes, signature: str | None) -> dict:
    """Check a webhook's signature and age on its raw body and return the event.

    :raises InvalidWebhook: missing or wrong signature, older than Stripe's 300 s tolerance,
        or a body that is not an event.
    """
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature, secret, tolerance=stripe.Webhook.DEFAULT_TOLERANCE)
        event = loads_json(payload)  # ValueError for anything it cannot parse, however deep
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise InvalidWebhook(str(error)) from error
    data = event.get("data") if isinstance(event, dict) else None
    if not (isinstance(data, dict) and isinstance(data.get("object"), dict)
            and isinstance(event.get("id"), str) and isinstance(event.get("type"), str)):
        raise InvalidWebhook("not a Stripe event")
    return event
