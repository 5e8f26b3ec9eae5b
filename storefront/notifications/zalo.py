"""Zalo ZNS: the OA's access token (refreshed before it expires) and one template message.

- Token: ``POST {ZALO_OAUTH_URL}/v4/oa/access_token`` with header ``secret_key`` (the app's
  secret) and the form ``app_id``, ``grant_type=refresh_token``, ``refresh_token``; the answer
  has ``access_token``, ``refresh_token`` (a new one: each is good once) and ``expires_in``.
- Send: ``POST {ZALO_ZNS_URL}/message/template`` with header ``access_token`` and JSON ``phone``
  (84…), ``template_id``, ``template_data`` and ``tracking_id`` (the delivery row's id); the answer
  is ``{"error": 0, "message": "Success", "data": {"msg_id": …}}`` or a negative ``error``.
- Stored tokens: the rotated refresh token and the access token are kept in ``provider_token``
  encrypted with ``NOTIFY_TOKEN_KEY`` (Fernet, as ``invoices/accounts.py`` keeps producers'
  passwords); they are never logged, shown or put in an error. A value stored in plain text
  before encryption came in is upgraded where it is read (``_token_row``, under the row's
  lock): used once more, then written back encrypted in the same commit. No migration: the key
  lives in the web and worker environment, not necessarily where ``flask db upgrade`` runs.
- Delivery report: Zalo posts ``user_received_message`` (with ``msg_id`` and ``tracking_id``) to
  the OA's webhook, signed ``X-ZEvent-Signature: mac=sha256(app_id + body + timestamp +
  OA secret key)`` (``webhook_views.py``).
"""
import hashlib
import hmac
import json
import logging
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from ..extensions import db
from ..timeutil import utcnow
from .models import ProviderToken
from .providers import REFUSED, RETRY, SENT, Answer, post

log = logging.getLogger(__name__)
PROVIDER = "zalo"
# Refresh this long before the access token expires (Zalo's last 25 hours).
REFRESH_AHEAD = timedelta(minutes=10)
TOKEN_INVALID = {-124, -216}
# The phone cannot take it (no Zalo, inactive, refused ZNS, old app), the template or its data
# was refused, or the OA is out of quota: the next channel sends it now.
REFUSED_CODES = {-108, -109, -110, -111, -112, -114, -115, -117, -118, -119, -120, -121, -122,
                 -123, -131, -133, -137, -138, -139, -140, -141, -144, -147}


class ZaloTokenError(Exception):
    """Zalo would not give an access token (the refresh token is spent, or the app's secret is wrong)."""


# A Fernet token is url-safe base64 of a version byte 0x80 and a timestamp: it starts "gAAAAA".
_FERNET_PREFIX = "gAAAAA"


def _fernet() -> Fernet:
    """Return the cipher for stored tokens (``NOTIFY_TOKEN_KEY``).

    :raises ZaloTokenError: no key, or not a Fernet key (production refuses to start so).
    """
    key = current_app.config.get("NOTIFY_TOKEN_KEY")
    if not key:
        raise ZaloTokenError("NOTIFY_TOKEN_KEY is not set: Zalo's tokens cannot be stored encrypted")
    try:
        return Fernet(key)
    except (ValueError, TypeError):
        raise ZaloTokenError("NOTIFY_TOKEN_KEY is not a Fernet key") from None


def _seal(token: str | None) -> str | None:
    return _fernet().encrypt(token.encode()).decode() if token else None


def _open(stored: str | None) -> tuple[str | None, bool]:
    """Return (the token, whether it was stored in plain text and must be written back sealed).

    :raises ZaloTokenError: it was sealed with another key.
    """
    if not stored:
        return None, False
    try:
        return _fernet().decrypt(stored.encode()).decode(), False
    except InvalidToken:
        if stored.startswith(_FERNET_PREFIX):
            raise ZaloTokenError("the stored Zalo token cannot be read with NOTIFY_TOKEN_KEY "
                                 "(another key?): authorise the OA again and set its new "
                                 "ZALO_REFRESH_TOKEN") from None
        return stored, True  # kept before tokens were encrypted


def configured() -> bool:
    config = current_app.config
    return bool(config.get("ZALO_APP_ID") and config.get("ZALO_APP_SECRET")
                and config.get("ZALO_REFRESH_TOKEN") and templates())


def templates() -> dict[str, dict]:
    """Return ``ZALO_TEMPLATES`` as {event: {"id": template id, "params": {ours: theirs}}}.

    Each event maps to its approved template id, or to ``{"id": …, "params": {…}}`` when the
    template names a parameter differently from the shop's name for it.
    """
    raw = current_app.config.get("ZALO_TEMPLATES") or {}
    if isinstance(raw, str):
        raw = json.loads(raw) if raw.strip() else {}
    found = {}
    for event, value in raw.items():
        entry = value if isinstance(value, dict) else {"id": value}
        found[event] = {"id": str(entry["id"]), "params": dict(entry.get("params") or {})}
    return found


def send(phone: str, event: str, params: dict[str, str], tracking_id: str) -> Answer:
    """Send ``event``'s template to ``phone`` (84…); refresh the token once if Zalo refuses it."""
    template = templates()[event]
    body = {"phone": phone, "template_id": template["id"], "tracking_id": tracking_id,
            "template_data": {template["params"].get(name, name): value
                              for name, value in params.items()}}
    try:
        answer = _send(body, access_token())
        if answer is None:  # the token was refused: once more with a fresh one
            answer = _send(body, access_token(force=True)) or Answer(RETRY, "access token refused")
    except ZaloTokenError as error:
        return Answer(RETRY, str(error))
    return answer


def _send(body: dict, token: str) -> Answer | None:
    url = current_app.config["ZALO_ZNS_URL"].rstrip("/") + "/message/template"
    response = post(url, json=body, headers={"access_token": token}, unsure_on_read_timeout=True)
    if isinstance(response, Answer):
        return response
    said = response.text[:1000]
    try:
        answer = response.json()
        error = int(answer.get("error", -100))
    except (ValueError, TypeError, AttributeError):
        return Answer(RETRY, f"HTTP {response.status_code}: {said}")
    if error == 0:
        return Answer(SENT, said, str((answer.get("data") or {}).get("msg_id") or ""))
    if error in TOKEN_INVALID:
        return None
    return Answer(REFUSED if error in REFUSED_CODES else RETRY, said)


def access_token(force: bool = False) -> str:
    """Return the OA's access token, refreshing it first when it expires within 10 minutes.

    The row is locked while Zalo answers: a refresh token is good once, so two workers must
    not spend it together. The new pair is committed at once (encrypted), before anything else.

    :raises ZaloTokenError: Zalo refused the refresh, or the stored tokens cannot be read.
    """
    try:
        row, access, refresh = _token_row()
    except ZaloTokenError:
        db.session.rollback()
        raise
    if not force and access and row.access_expires_at - REFRESH_AHEAD > utcnow():
        db.session.commit()  # a plain pair read before is written back sealed here
        return access
    try:
        access, refresh, expires_in = _refresh(refresh)
    except ZaloTokenError:
        db.session.commit()  # the stored pair stays as it was (sealed, if it was plain)
        raise
    row.access_token, row.refresh_token = _seal(access), _seal(refresh)
    row.access_expires_at = utcnow() + timedelta(seconds=expires_in)
    row.refreshed_at = utcnow()
    db.session.commit()
    log.info("Zalo access token refreshed; valid for %s s", expires_in)
    return access


def _token_row() -> tuple[ProviderToken, str | None, str]:
    """Lock the OA's row and return it with its (access, refresh) tokens in clear.

    A token still stored in plain text is sealed on the row (the caller's commit writes it).
    """
    given = current_app.config["ZALO_REFRESH_TOKEN"]
    seed = hashlib.sha256(given.encode()).hexdigest()
    row = db.session.scalars(db.select(ProviderToken).filter_by(provider=PROVIDER)
                             .with_for_update()).first()
    if row is None:
        row = ProviderToken(provider=PROVIDER, refresh_token=_seal(given), seed=seed)
        db.session.add(row)
        return row, None, given
    if row.seed != seed:  # the OA was authorised again: the environment's token is the new one
        row.refresh_token, row.seed, row.access_token = _seal(given), seed, None
        return row, None, given
    access, access_plain = _open(row.access_token)
    refresh, refresh_plain = _open(row.refresh_token)
    if access_plain or refresh_plain:
        row.access_token, row.refresh_token = _seal(access), _seal(refresh)
        log.info("Zalo tokens stored in plain text were encrypted with NOTIFY_TOKEN_KEY")
    return row, access, refresh


def _refresh(refresh_token: str) -> tuple[str, str, int]:
    config = current_app.config
    url = config["ZALO_OAUTH_URL"].rstrip("/") + "/v4/oa/access_token"
    response = post(url, headers={"secret_key": config["ZALO_APP_SECRET"]},
                    data={"refresh_token": refresh_token, "app_id": config["ZALO_APP_ID"],
                          "grant_type": "refresh_token"}, unsure_on_read_timeout=False)
    if isinstance(response, Answer):
        raise ZaloTokenError(f"Zalo token refresh failed: {response.said}")
    try:
        answer = response.json()
        return answer["access_token"], answer["refresh_token"], int(answer.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ZaloTokenError(f"Zalo refused the token refresh: HTTP {response.status_code} "
                             f"{_refusal(response)}") from None


def _refusal(response) -> str:
    """Return what Zalo said when refusing a refresh, never a token (it may have sent one)."""
    try:
        answer = response.json()
    except ValueError:
        return "(no JSON answer)"
    if not isinstance(answer, dict):
        return "(an unexpected answer)"
    return " ".join(f"{key}={str(answer[key])[:200]}" for key in ("error", "message", "error_name",
                                                                   "error_description")
                    if key in answer) or "(no error given)"


def signature_ok(raw_body: bytes, header: str | None) -> bool:
    """Tell whether a webhook call carries Zalo's signature for this app and OA."""
    config = current_app.config
    secret, app_id = config.get("ZALO_OA_SECRET_KEY"), config.get("ZALO_APP_ID")
    if not secret or not app_id or not header:
        return False
    try:
        timestamp = str(json.loads(raw_body).get("timestamp", ""))
    except (ValueError, AttributeError):
        return False
    expected = hashlib.sha256(f"{app_id}{raw_body.decode('utf-8', 'replace')}{timestamp}{secret}"
                              .encode()).hexdigest()
    given = header.strip().removeprefix("mac=").strip()
    return hmac.compare_digest(expected, given)
