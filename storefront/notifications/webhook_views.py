"""Delivery reports: Zalo's signed webhook and eSMS's callback, whose URL carries a secret."""
import hmac
import logging

from flask import abort, current_app, jsonify, request

from ..web.webhooks import bp
from . import callbacks, zalo

log = logging.getLogger(__name__)


@bp.post("/notifications/zalo/webhook", endpoint="zalo_webhook")
def zalo_webhook():
    """Record a Zalo OA event: 401 unless Zalo signed it (``X-ZEvent-Signature``), else 200."""
    raw = request.get_data()
    if not zalo.signature_ok(raw, request.headers.get("X-ZEvent-Signature")):
        log.warning("rejected Zalo webhook: missing or wrong signature")
        return jsonify(error="invalid signature"), 401
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error="invalid payload"), 400
    return jsonify(received=True, outcome=callbacks.zalo_report(payload))


@bp.get("/notifications/sms/<secret>", endpoint="sms_callback")
def sms_callback(secret: str):
    """Record an eSMS delivery report: 404 unless the URL holds ``SMS_CALLBACK_SECRET``."""
    expected = current_app.config.get("SMS_CALLBACK_SECRET")
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        abort(404)
    return jsonify(received=True, outcome=callbacks.sms_report(request.args))
