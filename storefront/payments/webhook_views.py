"""The payment services' notifications: Stripe's signed events and the bank's (SePay) transfers."""
import logging

from flask import jsonify, request

from ..web.webhooks import bp
from . import bank_webhook, transfers
from .gateway import InvalidWebhook, verify_event
from .webhook import handle_event

log = logging.getLogger(__name__)


@bp.post("/stripe/webhook", endpoint="stripe")
def stripe_event():
    """Apply a Stripe event: 400 unless Stripe signed it recently, else 200 (handled or ignored)."""
    try:
        event = verify_event(request.get_data(), request.headers.get("Stripe-Signature"))
    except InvalidWebhook as error:
        log.warning("rejected Stripe webhook: %s", error)
        return jsonify(error="invalid signature or payload"), 400
    outcome = handle_event(event)
    return jsonify(received=True, outcome=str(outcome))


@bp.post("/payments/bank/webhook", endpoint="bank")
def bank_notification():
    """Record a SePay notification: 401 without the right key, 400 for a bad body, else 200."""
    try:
        bank_webhook.check_key(request.headers.get("Authorization"))
    except bank_webhook.Unauthorized:
        log.warning("rejected bank notification: missing or wrong API key")
        return jsonify(success=False, message="unauthorized"), 401
    try:
        note = bank_webhook.parse(request.get_json(silent=True))
    except bank_webhook.InvalidNotification as error:
        return jsonify(success=False, message=str(error)), 400
    outcome = transfers.record_notification(note)
    return jsonify(success=True, outcome=str(outcome))
