"""A JSON body the parser cannot take is the sender's error (400), never a 500 — however deep it nests.

Protects the bank's and Stripe's webhooks, and every ``request.get_json()``: Python's parser raises
``RecursionError`` (not ``ValueError``) on deep nesting, which escaped every ``except ValueError``.
"""
import pytest
from stripe import WebhookSignature

from storefront.request_guard import loads_json
from tests.support.stripe_server import WEBHOOK_SECRET, stripe_config
from tests.support.transfer_support import KEY, app, transfers  # noqa: F401 — app: the fixture with the bank account

DEEP = "[" * 50_000 + "]" * 50_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT, "{\"id\": 1,", "\xff\xfe", ""])
def test_the_bank_webhook_answers_400_to_a_body_it_cannot_parse_and_records_nothing(app, client, body):
    response = client.post("/payments/bank/webhook", data=body.encode("utf-8", "surrogateescape"),
                           headers={"Authorization": f"Apikey {KEY}", "Content-Type": "application/json"})

    assert response.status_code == 400
    assert response.get_json()["success"] is False
    assert transfers() == []


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
def test_the_stripe_webhook_answers_400_to_a_signed_body_nested_too_deep(make_app, db, body):
    app = make_app(**stripe_config("http://127.0.0.1:9"))
    header = WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET)

    response = app.test_client().post("/stripe/webhook", data=body,
                                      headers={"Stripe-Signature": header, "Content-Type": "application/json"})

    assert response.status_code == 400


def test_every_get_json_refuses_deep_nesting_as_invalid_json(app):
    with app.test_request_context("/", method="POST", data=DEEP, content_type="application/json"):
        from flask import request
        from werkzeug.exceptions import BadRequest

        assert request.get_json(silent=True) is None
        with pytest.raises(BadRequest):
            request.get_json()


def test_loads_json_turns_deep_nesting_into_a_value_error_and_reads_ordinary_json():
    with pytest.raises(ValueError, match="too deep"):
        loads_json(DEEP)
    assert loads_json(b'{"id": [1, {"a": null}]}') == {"id": [1, {"a": None}]}
