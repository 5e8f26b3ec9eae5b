"""VietQR transfer tests: the shop's account, orders placed for transfer, SePay notifications."""
import itertools

import pytest

from storefront.checkout.services import new_checkout_token
from storefront.extensions import db
from storefront.orders.placement import place_order
from storefront.payments.transfer_models import BankTransfer
from tests.support.checkout_support import CONTACT, line
from tests.support.factories import OutletFactory, ProductFactory
from tests.support.race import at_once

KEY = "sepay-test-key-9f3c"
ACCOUNT = {"VIETQR_BANK_BIN": "970436", "VIETQR_ACCOUNT_NUMBER": "1023456789",
           "VIETQR_ACCOUNT_NAME": "HTX OCOP HA NOI", "BANK_WEBHOOK_API_KEY": KEY}
_ids = itertools.count(1000)


def transfer_order(quantity=2, price=150_000, stock=10, method="vietqr", outlets=1):
    """Place an order for transfer (one product per outlet) through ``place_order``."""
    products, assignment, lines = [], {}, []
    for _ in range(outlets):
        outlet = OutletFactory()
        product = ProductFactory(price=price, stock=stock, outlets=[outlet])
        products.append(product)
        assignment[product.id] = outlet.id
        lines.append(line(product, quantity))
    placed = place_order(lines, CONTACT, assignment, method, new_checkout_token())
    return placed, products


def notification(code: str | None, amount: int, *, id=None, content=None, **fields) -> dict:
    """Return a SePay notification of an incoming transfer to the shop's account."""
    body = {"id": id if id is not None else next(_ids), "gateway": "Vietcombank",
            "transactionDate": "2026-11-30 14:02:37", "accountNumber": ACCOUNT["VIETQR_ACCOUNT_NUMBER"],
            "subAccount": None, "code": code, "content": content if content is not None else
            f"MBVCB.3278.{code}.CT tu 0123456789 NGUYEN VAN KHACH", "transferType": "in",
            "transferAmount": amount, "accumulated": 19_077_000, "referenceCode": "FT26334123456",
            "description": ""}
    body.update(fields)
    return body


def post(client, body, key=KEY):
    headers = {"Authorization": f"Apikey {key}"} if key is not None else {}
    return client.post("/payments/bank/webhook", json=body, headers=headers)


def transfers() -> list[BankTransfer]:
    db.session.expire_all()
    return db.session.scalars(db.select(BankTransfer).order_by(BankTransfer.id)).all()


def fire_together(app, bodies: list[dict]) -> list[int]:
    """Post every body from its own thread at the same moment; return the status codes."""
    def send(body):
        return lambda: post(app.test_client(), body).status_code

    results = at_once(app, *[send(body) for body in bodies])
    return [repr(r) if isinstance(r, Exception) else r for r in results]


@pytest.fixture
def app(make_app):
    """The app with the shop's bank account configured, so VietQR is offered."""
    app = make_app(**ACCOUNT)
    with app.app_context():
        yield app
        db.session.remove()


def fresh(instance):
    """Read ``instance`` again from the database, as another request would see it."""
    db.session.expire_all()
    return db.session.get(type(instance), instance.id)
