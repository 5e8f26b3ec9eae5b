"""Who may see an order in this browser: its owner, or whoever holds its private token.

The shop's order pages (and the pickup-day and VietQR pages beside them) load orders here.
"""
from flask import abort, request, session
from flask_login import current_user

from . import codes, queries
from .models import (
    LINE_STATUS_LABELS, PAYMENT_METHOD_LABELS, PAYMENT_STATUS_LABELS, PICKUP_STATUS_LABELS,
)

TOKENS_KEY = "order_tokens"
TOKENS_KEPT = 10


def remember_token(number: str, token: str) -> None:
    """Keep an order's token in this browser's session, so its page shows the codes."""
    tokens = dict(session.get(TOKENS_KEY) or {})
    tokens[number] = token
    # Numbers sort by age (and the session serializer sorts keys): keep the newest few.
    session[TOKENS_KEY] = {n: tokens[n] for n in sorted(tokens)[-TOKENS_KEPT:]}


def _token(number: str) -> str | None:
    return request.values.get("t") or (session.get(TOKENS_KEY) or {}).get(number)


def viewed_order(number: str):
    """Return ``(order, token)`` this visitor may see, or answer 404 (never 403: no hint it exists)."""
    token = _token(number)
    order = queries.order_for_viewer(number, current_user, token)
    if order is None:
        abort(404)
    if token and request.values.get("t") and codes.token_matches(order, token):
        remember_token(number, token)
    return order, token


def actor():
    """Return who acts on an order from this browser: the signed-in user, or ``"guest"``."""
    return current_user._get_current_object() if current_user.is_authenticated else "guest"


def order_labels() -> dict:
    """The status and payment labels the order pages show."""
    return {"PICKUP_STATUS_LABELS": PICKUP_STATUS_LABELS, "LINE_STATUS_LABELS": LINE_STATUS_LABELS,
            "PAYMENT_METHOD_LABELS": PAYMENT_METHOD_LABELS,
            "PAYMENT_STATUS_LABELS": PAYMENT_STATUS_LABELS}
