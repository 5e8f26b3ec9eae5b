"""SMS brandname through eSMS: one customer-care message, and its delivery report.

``POST {ESMS_URL}/MainService.svc/json/SendMultipleMessage_V4_post_json/`` with JSON ``ApiKey``,
``SecretKey``, ``Phone``, ``Content``, ``Brandname``, ``SmsType`` (2: customer care, which must
match a template registered for the brandname), ``IsUnicode`` ("0": the text goes without
accents), ``Sandbox``, ``RequestId`` (the delivery row's id: eSMS refuses a second request with
it, code 124, so a send repeated after a crash is not sent twice) and ``CallbackUrl``. The answer
is ``{"CodeResult": "100", "SMSID": …}`` or an error code. eSMS reports the result with a GET to
the callback URL (``SMSID``, ``SendStatus``: 5 sent, 4 refused; ``RequestId``), which carries
``SMS_CALLBACK_SECRET`` in its path since eSMS signs nothing.
"""
from flask import current_app, has_request_context, url_for

from .providers import REFUSED, RETRY, SENT, Answer, post

ACCEPTED = "100"
DUPLICATE_REQUEST = "124"  # this RequestId was sent before: it is on its way already
# The number is blocked, wrong or on an unregistered network; the brandname or the template is
# not registered; no money left: e-mail takes the notice now.
REFUSED_CODES = {"99", "102", "103", "104", "108", "118", "146", "177"}
SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"


def configured() -> bool:
    config = current_app.config
    return (config.get("SMS_PROVIDER") == "esms" and bool(config.get("ESMS_API_KEY"))
            and bool(config.get("ESMS_SECRET_KEY")) and bool(config.get("ESMS_BRANDNAME")))


def send(phone: str, text: str, request_id: str) -> Answer:
    """Send ``text`` (without accents) to ``phone`` (84…) under the shop's brandname."""
    config = current_app.config
    body = {"ApiKey": config["ESMS_API_KEY"], "SecretKey": config["ESMS_SECRET_KEY"],
            "Phone": phone, "Content": text, "Brandname": config["ESMS_BRANDNAME"],
            "SmsType": "2", "IsUnicode": "0", "Sandbox": "1" if config.get("ESMS_SANDBOX") else "0",
            "RequestId": request_id}
    if config.get("SMS_CALLBACK_SECRET"):
        body["CallbackUrl"] = callback_url()
    response = post(config["ESMS_URL"].rstrip("/") + SEND_PATH, json=body,
                    unsure_on_read_timeout=False)  # a repeat with this RequestId is refused
    if isinstance(response, Answer):
        return response
    said = response.text[:1000]
    try:
        answer = response.json()
        code = str(answer.get("CodeResult", ""))
    except (ValueError, AttributeError):
        return Answer(RETRY, f"HTTP {response.status_code}: {said}")
    if code == ACCEPTED:
        return Answer(SENT, said, str(answer.get("SMSID") or ""))
    if code == DUPLICATE_REQUEST:
        return Answer(SENT, said)
    return Answer(REFUSED if code in REFUSED_CODES else RETRY, said)


def callback_url() -> str:
    """Return the address eSMS reports to, with the shop's secret in it."""
    return public_link("webhooks.sms_callback", secret=current_app.config["SMS_CALLBACK_SECRET"])


def public_link(endpoint: str, **values) -> str:
    """Return ``PUBLIC_URL`` + the endpoint's path, inside a request or outside one (a worker)."""
    base = current_app.config["SERVER_NAME_FOR_LINKS"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)
