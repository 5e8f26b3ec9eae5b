"""Fixtures for notices by channel: the Zalo and eSMS stand-ins and an app configured for them."""
import json

import pytest

from storefront.extensions import db
from storefront.notifications import dispatch
from storefront.notifications.models import Notice, NoticeDelivery, OutboxMessage
from tests.support import esms_server, zalo_server
from tests.support.transfer_support import ACCOUNT

# The templates Zalo approved for the shop: id -> {parameter: Zalo's cap for its type}.
APPROVED = {
    "1001": {"customer_name": 30, "order_number": 30, "outlet_name": 30, "pickup_date": 20,
             "amount": 20},
    "1002": {"customer_name": 30, "order_number": 30, "amount": 20, "payment_code": 30,
             "deadline": 20},
    "1003": {"customer_name": 30, "order_number": 30, "amount": 20},
    "1004": {"customer_name": 30, "order_number": 30, "outlet_name": 30, "outlet_address": 200,
             "last_day": 20},
    "1005": {"customer_name": 30, "order_number": 30, "outlet_name": 30, "pickup_date": 20,
             "status": 30},
    "1006": {"customer_name": 30, "order_number": 30, "outlet_name": 30, "amount": 20},
    "1007": {"customer_name": 30, "order_number": 30, "reason": 200},
    "1008": {"customer_name": 30, "order_number": 30, "amount": 20},
    "1009": {"customer_name": 30, "title": 30, "date": 20, "deadline": 20, "link": 200},
}
TEMPLATES = {"order_placed": "1001", "transfer_due": "1002", "payment_received": "1003",
             "pickup_ready": "1004", "pickup_reminder": "1005", "collected": "1006",
             "cancelled": "1007", "refunded": "1008", "waitlist_seat": "1009"}
EVENT_OF_TEMPLATE = {template: event for event, template in TEMPLATES.items()}
SMS_SECRET = "sms-callback-secret-test"
TOKEN_KEY = "8Vn2cX0oQ3m0vJ3bq0v8mC2Qx6q0nZ1tT4yK7w9eR5s="  # NOTIFY_TOKEN_KEY (a Fernet key), tests only
PHONE = "84912345678"  # tests.support.checkout_support.CONTACT's 0912345678


@pytest.fixture
def zalo():
    fake = zalo_server.FakeZalo(templates=APPROVED)
    server, _thread = zalo_server.serve(fake)
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def esms():
    fake = esms_server.FakeEsms()
    server, _thread = zalo_server.serve(fake)
    yield fake
    server.shutdown()
    server.server_close()


def zalo_settings(fake, templates=None) -> dict:
    return {"ZALO_APP_ID": zalo_server.APP_ID, "ZALO_APP_SECRET": zalo_server.APP_SECRET,
            "ZALO_REFRESH_TOKEN": zalo_server.FIRST_REFRESH_TOKEN,
            "ZALO_OA_SECRET_KEY": zalo_server.OA_SECRET, "ZALO_OAUTH_URL": fake.url,
            "ZALO_ZNS_URL": fake.url, "ZALO_TEMPLATES": json.dumps(templates or TEMPLATES),
            "NOTIFY_TOKEN_KEY": TOKEN_KEY}


def esms_settings(fake) -> dict:
    return {"SMS_PROVIDER": "esms", "ESMS_URL": fake.url, "ESMS_API_KEY": esms_server.API_KEY,
            "ESMS_SECRET_KEY": esms_server.SECRET_KEY, "ESMS_BRANDNAME": esms_server.BRANDNAME,
            "SMS_CALLBACK_SECRET": SMS_SECRET}


@pytest.fixture
def app(make_app, zalo, esms):
    """The app with Zalo, eSMS and the shop's bank account (for transfers) configured."""
    app = make_app(**ACCOUNT, **zalo_settings(zalo), **esms_settings(esms), NOTIFY_HTTP_TIMEOUT=1.0)
    with app.app_context():
        yield app
        db.session.remove()


def sweep() -> dispatch.SendReport:
    """Run the worker's notice sweep once (as ``sweep_notices`` does)."""
    report = dispatch.send_pending()
    db.session.expire_all()
    return report


def deliveries(event: str | None = None) -> list[NoticeDelivery]:
    db.session.expire_all()
    query = db.select(NoticeDelivery).join(Notice).order_by(NoticeDelivery.id)
    if event:
        query = query.where(Notice.event == event)
    return list(db.session.scalars(query))


def mails(kind: str | None = None, to: str | None = None) -> list[OutboxMessage]:
    db.session.expire_all()
    query = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if to:
        query = query.where(OutboxMessage.to_email == to)
    return list(db.session.scalars(query))


def events_sent(fake, phone: str = PHONE) -> list[str]:
    """Return the events of the ZNS messages the stand-in took for ``phone``, in order."""
    return [EVENT_OF_TEMPLATE[m.template_id] for m in fake.to(phone)]
