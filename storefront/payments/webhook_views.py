"""Stripe webhook."""
import logging

from flask import Blueprint, jsonify, request

from .gateway import InvalidWebhook, verify_event
from .webhook import handle_event

bp = Blueprint("payments", __name__, url_prefix="/stripe")
log = logging.getLogger(__name__)


@bp.post("/webhook")
def webhook():
    """Apply a Stripe event: 400 unless Stripe signed it recently, else 200 (handled or ignored)."""
    try:
        event = verify_event(request.get_data(), request.headers.get("Stripe-Signature"))
    except InvalidWebhook as error:
        log.warning("rejected Stripe webhook: %s", error)
        return jsonify(error="invalid signature or payload"), 400
    outcome = handle_event(event)
    return jsonify(received=True, outcome=str(outcome))
